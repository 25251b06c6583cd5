// Reading an upstream body: bounded in size, parsed as JSON, empty → undefined.

import type { Dispatcher } from 'undici';
import { RuntimeError } from '../errors.js';

export async function readBody(res: Dispatcher.ResponseData, limit: number, upstream: string): Promise<unknown> {
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
  const text = Buffer.concat(chunks).toString('utf8');
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

function tooLarge(upstream: string, limit: number): RuntimeError {
  return new RuntimeError(
    'NAF_ERR_UPSTREAM_RESPONSE_TOO_LARGE',
    `Upstream '${upstream}' sent a response larger than ${limit} bytes`,
  );
}
