// The tutorial end to end: each step file served by the real runtime against the shipyard stand-in
// (the Microcks examples), every tool over both MCP client generations and every REST operation over
// fetch, with exact results and the exact upstream requests. The files are the committed copy of the
// tutorial corpus (test/spec/fixtures/corpus, same as ../shared/reference/corpus/tutorial).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RecordedRequest } from '../helpers/recording-upstream.js';
import { startShipyard, TUTORIAL_SECRETS, type Shipyard } from '../helpers/shipyard-upstream.js';
import { mcpOutcome, restOutcome, textOf, wrapForEra, type Outcome } from '../conformance/sides.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { connectBoth, type McpClient } from './mcp-clients.js';
import { STEPS, type Sent, type TutorialStep } from './tutorial-cases.js';

const CORPUS = resolve(import.meta.dirname, '../spec/fixtures/corpus');

interface Exposed {
  readonly tools: string[];
  /** Each tool's declared input types (a `ref` tool's from its aggregate function). */
  readonly inputs: Record<string, Record<string, string>>;
  readonly operations: string[];
  readonly skillTools: string[];
}

/** What the file exposes, read from the YAML itself (not from our compiler). */
function exposedBy(file: string): Exposed {
  type Params = Array<{ name: string; type: string }>;
  type Fn = { name: string; inputParameters?: Params };
  const doc = parse(readFileSync(resolve(CORPUS, file), 'utf8')) as {
    capability: {
      exposes: Array<Record<string, unknown>>;
      aggregates?: Array<{ namespace: string; functions: Fn[] }>;
    };
  };
  const functions = new Map<string, Fn>(
    (doc.capability.aggregates ?? []).flatMap((a) =>
      a.functions.map((f): [string, Fn] => [`${a.namespace}.${f.name}`, f]),
    ),
  );
  const out: Exposed = { tools: [], inputs: {}, operations: [], skillTools: [] };
  for (const e of doc.capability.exposes) {
    if (e['type'] === 'mcp')
      for (const t of e['tools'] as Array<{ name: string; ref?: string; inputParameters?: Params }>) {
        out.tools.push(t.name);
        const params = t.inputParameters ?? (t.ref ? functions.get(t.ref)?.inputParameters : undefined) ?? [];
        out.inputs[t.name] = Object.fromEntries(params.map((p) => [p.name, p.type]));
      }
    if (e['type'] === 'rest')
      for (const r of e['resources'] as Array<{ path: string; operations: Array<{ method: string }> }>)
        for (const op of r.operations) out.operations.push(`${op.method} ${r.path}`);
    if (e['type'] === 'skill')
      for (const s of e['skills'] as Array<{ name: string; tools?: Array<{ name: string }> }>)
        for (const t of s.tools ?? []) out.skillTools.push(`${s.name}/${t.name}`);
  }
  return out;
}

/** The parts of an upstream request the tutorial fixes: method, path, query, credential, version, body. */
function seen(api: Sent['api'], r: RecordedRequest) {
  return {
    api,
    method: r.method,
    path: r.path,
    query: r.query,
    credential: api === 'registry' ? r.headers.authorization : r.headers['x-dock-key'],
    version: r.headers['registry-version'],
    contentType: r.headers['content-type'],
    body: r.text === '' ? undefined : (r.json ?? r.text),
  };
}

function expected(step: TutorialStep, s: Sent) {
  const registry = s.api === 'registry';
  return {
    api: s.api,
    method: s.method,
    path: s.path,
    query: s.query ?? '',
    credential: registry ? `Bearer ${step.registryToken}` : TUTORIAL_SECRETS.dockyardKey,
    version: registry ? step.registryVersion : undefined,
    contentType: s.body === undefined ? undefined : 'application/json',
    body: s.body,
  };
}

function upstreamSeen(yard: Shipyard) {
  return [
    ...yard.registry.requests.map((r) => seen('registry', r)),
    ...yard.legacy.requests.map((r) => seen('legacy', r)),
  ];
}

const ordered = (sends: readonly Sent[]) => [
  ...sends.filter((s) => s.api === 'registry'),
  ...sends.filter((s) => s.api === 'legacy'),
];

for (const step of STEPS) {
  describe(step.file, () => {
    const exposed = exposedBy(step.file);
    let yard: Shipyard;
    let rt: TestRuntime;
    let clients: McpClient[];
    let mcpUrl: string;
    const auth = step.mcpAuth ? { authorization: `Bearer ${TUTORIAL_SECRETS.mcpServerToken}` } : undefined;

    beforeAll(async () => {
      yard = await startShipyard({ registryToken: step.registryToken || TUTORIAL_SECRETS.registryToken });
      rt = await startTestRuntime({ file: resolve(CORPUS, step.file), baseUris: yard.baseUris, host: '127.0.0.1' });
      mcpUrl = `${rt.urls['shipyard-tools'] ?? ''}/mcp`;
      clients = await connectBoth(mcpUrl, auth);
    });
    afterAll(async () => {
      await Promise.all((clients ?? []).map((c) => c.close()));
      await rt?.close();
      await yard?.close();
    });

    it('serves every exposed item (skill items: see the skill catalogue test)', () => {
      const served = rt.table.bindings;
      const tools = served
        .filter((b) => b.expose.kind === 'mcp')
        .map((b) => (b.expose.kind === 'mcp' ? b.expose.name : ''));
      const ops = served.filter((b) => b.expose.kind === 'rest').length;
      expect(tools, 'MCP tools served').toEqual(exposed.tools);
      expect(ops, 'REST operations served').toBe(exposed.operations.length);
      expect(rt.table.unsupported, 'refused items').toEqual([]);
      // Every exposed item has cases here, so "served" means "works", not just "routed".
      expect(new Set(step.toolCases.map((c) => c.tool))).toEqual(new Set(exposed.tools));
      const uncovered = exposed.operations.filter((op) => {
        const [method, path] = op.split(' ') as [string, string];
        const re = new RegExp(`^${path.replace(/\{\{?\w+\}?\}/g, '[^/?]+')}(\\?.*)?$`);
        return !step.restCases.some((c) => c.method === method && re.test(c.url));
      });
      expect(uncovered, 'REST operations without a case').toEqual([]);
    });

    it.skipIf(exposed.skillTools.length === 0)(
      'skill catalogue: every skill tool derives from a served MCP tool',
      (ctx) => {
        // The skill adapter is another slice: until it compiles a catalogue into the table, this reports as skipped.
        if (!rt.table.skills) return ctx.skip();
        const listed = rt.table.skills.flatMap((c) =>
          c.skills.flatMap((s) => s.tools.map((t) => ({ skill: s.name, t }))),
        );
        expect(listed.map(({ skill, t }) => `${skill}/${t.name}`)).toEqual(exposed.skillTools);
        for (const { t } of listed) {
          expect(t.type).toBe('derived');
          if (t.type !== 'derived') continue;
          expect(t.invocationRef).toMatchObject({ targetNamespace: 'shipyard-tools', mode: 'mcp' });
          expect(exposed.tools).toContain(t.invocationRef.action);
        }
      },
    );

    it('tools/list: names in order, required inputs, hints', async () => {
      for (const client of clients) {
        const tools = await client.list();
        expect(
          tools.map((t) => t.name),
          client.label,
        ).toEqual(step.tools);
        for (const t of tools) {
          expect(t.inputSchema.required ?? [], `${client.label}: ${t.name} required`).toEqual(step.required[t.name]);
          const types = Object.fromEntries(Object.entries(t.inputSchema.properties ?? {}).map(([k, v]) => [k, v.type]));
          expect(types, `${client.label}: ${t.name} input types`).toEqual(exposed.inputs[t.name]);
          const hints = step.annotations?.[t.name];
          if (hints) expect(t.annotations, `${client.label}: ${t.name} annotations`).toMatchObject(hints);
        }
      }
    });

    if (step.mcpAuth)
      it('MCP refuses a caller without the bound MCP_SERVER_TOKEN', async () => {
        const res = await fetch(mcpUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
        });
        expect(res.status).toBe(401);
      });

    describe('MCP tools', () => {
      it.each(step.toolCases.map((c) => [`${c.tool}: ${c.name}`, c] as const))('%s', async (_n, c) => {
        for (const client of clients) {
          yard.clear();
          const r = await client.call({ tool: c.tool, args: c.args });
          expect(upstreamSeen(yard), `${client.label}: upstream requests`).toEqual(
            ordered(c.sends).map((s) => expected(step, s)),
          );
          expect(mcpOutcome(r), client.label).toEqual(c.outcome);
          checkMcpForm(r, c.outcome, client);
        }
      });
    });

    if (step.restCases.length)
      describe('REST operations', () => {
        it.each(step.restCases.map((c) => [`${c.method} ${c.url}: ${c.name}`, c] as const))('%s', async (_n, c) => {
          yard.clear();
          const res = await fetch(`${rt.urls['shipyard-api'] ?? ''}${c.url}`, {
            method: c.method,
            ...(c.body === undefined
              ? {}
              : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.body) }),
          });
          const text = await res.text();
          expect(upstreamSeen(yard), 'upstream requests').toEqual(ordered(c.sends).map((s) => expected(step, s)));
          expect(res.status).toBe(c.status);
          const outcome = restOutcome({
            status: res.status,
            contentType: res.headers.get('content-type') ?? '',
            text,
            json: text === '' ? undefined : (JSON.parse(text) as unknown),
          });
          expect(outcome).toEqual(c.outcome);
        });
      });
  });
}

/** Beyond the outcome: data is in both the text block and structuredContent (era-wrapped). */
function checkMcpForm(r: Awaited<ReturnType<McpClient['call']>>, outcome: Outcome, client: McpClient): void {
  if (outcome.kind === 'data') {
    expect(r.isError ?? false, client.label).toBe(false);
    expect(JSON.parse(textOf(r)), `${client.label}: text`).toEqual(outcome.data);
    expect(r.structuredContent, `${client.label}: structuredContent`).toEqual(wrapForEra(outcome.data, client.era));
    return;
  }
  expect(r.isError, client.label).toBe(true);
  if (outcome.kind === 'runtime-error') expect(textOf(r)).toContain(`(${outcome.code})`);
}
