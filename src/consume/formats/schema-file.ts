// The schema file an avro or protobuf operation names in `outputSchema`: a path relative to the capability
// file's folder (the engine reads it relative to its working directory, then its classpath). Read once, when the
// binding is compiled; a missing or oversized file is a refusal, reported at load.

import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

// A schema is a few KiB; anything this large is not one.
const MAX_SCHEMA_BYTES = 1024 * 1024;

export function readSchemaFile(
  format: string,
  outputSchema: unknown,
  baseDir: string,
): { text: string; path: string } | { refused: string } {
  if (typeof outputSchema !== 'string' || outputSchema.trim() === '')
    return { refused: `${format} needs outputSchema: the path of its schema file, relative to the capability file` };
  const path = isAbsolute(outputSchema) ? outputSchema : resolve(baseDir, outputSchema);
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { refused: `${format} outputSchema '${outputSchema}' is not a file` };
    if (stat.size > MAX_SCHEMA_BYTES)
      return { refused: `${format} outputSchema '${outputSchema}' is larger than ${MAX_SCHEMA_BYTES} bytes` };
    return { text: readFileSync(path, 'utf8'), path };
  } catch {
    return { refused: `${format} outputSchema '${outputSchema}' cannot be read (looked for ${path})` };
  }
}
