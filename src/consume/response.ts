// Reading an upstream body: bounded in size, parsed as JSON (or by the operation's outputRawFormat decoder when
// it answers 2xx), empty → undefined.

import type { Dispatcher } from 'undici';
import { isRuntimeError, RuntimeError } from '../errors.js';
import type { Decoder } from './formats/index.js';

export async function readBody(
  res: Dispatcher.ResponseData,
  limit: number,
  upstream: string,
  decode?: Decoder,
): Promise<unknown> {
  const bytes = await readBounded(res, limit, upstream);
  if (decode && res.statusCode >= 200 && res.statusCode < 300) return decoded(decode, bytes, res, upstream);
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // An error page (HTML from a proxy, say) still tells the caller something: keep its text, trimmed.
    if (res.statusCode >= 400) return { message: text.trim().slice(0, 1000) };
    throw new RuntimeError(
      'NAF_ERR_UPSTREAM_INVALID_RESPONSE',
      `Upstream '${upstream}' answered ${res.statusCode} with a body that is not valid JSON`,
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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      res.body.destroy();
      throw tooLarge(upstream, limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
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

function tooLarge(upstream: string, limit: number): RuntimeError {
  return new RuntimeError(
    'NAF_ERR_UPSTREAM_RESPONSE_TOO_LARGE',
    `Upstream '${upstream}' sent a response larger than ${limit} bytes`,
  );
}
