// `runtime import openapi <file|url> [--namespace ns] [--out file] [--starter]`: an OpenAPI 3.0/3.1 document →
// an alpha2 consumes file, or a starter capability serving its operations over REST and MCP (docs/import.md).

import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { convertOpenApi } from '../import/convert.js';
import { ImportError, loadOpenApi } from '../import/load.js';
import { consumesDocument, starterCapability } from '../import/render.js';
import { EXIT, UsageError, type CliIO } from './io.js';

export const IMPORT_USAGE = `Usage: runtime import openapi <file|url> [--namespace ns] [--out file] [--starter]

  --namespace <ns>  the consumed namespace (default: info.title in kebab-case)
  --out <file>      where to write (default: ./<namespace>-consumes.yml, or ./<namespace>.capability.yml with --starter)
  --out -           write to standard output
  --starter         write a starter capability (consumes + REST and MCP exposes) instead of a consumes file

Local $refs are resolved; remote and other-file $refs are refused. Warnings go to standard error.
`;

const NAMESPACE = /^[a-zA-Z0-9-]+$/;

export async function importCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      namespace: { type: 'string', short: 'n' },
      out: { type: 'string', short: 'o' },
      starter: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.stdout(IMPORT_USAGE);
    return EXIT.ok;
  }
  const [kind, source, ...extra] = positionals;
  if (kind !== 'openapi')
    throw new UsageError(`expected 'openapi' as the format to import${kind ? `, not '${kind}'` : ''}`);
  if (!source) throw new UsageError('missing the OpenAPI document (a file path or an http(s) URL)');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (values.namespace !== undefined && !NAMESPACE.test(values.namespace)) {
    throw new UsageError(`--namespace '${values.namespace}' must be letters, digits and hyphens`);
  }
  try {
    const loaded = await loadOpenApi(source, io.cwd);
    const api = convertOpenApi(loaded.doc, values.namespace ? { namespace: values.namespace } : {});
    for (const w of [...loaded.warnings, ...api.warnings]) io.stderr(`warning: ${w}\n`);
    const doc = values.starter ? starterCapability(api) : consumesDocument(api);
    const yaml = `# Imported from ${source} by 'runtime import openapi'.\n${stringify(doc, { lineWidth: 120 })}`;
    if (values.out === '-') {
      io.stdout(yaml);
      return EXIT.ok;
    }
    const out = resolve(io.cwd, values.out ?? `${api.namespace}${values.starter ? '.capability' : '-consumes'}.yml`);
    await writeFile(out, yaml, 'utf8');
    const count = api.resources.reduce((n, r) => n + r.operations.length, 0);
    io.stdout(`Imported ${count} operations of '${api.namespace}' into ${out}\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    io.stderr(`runtime import: ${error.message}\n`);
    return EXIT.invalid;
  }
}
