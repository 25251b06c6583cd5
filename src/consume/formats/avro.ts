// Avro → JSON: one datum in Avro binary encoding, read with the writer's schema from `outputSchema` (a .avsc
// file), as the engine's GenericDatumReader does. Records become objects, unions their branch's value, enums
// their symbol, bytes and fixed base64 (as Jackson writes binary), a long past 2^53 a decimal string.
// avsc parses and checks the schema; the bytes are read here, because avsc's reader trusts block counts (a
// count of 2^31 in a 10-byte body allocates and loops that often). Every count here is bounded by the bytes
// left and MAX_ITEMS, nesting by MAX_DEPTH. Unlike the engine, bytes left after the datum are an error: they
// mean the schema is not the one the upstream wrote with.

import { TextDecoder } from 'node:util';
import avro from 'avsc';
import { invalid, MAX_DEPTH, MAX_ITEMS, put, type Decoder } from './common.js';
import { readSchemaFile } from './schema-file.js';

/** The parts of avsc's Type tree the reader walks (its typings do not declare them on Type). */
interface AvroType {
  readonly typeName: string;
  readonly name?: string;
  readonly fields?: ReadonlyArray<{ readonly name: string; readonly type: AvroType }>;
  readonly symbols?: readonly string[];
  readonly itemsType?: AvroType;
  readonly valuesType?: AvroType;
  readonly types?: readonly AvroType[];
  readonly size?: number;
}

export function avroDecoder(outputSchema: unknown, baseDir: string): Decoder | { refused: string } {
  const file = readSchemaFile('avro', outputSchema, baseDir);
  if ('refused' in file) return file;
  let type: AvroType;
  try {
    type = avro.Type.forSchema(JSON.parse(file.text) as avro.Schema) as unknown as AvroType;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { refused: `avro outputSchema '${String(outputSchema)}' is not an Avro schema: ${reason.slice(0, 200)}` };
  }
  const decode = (body: Buffer): unknown => {
    const reader = new Reader(body);
    const value = reader.read(type, 0);
    if (reader.pos !== body.length)
      throw invalid('Avro', `${body.length - reader.pos} bytes left after the '${type.name ?? type.typeName}' datum`);
    return value;
  };
  return Object.assign(decode, { accept: 'application/avro, avro/binary;q=0.9, */*;q=0.1' });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  pos = 0;
  items = 0;

  constructor(readonly buf: Buffer) {}

  read(type: AvroType, depth: number): unknown {
    if (depth > MAX_DEPTH) throw invalid('Avro', `nested more than ${MAX_DEPTH} levels deep`);
    switch (type.typeName) {
      case 'null':
        return null;
      case 'boolean':
        return this.boolean();
      case 'int':
      case 'long':
        return toJsonNumber(this.long());
      case 'float':
        return this.take(4).readFloatLE(0);
      case 'double':
        return this.take(8).readDoubleLE(0);
      case 'bytes':
        return this.take(this.length()).toString('base64');
      case 'fixed':
        return this.take(type.size ?? 0).toString('base64');
      case 'string':
        return this.string();
      case 'enum':
        return this.pick(type.symbols ?? [], 'enum symbol');
      case 'record':
      case 'error':
        return this.record(type, depth);
      case 'array':
        return this.array(type.itemsType as AvroType, depth);
      case 'map':
        return this.map(type.valuesType as AvroType, depth);
      case 'union:unwrapped':
      case 'union:wrapped':
        return this.read(this.pick(type.types ?? [], 'union branch'), depth + 1);
      default:
        throw invalid('Avro', `the schema type '${type.typeName}' cannot be read`);
    }
  }

  record(type: AvroType, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of type.fields ?? []) put(out, field.name, this.read(field.type, depth + 1));
    return out;
  }

  array(items: AvroType, depth: number): unknown[] {
    const out: unknown[] = [];
    this.blocks(() => out.push(this.read(items, depth + 1)));
    return out;
  }

  map(values: AvroType, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.blocks(() => {
      const key = this.string();
      put(out, key, this.read(values, depth + 1));
    });
    return out;
  }

  /** Array and map blocks: a count (negative: followed by the block's byte size), until a count of 0. */
  blocks(item: () => void): void {
    for (let n = this.long(); n !== 0n; n = this.long()) {
      if (n < 0n) {
        n = -n;
        this.long();
      }
      if (n > BigInt(MAX_ITEMS - this.items)) throw invalid('Avro', `more than ${MAX_ITEMS} array or map items`);
      this.items += Number(n);
      for (let i = 0; i < Number(n); i++) item();
    }
  }

  pick<T>(list: readonly T[], what: string): T {
    const index = this.long();
    const found = index >= 0n && index < BigInt(list.length) ? list[Number(index)] : undefined;
    if (found === undefined) throw invalid('Avro', `${what} index ${index} is out of range at byte ${this.pos}`);
    return found;
  }

  boolean(): boolean {
    const b = this.take(1)[0];
    if (b !== 0 && b !== 1) throw invalid('Avro', `boolean byte ${b} at ${this.pos - 1} is neither 0 nor 1`);
    return b === 1;
  }

  string(): string {
    const bytes = this.take(this.length());
    try {
      return utf8.decode(bytes);
    } catch {
      throw invalid('Avro', `a string before byte ${this.pos} is not UTF-8`);
    }
  }

  length(): number {
    const n = this.long();
    if (n < 0n || n > BigInt(this.buf.length - this.pos))
      throw invalid('Avro', `a length of ${n} at byte ${this.pos} runs past the end of the body`);
    return Number(n);
  }

  take(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw invalid('Avro', `the body ends inside a value at byte ${this.pos}`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A zig-zag varint of at most 10 bytes. */
  long(): bigint {
    let raw = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.take(1)[0] as number;
      raw |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (raw >> 1n) ^ -(raw & 1n);
    }
    throw invalid('Avro', `a varint at byte ${this.pos} is longer than 10 bytes`);
  }
}

function toJsonNumber(n: bigint): number | string {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}
