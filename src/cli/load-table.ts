// Load and compile a capability for commands that only read it; errors go to stderr.

import { compileTable, type CompiledTable } from '../binding/compile.js';
import { closeCompileResources, compileOptionsFor } from '../compile-options.js';
import { formatDiagnostic } from '../spec/diagnostics.js';
import { loadCapability } from '../spec/load.js';
import { ConfigError } from '../config.js';
import { loadContracts, type ContractSource } from '../contracts/index.js';
import type { CliIO } from './io.js';

/**
 * The compiled table, or undefined after printing the errors (the caller exits 1). `contracts` are the
 * `--openapi` documents (docs/contracts.md); NAFTIKO_OPENAPI_<NS> is read from `io.env` too.
 */
export async function loadTable(
  file: string,
  io: CliIO,
  contracts: readonly ContractSource[] = [],
): Promise<CompiledTable | undefined> {
  const loaded = await loadCapability(file);
  if (loaded.ok && loaded.doc) {
    let index;
    try {
      index = (await loadContracts(loaded.doc, contracts, io.env))?.index;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.stderr(`${err.message}\n`);
      return undefined;
    }
    const table = compileTable(loaded.doc, {
      ...(await compileOptionsFor(file, loaded.doc)),
      ...(index ? { contracts: index } : {}),
    });
    // Only read here: the script sandbox the compiler started is not needed.
    await closeCompileResources();
    return table;
  }
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  io.stderr(`${errors.map(formatDiagnostic).join('\n')}\n`);
  return undefined;
}
