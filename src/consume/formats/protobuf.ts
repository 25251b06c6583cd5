// Protocol Buffers → JSON: the body is one message of the first message type declared in the `outputSchema`
// .proto file (as the engine's Jackson ProtobufSchemaLoader picks it), decoded with protobufjs. Field names as
// written in the .proto; fields absent on the wire are absent (no defaults filled in); enums by name; bytes
// base64; 64-bit integers as numbers. A .proto that imports others is refused: only the one file is read.

import protobuf from 'protobufjs';
import { checkDepth, guarded, put, type Decoder } from './common.js';
import { readSchemaFile } from './schema-file.js';

export function protobufDecoder(outputSchema: unknown, baseDir: string): Decoder | { refused: string } {
  const file = readSchemaFile('protobuf', outputSchema, baseDir);
  if ('refused' in file) return file;
  const schema = String(outputSchema);
  let type: protobuf.Type | undefined;
  try {
    const parsed = protobuf.parse(file.text, { keepCase: true });
    if (parsed.imports?.length || parsed.weakImports?.length)
      return { refused: `protobuf outputSchema '${schema}' imports other files, which is not supported` };
    parsed.root.resolveAll();
    type = firstMessage(parsed.root);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { refused: `protobuf outputSchema '${schema}' is not a .proto schema: ${reason.slice(0, 200)}` };
  }
  if (!type) return { refused: `protobuf outputSchema '${schema}' declares no message type` };
  const root = type;
  const decode = (body: Buffer): unknown => {
    const message = guarded('Protobuf', () => root.decode(body));
    const json = guarded('Protobuf', () =>
      plain(root.toObject(message, { enums: String, longs: Number, bytes: String, json: true })),
    );
    checkDepth('Protobuf', json);
    return json;
  };
  return Object.assign(decode, { accept: 'application/x-protobuf, application/protobuf;q=0.9, */*;q=0.1' });
}

/** The first message type in declaration order, looking into packages before later siblings. */
function firstMessage(ns: protobuf.NamespaceBase): protobuf.Type | undefined {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) return nested;
    if (nested instanceof protobuf.Namespace) {
      const found = firstMessage(nested);
      if (found) return found;
    }
  }
  return undefined;
}

/** toObject's output as plain JSON: own enumerable keys only, nothing it left on a prototype. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) put(out, k, plain(v));
    return out;
  }
  return value;
}
