// Test helpers for the decoders: the engine's sample files and a decoder that must exist.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Decoder } from './common.js';
import { decoderFor, isRefusal } from './index.js';

/** test/fixtures/engine/schemas: the engine's src/test/resources/schemas, copied unchanged. */
export const SCHEMAS = fileURLToPath(new URL('../../../test/fixtures/engine/schemas/', import.meta.url));

export function sample(name: string): Buffer {
  return readFileSync(SCHEMAS + name);
}

export function decoder(format: string, outputSchema?: string, baseDir = SCHEMAS): Decoder {
  const d = decoderFor(format, outputSchema === undefined ? { baseDir } : { baseDir, outputSchema });
  if (d === undefined || isRefusal(d)) throw new Error(`no decoder for ${format}: ${JSON.stringify(d)}`);
  return d;
}

export function decode(format: string, body: string | Buffer, outputSchema?: string): unknown {
  return decoder(format, outputSchema)(Buffer.isBuffer(body) ? body : Buffer.from(body), undefined);
}

/** The message of the NAF_ERR_UPSTREAM_INVALID_RESPONSE that `run` throws (fails the test otherwise). */
export function failure(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code !== 'NAF_ERR_UPSTREAM_INVALID_RESPONSE') throw err;
    return e.message ?? '';
  }
  throw new Error('expected NAF_ERR_UPSTREAM_INVALID_RESPONSE, got a value');
}
