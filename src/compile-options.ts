// The compiler's I/O seams for one capability file: format decoders (avro/protobuf read schema files) and the
// script sandbox (reads script files, hosts them in workers). Kept out of src/binding so compiling stays pure.

import { dirname } from 'node:path';
import type { CompileOptions } from './binding/compile.js';
import { decoderFor, isRefusal } from './consume/formats/index.js';
import { compileScript, scriptingSettings } from './script/compile.js';
import type { CapabilityDocument } from './spec/types.js';

export function compileOptionsFor(file: string, doc: CapabilityDocument): CompileOptions {
  const baseDir = dirname(file);
  const settings = scriptingSettings(doc);
  return {
    decoderFor: (op) => {
      const d = decoderFor(op.outputRawFormat, {
        baseDir,
        ...((op as { outputSchema?: unknown }).outputSchema !== undefined
          ? { outputSchema: (op as { outputSchema?: unknown }).outputSchema }
          : {}),
      });
      return isRefusal(d) ? { reason: d.refused } : d;
    },
    scriptFor: (step) => {
      const compiled = compileScript(step, { baseDir, settings });
      if ('refused' in compiled) return { reason: compiled.refused };
      return (context, signal) => compiled.run(context, signal);
    },
  };
}
