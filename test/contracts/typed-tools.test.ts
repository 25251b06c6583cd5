// Upstream contracts end to end: the Logto capability with Logto's OpenAPI document, over real HTTP and both
// MCP client generations. Typed inputSchema/outputSchema on all six tools, every structuredContent valid
// against its outputSchema (ajv here, as a client would), typed /openapi.json (Spectral-clean).

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsNs from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBoth, type McpClient } from '../interpreter/mcp-clients.js';
import type { ToolResult } from '../conformance/sides.js';
import { json, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { spectralLint } from '../support/spectral.js';
import { OPENAPI } from './contract-files.js';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[] };
interface Listed {
  name: string;
  inputSchema: Schema;
  outputSchema?: Schema;
}

let rt: TestRuntime;
let clients: McpClient[];
let tools: Listed[][];
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormatsNs.default(ajv);

beforeAll(async () => {
  rt = await startTestRuntime({ sandbox: true, contracts: [{ location: OPENAPI, from: '--openapi' }] });
  clients = await connectBoth(rt.mcpUrl);
  tools = await Promise.all(clients.map(async (c) => (await c.list()) as unknown as Listed[]));
});
afterAll(async () => {
  await Promise.all((clients ?? []).map((c) => c.close()));
  await rt?.close();
});

const tool = (i: number, name: string) => tools[i]?.find((t) => t.name === name) as Listed;
const body = (t: Listed) => t.inputSchema.properties?.['body'] as Schema;

/** A successful result: its structuredContent validates against the tool's listed outputSchema. */
function conforming(i: number, name: string, r: ToolResult): Record<string, unknown> {
  expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  const schema = tool(i, name).outputSchema;
  expect(schema, `${name} declares an outputSchema`).toBeDefined();
  const validate = ajv.compile(schema as object);
  expect(validate(r.structuredContent), JSON.stringify(validate.errors)).toBe(true);
  return r.structuredContent as Record<string, unknown>;
}

describe('tools/list with the upstream contract (both client generations)', () => {
  it('types every body field, enum, format and bound, with descriptions', () => {
    for (const i of [0, 1]) {
      const create = body(tool(i, 'create-one-time-token'));
      expect(create.required).toEqual(['email']);
      expect(create.properties?.['email']).toMatchObject({ type: 'string', minLength: 1, maxLength: 128 });
      expect(create.properties?.['expiresIn']).toMatchObject({ type: 'number', minimum: 1 });
      expect(String(create.properties?.['expiresIn']?.['description'])).toMatch(/in seconds/);
      expect(create.properties?.['context']?.properties?.['interactionEvent']).toMatchObject({
        enum: ['SignIn', 'Register', 'ForgotPassword'],
      });
      const verify = body(tool(i, 'verify-one-time-token'));
      expect(verify.required).toEqual(['token', 'email']);
      expect(Object.keys(verify.properties ?? {})).toEqual(['email', 'token']);
      expect(body(tool(i, 'update-one-time-token-status')).properties?.['status']).toMatchObject({
        enum: ['active', 'consumed', 'revoked', 'expired'],
      });
      const list = tool(i, 'get-one-time-tokens').inputSchema.properties ?? {};
      expect(list['status']).toMatchObject({ enum: ['active', 'consumed', 'revoked', 'expired'] });
      expect(list['email']).toMatchObject({ type: 'string', format: 'email' });
      expect(list['page_size']).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
      for (const name of ['get-one-time-token-id', 'delete-one-time-token-id', 'update-one-time-token-status'])
        expect(tool(i, name).inputSchema.properties?.['id']?.['description']).toBe(
          'The unique identifier of the one time token.',
        );
    }
  });

  it('declares an object-rooted outputSchema for each JSON response, none for the 204 delete', () => {
    for (const i of [0, 1]) {
      for (const name of ['create-one-time-token', 'verify-one-time-token', 'get-one-time-token-id']) {
        const out = tool(i, name).outputSchema as Schema;
        expect(out.type).toBe('object');
        expect(Object.keys(out.properties ?? {})).toEqual(
          expect.arrayContaining(['id', 'email', 'token', 'status', 'expiresAt']),
        );
      }
      const list = tool(i, 'get-one-time-tokens').outputSchema as Schema;
      expect(list).toMatchObject({ type: 'object', required: ['result'] });
      expect(list.properties?.['result']?.['type']).toBe('array');
      expect(list.properties?.['pagination']?.properties).toHaveProperty('next');
      expect(tool(i, 'delete-one-time-token-id').outputSchema).toBeUndefined();
    }
  });
});

describe('tools/call results conform to their outputSchema (both client generations)', () => {
  it('create, get, list, verify, update status', async () => {
    for (const [i, c] of clients.entries()) {
      const email = `typed-${i}@example.com`;
      const created = conforming(
        i,
        'create-one-time-token',
        await c.call({ tool: 'create-one-time-token', args: { body: { email, expiresIn: 60 } } }),
      );
      expect(created).toMatchObject({ email, status: 'active' });
      const id = String(created['id']);
      conforming(i, 'get-one-time-token-id', await c.call({ tool: 'get-one-time-token-id', args: { id } }));
      const listed = conforming(
        i,
        'get-one-time-tokens',
        await c.call({ tool: 'get-one-time-tokens', args: { email } }),
      );
      expect(listed['result']).toEqual([expect.objectContaining({ id })]);
      const verified = conforming(
        i,
        'verify-one-time-token',
        await c.call({ tool: 'verify-one-time-token', args: { body: { email, token: created['token'] } } }),
      );
      expect(verified['status']).toBe('consumed');
      const revoked = conforming(
        i,
        'update-one-time-token-status',
        await c.call({ tool: 'update-one-time-token-status', args: { id, body: { status: 'revoked' } } }),
      );
      expect(revoked['status']).toBe('revoked');
      const deleted = await c.call({ tool: 'delete-one-time-token-id', args: { id } });
      expect(deleted.isError).toBeFalsy();
    }
  });

  it('an upstream error is a tool error without schema-violating structuredContent', async () => {
    for (const c of clients) {
      const r = await c.call({ tool: 'get-one-time-token-id', args: { id: 'nosuchtoken' } });
      expect(r.isError).toBe(true);
      expect(r.structuredContent).toBeUndefined();
      expect(r.content.map((x) => x.text).join('\n')).toMatch(/404.*entity\.not_exists_with_id/);
    }
  });

  it('a bad enum value is a tool error naming the field, as REST is a 400 naming it', async () => {
    for (const c of clients) {
      const r = await c.call({ tool: 'update-one-time-token-status', args: { id: 'x', body: { status: 'used' } } });
      expect(r.isError).toBe(true);
      expect(r.content.map((x) => x.text).join('\n')).toContain("'body.status'");
    }
    const res = await rt.rest('/v1/api/one-time-tokens/x/status', { method: 'PUT', ...json({ status: 'used' }) });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: Array<{ argument: string }> };
    expect(problem.errors.map((e) => e.argument)).toContain('body.status');
  });
});

describe('/openapi.json with the upstream contract', () => {
  it('carries typed request and response schemas and stays Spectral oas clean', async () => {
    const doc = (await (await rt.rest('/openapi.json')).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const post = doc.paths['/v1/api/one-time-tokens']?.['post'] as {
      requestBody: { content: Record<string, { schema: Schema }> };
      responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
    };
    const schema = post.requestBody.content['application/json']?.schema as Schema;
    expect(schema.required).toEqual(['email']);
    expect(schema.properties?.['expiresIn']).toMatchObject({ type: 'number', minimum: 1 });
    expect(post.responses['201']?.content?.['application/json']?.schema.properties).toHaveProperty('token');
    const list = doc.paths['/v1/api/one-time-tokens']?.['get'] as {
      parameters: Array<{ name: string; schema: Schema }>;
      responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: Schema }> }>;
    };
    expect(list.parameters.find((p) => p.name === 'status')?.schema.enum).toEqual([
      'active',
      'consumed',
      'revoked',
      'expired',
    ]);
    expect(list.responses['200']?.content?.['application/json']?.schema.type).toBe('array');
    expect(Object.keys(list.responses['200']?.headers ?? {})).toEqual(['Total-Number', 'Link']);
    const errors = (await spectralLint(doc)).filter((r) => r.severity === 0);
    expect(errors).toEqual([]);
  }, 60_000);
});
