// `runtime openapi <file>`: the REST adapter's OpenAPI document, without starting anything.

import { buildOpenApi } from '../expose/rest/openapi.js';
import { parseFlags } from './flags.js';
import { EXIT, type CliIO } from './io.js';
import { CONTRACTS_FLAGS, contractsSettings } from './contracts-options.js';
import { loadTable } from './load-table.js';
import { oneFile } from './options.js';

export async function openapiCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags({
    args: argv,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, ...CONTRACTS_FLAGS },
  });
  if (values.help) {
    io.stdout(
      'Usage: runtime openapi <file> [--openapi <ns=path|url>]   (prints OpenAPI 3.1 JSON for the first REST adapter,\n' +
        '  typed by the upstream OpenAPI documents given, as runtime start would serve it; docs/contracts.md)\n',
    );
    return EXIT.ok;
  }
  const table = await loadTable(oneFile(positionals, 'openapi'), io, contractsSettings(values, io.env).contracts);
  if (!table) return EXIT.invalid;
  const rest = table.exposes.find((e) => e.kind === 'rest');
  if (!rest) {
    io.stderr('runtime openapi: the capability has no REST adapter\n');
    return EXIT.invalid;
  }
  const bindings = table.bindings.filter((b) => b.expose.namespace === rest.namespace);
  const forwards = (table.forwards ?? []).filter((f) => f.namespace === rest.namespace);
  io.stdout(`${JSON.stringify(buildOpenApi(table, bindings, rest.description, undefined, forwards), null, 2)}\n`);
  return EXIT.ok;
}
