// `runtime openapi <file> --openapi …` prints the document `runtime start` would serve with the contract.

import { describe, expect, it } from 'vitest';
import { openapiCommand } from '../../src/cli/openapi.js';
import type { CliIO } from '../../src/cli/io.js';
import { SEED } from '../support/runtime.js';
import { OPENAPI } from './contract-files.js';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    isTTY: false,
    cwd: process.cwd(),
  };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

type Doc = {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
};
const createBody = (doc: Doc) =>
  doc.paths['/v1/api/one-time-tokens']?.['post']?.requestBody?.content['application/json']?.schema;

describe('runtime openapi with an upstream contract', () => {
  it('--openapi types the exported document; without it the body stays an open object', async () => {
    const typed = io();
    expect(await openapiCommand([SEED, '--openapi', OPENAPI], typed.cli)).toBe(0);
    expect(createBody(JSON.parse(typed.out()) as Doc)).toMatchObject({
      required: ['email'],
      properties: { expiresIn: { type: 'number' } },
    });
    const plain = io();
    expect(await openapiCommand([SEED], plain.cli)).toBe(0);
    expect(createBody(JSON.parse(plain.out()) as Doc)).toEqual({ type: 'object' });
  });

  it('reads NAFTIKO_OPENAPI_<NS> too, and reports a bad document on stderr with exit 1', async () => {
    const env = io({ NAFTIKO_OPENAPI_LOGTO_ONE_TIME_TOKENS: OPENAPI });
    expect(await openapiCommand([SEED], env.cli)).toBe(0);
    expect(createBody(JSON.parse(env.out()) as Doc)).toMatchObject({ required: ['email'] });
    const bad = io();
    expect(await openapiCommand([SEED, '--openapi', 'nope=x.json'], bad.cli)).toBe(1);
    expect(bad.err()).toContain("--openapi names namespace 'nope', which the capability does not consume");
  });
});
