// Load and compile a capability for commands that only read it; errors go to stderr.

import { compileTable, type CompiledTable } from '../binding/compile.js';
import { closeCompileResources, compileOptionsFor } from '../compile-options.js';
import { formatDiagnostic } from '../spec/diagnostics.js';
import { loadCapability } from '../spec/load.js';
import type { CliIO } from './io.js';

/** The compiled table, or undefined after printing the errors (the caller exits 1). */
export async function loadTable(file: string, io: CliIO): Promise<CompiledTable | undefined> {
  const loaded = await loadCapability(file);
  if (loaded.ok && loaded.doc) {
    const table = compileTable(loaded.doc, await compileOptionsFor(file, loaded.doc));
    // Only read here: the script sandbox the compiler started is not needed.
    await closeCompileResources();
    return table;
  }
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  io.stderr(`${errors.map(formatDiagnostic).join('\n')}\n`);
  return undefined;
}
