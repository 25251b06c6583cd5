// The compiler's I/O seams for one capability file: format decoders (avro/protobuf read schema files) and the
// script sandbox (reads script files, hosts them in workers). Kept out of src/binding so compiling stays pure,
// and loaded only when the file uses them: the parsers and the WASM sandbox cost start-up time otherwise.

import { dirname } from 'node:path';
import type { CompileOptions } from './binding/compile.js';
import type { CapabilityDocument } from './spec/types.js';

export async function compileOptionsFor(file: string, doc: CapabilityDocument): Promise<CompileOptions> {
  const baseDir = dirname(file);
  const options: { -readonly [K in keyof CompileOptions]: CompileOptions[K] } = {};
  const text = JSON.stringify(doc.capability ?? {});
  // json has no decoder (the consumer's own JSON path), so `outputRawFormat: json` alone loads nothing.
  if (/"outputRawFormat":"(?![jJ][sS][oO][nN]")/.test(text)) {
    const { decoderFor, isRefusal } = await import('./consume/formats/index.js');
    options.decoderFor = (op) => {
      const outputSchema = (op as { outputSchema?: unknown }).outputSchema;
      const d = decoderFor(op.outputRawFormat, { baseDir, ...(outputSchema !== undefined ? { outputSchema } : {}) });
      return isRefusal(d) ? { reason: d.refused } : d;
    };
  }
  if (/"type":"script"/.test(text)) {
    sandboxStarted = true;
    const { compileScript, scriptingSettings } = await import('./script/compile.js');
    const settings = scriptingSettings(doc);
    options.scriptFor = (step) => {
      const compiled = compileScript(step, { baseDir, settings });
      if ('refused' in compiled) return { reason: compiled.refused };
      return (context, signal) => compiled.run(context, signal);
    };
  }
  return options;
}

let sandboxStarted = false;

/** Stops the script sandbox's workers if this process started any. */
export async function closeCompileResources(): Promise<void> {
  if (!sandboxStarted) return;
  const { closeScriptHosts } = await import('./script/compile.js');
  await closeScriptHosts();
}
