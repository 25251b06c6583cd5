// Reading an upstream body: bounded in size, parsed as JSON (or by the operation's outputRawFormat decoder when
// it answers 2xx), empty → undefined.

import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { isRuntimeError, RuntimeError } from '../errors.js';
import type { Decoder } from './formats/index.js';
import { isPlainJson } from './plain-json.js';

export async function readBody(
  res: Dispatcher.ResponseData,
  limit: number,
  upstream: string,
  decode?: Decoder,
): Promise<unknown> {
  const bytes = await readBounded(res, limit, upstream);
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  if (decode && ok) return decoded(decode, bytes, res, upstream);
  // A 2xx JSON answer is kept as its bytes when they can be passed on as they are (plain-json.ts): parsed
  // only if something reads the value (a projection, MCP), never re-serialised for a REST answer.
  if (ok && isPlainJson(bytes)) return new RawJson(bytes);
  return parseJson(bytes, res.statusCode, upstream);
}

/** A JSON body as the upstream sent it, already checked to be valid; the value is parsed on first read. */
export class RawJson {
  #value: unknown;
  #parsed = false;

  constructor(readonly bytes: Buffer) {}

  get value(): unknown {
    if (!this.#parsed) {
      this.#value = JSON.parse(this.bytes.toString('utf8'));
      this.#parsed = true;
    }
    return this.#value;
  }
}

function parseJson(bytes: Buffer, status: number, upstream: string): unknown {
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // An error page (HTML from a proxy, say) still tells the caller something: keep its text, trimmed.
    if (status >= 400) return { message: text.trim().slice(0, 1000) };
    throw new RuntimeError(
      'NAF_ERR_UPSTREAM_INVALID_RESPONSE',
      `Upstream '${upstream}' answered ${status} with a body that is not valid JSON`,
    );
  }
}

/** The whole body as bytes, refused (and the connection dropped) as soon as it passes `limit`. */
export async function readBounded(res: Dispatcher.ResponseData, limit: number, upstream: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    res.body.destroy();
    throw tooLarge(upstream, limit);
  }
  // Plain 'data' events and one concat: an async iterator costs a promise and a read() per chunk.
  const body = res.body as unknown as Readable;
  return new Promise<Buffer>((resolve, reject) => {
    if (body.destroyed) {
      // A stream destroyed with an error (the byte budget's refusal) still emits it on the next tick: with no
      // listener that is an uncaught exception. The rejection below already reports it.
      body.once('error', () => {});
      return reject(body.errored ?? prematureClose());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        settled = true;
        body.off('data', onData);
        body.destroy();
        reject(tooLarge(upstream, limit));
        return;
      }
      chunks.push(chunk);
    };
    body.on('data', onData);
    body.once('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    body.once('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    // Destroyed without an error (nor an end): what an async iterator reports as a premature close.
    body.once('close', () => {
      if (settled) return;
      settled = true;
      reject(body.errored ?? prematureClose());
    });
  });
}

/** An error answer keeps the JSON path above: error pages are JSON or text whatever the format of the data. */
function decoded(decode: Decoder, bytes: Buffer, res: Dispatcher.ResponseData, upstream: string): unknown {
  if (bytes.length === 0) return undefined;
  const type = res.headers['content-type'];
  try {
    return decode(bytes, Array.isArray(type) ? type[0] : type);
  } catch (err) {
    if (!isRuntimeError(err)) throw err;
    throw new RuntimeError(
      err.code,
      `Upstream '${upstream}' answered ${res.statusCode} with a body that is not usable: ${err.message}`,
    );
  }
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

function tooLarge(upstream: string, limit: number): RuntimeError {
  return new RuntimeError(
    'NAF_ERR_UPSTREAM_RESPONSE_TOO_LARGE',
    `Upstream '${upstream}' sent a response larger than ${limit} bytes`,
  );
}
