// readBody with an outputRawFormat decoder: 2xx bodies go through it, error answers and empty bodies keep the
// JSON path, a decoder's refusal names the upstream and status.

import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { decoderFor } from './formats/index.js';
import type { Decoder } from './formats/index.js';
import { readBody } from './response.js';

const xml = decoderFor('xml', { baseDir: '.' }) as Decoder;

function response(status: number, body: string, contentType = 'application/xml'): Dispatcher.ResponseData {
  return {
    statusCode: status,
    headers: { 'content-type': contentType },
    body: Readable.from([Buffer.from(body)]),
  } as unknown as Dispatcher.ResponseData;
}

describe('readBody with a decoder', () => {
  it('decodes a 2xx body', async () => {
    expect(await readBody(response(200, '<r><a>1</a></r>'), 1024, 'legacy', xml)).toEqual({ a: '1' });
  });

  it('keeps the JSON path for an error answer, and an empty body is no value', async () => {
    expect(await readBody(response(404, '{"error":"nope"}', 'application/json'), 1024, 'legacy', xml)).toEqual({
      error: 'nope',
    });
    expect(await readBody(response(500, '<err>down</err>'), 1024, 'legacy', xml)).toEqual({
      message: '<err>down</err>',
    });
    expect(await readBody(response(204, ''), 1024, 'legacy', xml)).toBeUndefined();
  });

  it('names the upstream and status when the body does not decode', async () => {
    await expect(readBody(response(200, '<r><a></r>'), 1024, 'legacy', xml)).rejects.toMatchObject({
      code: 'NAF_ERR_UPSTREAM_INVALID_RESPONSE',
      message:
        "Upstream 'legacy' answered 200 with a body that is not usable: XML body is not valid: 1:10: unexpected close tag.",
    });
  });

  it('still applies the size limit first', async () => {
    await expect(readBody(response(200, `<r>${'x'.repeat(2000)}</r>`), 1024, 'legacy', xml)).rejects.toMatchObject({
      code: 'NAF_ERR_UPSTREAM_RESPONSE_TOO_LARGE',
    });
  });

  it('without a decoder, a 2xx body that is not JSON is still refused', async () => {
    await expect(readBody(response(200, '<r/>'), 1024, 'legacy')).rejects.toMatchObject({
      code: 'NAF_ERR_UPSTREAM_INVALID_RESPONSE',
    });
  });
});
