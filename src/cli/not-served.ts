// `runtime validate` compiles a loaded capability and lists every exposed item the table does not serve as
// NAF_UNSUPPORTED_CONSTRUCT (a warning; an error under --strict) at the item's line:col, so a construct the
// runtime accepts but cannot serve is never a surprise at call time (src/binding/inventory.ts decides).

import { compileTable } from '../binding/compile.js';
import { classify, inventoryOf, notServed } from '../binding/inventory.js';
import { closeCompileResources, compileOptionsFor } from '../compile-options.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import { schemaValidator } from '../spec/schema-check.js';
import { readSource } from '../spec/source.js';
import type { CapabilityDocument } from '../spec/types.js';

export const UNSUPPORTED_CODE = 'NAF_UNSUPPORTED_CONSTRUCT';

export async function notServedDiagnostics(
  file: string,
  doc: CapabilityDocument,
  loadDiagnostics: readonly Diagnostic[],
  strict: boolean,
): Promise<Diagnostic[]> {
  const table = compileTable(doc, await compileOptionsFor(file, doc));
  // Only read here: the script sandbox the compiler started is not needed.
  await closeCompileResources();
  const items = classify(inventoryOf(doc, schemaValidator().schema), table, loadDiagnostics);
  const { source } = await readSource(file);
  // Items a load warning already names as not served are listed once, by that warning.
  return notServed(items, { skipLoadReported: true }).map((u) => {
    const { line, col } = source?.locate(u.ptr) ?? { line: 0, col: 0 };
    return {
      severity: strict ? 'error' : 'warning',
      code: UNSUPPORTED_CODE,
      message: `${u.where} is not served: ${u.reason}`,
      file,
      line,
      col,
      pointer: u.ptr,
    };
  });
}
