// The skill adapter over real HTTP against the started runtime. Scenarios ported as facts from the reference
// engine (naftiko/ikanos v1.0.0-alpha2): SkillIntegrationTest (catalogue, detail, descriptive skill, contents,
// file, download, unknown skill), SkillServerSpecRoundTripTest / SkillToolSpecDeserializationTest (what the
// fixture declares reaches the catalogue: hyphenated fields, both tool variants, nested instruction paths),
// ObservabilitySkillIntegrationTest (each request is observed: here an access line and a metrics sample, as
// this runtime has no tracing), SkillServerAdapter.validateSkills (dangling `from` / `instruction` refused
// at load). The fixture is test/fixtures/engine/skill-capability.yaml with its location made a real folder.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/diagnostics.js';
import { canary, scan } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const ENGINE_FIXTURE = new URL('../fixtures/engine/skill-capability.yaml', import.meta.url);
const PORTS = { restPort: 0, mcpPort: 0, skillPort: 0, controlPort: 0 };

const SKILL_MD = '---\nname: order-management\n---\n# Orders\n';
const GUIDE = '# Working with orders\n\nList them first.\n';
const USAGE = '# Usage\n';
let dir: string;
let outsideSecret: string;

/** The engine's fixture, its `location` pointed at a folder beside it (the engine's is an absent /tmp path). */
function writeCapability(name: string, edit: (yaml: string) => string = (y) => y): string {
  const yaml = readFileSync(ENGINE_FIXTURE, 'utf8').replace(
    'file:///tmp/naftiko-test-skills/order-management',
    'file:///./skills/order-management',
  );
  const file = join(dir, name);
  writeFileSync(file, edit(yaml));
  return file;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request sent byte for byte (fetch would resolve `..` and fix the Host header). */
function raw(base: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        scan(`raw response of ${path}`, body);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skill-adapter-'));
  const skill = join(dir, 'skills', 'order-management');
  mkdirSync(join(skill, 'examples'), { recursive: true });
  writeFileSync(join(skill, 'SKILL.md'), SKILL_MD);
  writeFileSync(join(skill, 'order-guide.md'), GUIDE);
  writeFileSync(join(skill, 'examples', 'usage.md'), USAGE);
  outsideSecret = canary('outside-skill-folder');
  writeFileSync(join(dir, 'outside.txt'), outsideSecret);
  writeFileSync(join(skill, '.env'), `TOKEN=${canary('dot-file')}\n`);
  symlinkSync(join(dir, 'outside.txt'), join(skill, 'link-out.md'));
  symlinkSync(join(skill, 'order-guide.md'), join(skill, 'link-in.md'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('skill catalogue (engine skill-capability.yaml)', () => {
  let rt: TestRuntime;
  let base: string;
  beforeAll(async () => {
    rt = await startTestRuntime({ file: writeCapability('skills.yaml'), ...PORTS });
    base = rt.urls['orders-skills'] ?? '';
  });
  afterAll(() => rt.close());

  it('says where it listens in the start-up banner', () => {
    expect(rt.logs.some((l) => l.includes(`SKILL adapter 'orders-skills' listening on ${base}/skills`))).toBe(true);
    // The fixture's `address: localhost`: loopback, like every adapter unless told otherwise.
    expect(base).toMatch(/^http:\/\/localhost:\d+$/);
  });

  it('lists every skill with its tool names (GET /skills)', async () => {
    const res = await fetch(`${base}/skills`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({
      count: 2,
      skills: [
        { name: 'order-management', description: 'Tools for managing orders', tools: ['list-orders', 'order-guide'] },
        { name: 'onboarding-guide', description: 'A purely descriptive skill with no tools', tools: [] },
      ],
    });
  });

  it('describes a skill: frontmatter fields and both tool variants (GET /skills/{name})', async () => {
    const res = await fetch(`${base}/skills/order-management`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      name: 'order-management',
      description: 'Tools for managing orders',
      'argument-hint': 'Use for order operations',
      'allowed-tools': 'list-orders',
      tools: [
        {
          name: 'list-orders',
          description: 'List all orders in the system',
          type: 'derived',
          invocationRef: { targetNamespace: 'orders-rest', action: 'list-orders', mode: 'rest' },
        },
        {
          name: 'order-guide',
          description: 'Guide for working with orders',
          type: 'instruction',
          instruction: 'order-guide.md',
        },
      ],
    });
  });

  it('describes a purely descriptive skill with an empty tool list', async () => {
    const body = (await (await fetch(`${base}/skills/onboarding-guide`)).json()) as Record<string, unknown>;
    expect(body).toEqual({
      name: 'onboarding-guide',
      description: 'A purely descriptive skill with no tools',
      tools: [],
    });
  });

  it('answers an unknown skill with a 404 problem on every per-skill route', async () => {
    for (const path of ['', '/contents', '/contents/SKILL.md', '/download']) {
      const res = await fetch(`${base}/skills/unknown-skill${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 404, code: 'NAF_ERR_SKILL_NOT_FOUND' });
    }
  });

  it('lists the folder: regular files and links inside it, sorted; never dot files or links out', async () => {
    const res = await fetch(`${base}/skills/order-management/contents`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { name: string; files: Array<Record<string, unknown>> };
    expect(body.name).toBe('order-management');
    expect(body.files).toEqual([
      { name: 'SKILL.md', path: 'SKILL.md', size: SKILL_MD.length, type: 'text/markdown' },
      { name: 'usage.md', path: 'examples/usage.md', size: USAGE.length, type: 'text/markdown' },
      { name: 'link-in.md', path: 'link-in.md', size: GUIDE.length, type: 'text/markdown' },
      { name: 'order-guide.md', path: 'order-guide.md', size: GUIDE.length, type: 'text/markdown' },
    ]);
  });

  it('serves one file, nested paths included, with its media type', async () => {
    const res = await fetch(`${base}/skills/order-management/contents/order-guide.md`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(await res.text()).toBe(GUIDE);
    const nested = await fetch(`${base}/skills/order-management/contents/examples/usage.md`);
    expect([nested.status, await nested.text()]).toEqual([200, USAGE]);
  });

  it('answers a missing file, and the contents of a skill without location, with 404', async () => {
    const missing = await fetch(`${base}/skills/order-management/contents/overview`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NAF_ERR_SKILL_FILE_NOT_FOUND' });
    for (const path of ['contents', 'contents/SKILL.md', 'download']) {
      const res = await fetch(`${base}/skills/onboarding-guide/${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'NAF_ERR_SKILL_FILE_NOT_FOUND' });
    }
  });

  it('downloads the folder as a ZIP holding exactly the listed files', async () => {
    const res = await fetch(`${base}/skills/order-management/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="order-management.zip"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);
    const entries = unzipSync(bytes);
    expect(Object.keys(entries).sort()).toEqual(['SKILL.md', 'examples/usage.md', 'link-in.md', 'order-guide.md']);
    expect(Buffer.from(entries['order-guide.md'] ?? []).toString()).toBe(GUIDE);
  });

  it.each([
    ['dot segments', '/skills/order-management/contents/../../outside.txt'],
    ['dot segments after a folder', '/skills/order-management/contents/examples/../../../outside.txt'],
    ['encoded dot segments', '/skills/order-management/contents/%2e%2e/%2e%2e/outside.txt'],
    ['encoded slashes', '/skills/order-management/contents/..%2F..%2Foutside.txt'],
    ['an encoded absolute path', '/skills/order-management/contents/%2F{DIR}%2Foutside.txt'],
    ['an absolute path after //', '/skills/order-management/contents//{DIR}/outside.txt'],
    ['a backslash', '/skills/order-management/contents/..%5C..%5Coutside.txt'],
    ['a NUL byte', '/skills/order-management/contents/order-guide.md%00.txt'],
    ['a link out of the folder', '/skills/order-management/contents/link-out.md'],
    ['a dot file', '/skills/order-management/contents/.env'],
  ])('refuses %s with a 400 and reads nothing outside', async (_what, template) => {
    const path = template.replace('{DIR}', template.includes('%2F') ? encodeURIComponent(dir.slice(1)) : dir.slice(1));
    const res = await raw(base, path);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'NAF_ERR_UNSAFE_PATH' });
    expect(res.body).not.toContain(outsideSecret);
  });

  it('serves a link that stays inside the folder', async () => {
    const res = await fetch(`${base}/skills/order-management/contents/link-in.md`);
    expect([res.status, await res.text()]).toEqual([200, GUIDE]);
  });

  it('is read-only: other methods are 405 with Allow', async () => {
    for (const path of ['/skills', '/skills/order-management', '/skills/order-management/contents/SKILL.md']) {
      const res = await fetch(`${base}${path}`, { method: 'DELETE' });
      expect(res.status, path).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(await res.json()).toMatchObject({ code: 'NAF_ERR_METHOD_NOT_ALLOWED' });
    }
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding) with 403, and two Host headers with 400', async () => {
    const foreign = await raw(base, '/skills', { host: 'evil.example:80' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ code: 'NAF_ERR_FORBIDDEN_HOST' });
    expect((await raw(base, '/health/live', { host: 'evil.example' })).status).toBe(200);
    expect((await raw(base, '/skills', { host: 'localhost' })).status).toBe(200);
    const url = new URL(base);
    const twice = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () =>
        socket.end('GET /skills HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(twice).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('writes one access line per request, naming the route, and counts it in /metrics', async () => {
    const res = await fetch(`${base}/skills/order-management/contents/SKILL.md`, {
      headers: { 'x-request-id': 'skill-req-1' },
    });
    expect(res.headers.get('x-request-id')).toBe('skill-req-1');
    await res.text();
    // The access line is written when the response finishes, which can be just after the client has it all.
    const find = () =>
      rt.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['reqId'] === 'skill-req-1');
    for (let i = 0; i < 100 && !find(); i++) await new Promise((r) => setTimeout(r, 20));
    const line = find();
    expect(line).toMatchObject({
      adapter: 'skill',
      method: 'GET',
      status: 200,
      binding: 'orders-skills.order-management.file',
      url: '/skills/order-management/contents/SKILL.md',
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /runtime_requests_total\{adapter="skill",binding="orders-skills\.catalog",status="200"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /runtime_errors_total\{adapter="skill",binding="orders-skills\.order-management\.file",code="NAF_ERR_UNSAFE_PATH",kind="input"\} [1-9]/,
    );
  });
});

describe('skill adapter with inbound authentication', () => {
  let rt: TestRuntime;
  let base: string;
  const token = canary('skill-token');
  beforeAll(async () => {
    const file = writeCapability('skills-auth.yaml', (y) =>
      y
        .replace(
          'capability:\n',
          'binds:\n  - namespace: env\n    keys:\n      SKILL_TOKEN: SKILL_TOKEN\ncapability:\n',
        )
        .replace(
          '      namespace: "orders-skills"\n',
          '      namespace: "orders-skills"\n      authentication:\n        type: bearer\n        token: "{{SKILL_TOKEN}}"\n',
        ),
    );
    rt = await startTestRuntime({ file, ...PORTS, env: { SKILL_TOKEN: token } });
    base = rt.urls['orders-skills'] ?? '';
  });
  afterAll(() => rt.close());

  it('refuses no token and a wrong one with 401 + WWW-Authenticate, and serves the right one', async () => {
    const none = await fetch(`${base}/skills`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ code: 'NAF_ERR_UNAUTHORIZED' });
    const wrong = await fetch(`${base}/skills/order-management/contents/order-guide.md`, {
      headers: { authorization: `Bearer ${token}x` },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${base}/skills/order-management/download`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(right.status).toBe(200);
    expect(rt.logs.some((l) => l.includes('(inbound auth on)') && l.includes('SKILL adapter'))).toBe(true);
  });

  it('keeps health probes open', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });
});

describe('tutorial step 8: skill groups over the MCP tools', () => {
  const STEP8 = new URL('../spec/fixtures/corpus/step-8-shipyard-skill-groups.yml', import.meta.url);
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ file: fileURLToPath(STEP8), ...PORTS, host: '127.0.0.1' });
  });
  afterAll(() => rt.close());

  it('points each derived tool at the shipyard MCP adapter', async () => {
    const base = rt.urls['shipyard-skills'] ?? '';
    const catalogue = (await (await fetch(`${base}/skills`)).json()) as { count: number };
    expect(catalogue.count).toBe(2);
    const voyage = (await (await fetch(`${base}/skills/voyage-ops`)).json()) as { tools: unknown[] };
    expect(voyage.tools).toEqual([
      {
        name: 'create-voyage',
        description: 'Plan a new voyage with ship, crew, route, and dates',
        type: 'derived',
        invocationRef: { targetNamespace: 'shipyard-tools', action: 'create-voyage', mode: 'mcp' },
      },
    ]);
  });
});

describe('a skill adapter on its own (instruction tools only)', () => {
  function standalone(): string {
    const file = join(dir, 'standalone.yaml');
    writeFileSync(
      file,
      [
        'naftiko: "1.0.0-alpha2"',
        'info: { label: "Guides", description: "Only guides." }',
        'capability:',
        '  exposes:',
        '    - type: skill',
        '      port: 9097',
        '      namespace: guides',
        '      skills:',
        '        - name: order-management',
        '          description: How to work with orders.',
        '          location: file:///./skills/order-management',
        '          tools:',
        '            - { name: order-guide, description: The guide., instruction: order-guide.md }',
        '',
      ].join('\n'),
    );
    return file;
  }

  it('serves its catalogue with no sibling adapter and no upstream', async () => {
    const rt = await startTestRuntime({ file: standalone(), ...PORTS });
    try {
      const res = await fetch(`${rt.urls['guides'] ?? ''}/skills/order-management/contents/order-guide.md`);
      expect([res.status, await res.text()]).toEqual([200, GUIDE]);
    } finally {
      await rt.close();
    }
  });

  it('refuses to listen beyond loopback without inbound auth under --require-auth', async () => {
    const started = startTestRuntime({ file: standalone(), ...PORTS, host: '0.0.0.0', requireAuth: true });
    await expect(started).rejects.toThrow(
      /SKILL adapter 'guides' would listen on 0\.0\.0\.0 without inbound authentication: anyone who can reach it can read the skill catalogue/,
    );
  });
});

describe('skill references are checked at load', () => {
  async function loadError(file: string): Promise<string[]> {
    const err = await startTestRuntime({ file, ...PORTS }).then(
      (rt) => rt.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`);
  }

  it('refuses a from.action that names no operation of the sibling adapter', async () => {
    const file = writeCapability('bad-action.yaml', (y) => y.replace('action: "list-orders"', 'action: "list-order"'));
    expect(await loadError(file)).toEqual(['NAF_SPEC_SKILL_FROM_ACTION 45:25']);
  });

  it('refuses a from.sourceNamespace that names no rest/mcp adapter (a consumes namespace is not one)', async () => {
    const file = writeCapability('bad-namespace.yaml', (y) =>
      y.replace('sourceNamespace: "orders-rest"', 'sourceNamespace: "mock-orders"'),
    );
    expect(await loadError(file)).toEqual(['NAF_SPEC_SKILL_FROM_NAMESPACE 44:34']);
  });

  it('refuses a missing instruction file, and one whose link leads out of the folder', async () => {
    const missing = writeCapability('bad-instruction.yaml', (y) => y.replace('"order-guide.md"', '"guides/none.md"'));
    expect(await loadError(missing)).toEqual(['NAF_SPEC_SKILL_INSTRUCTION_MISSING 48:28']);
    const escaping = writeCapability('bad-link.yaml', (y) => y.replace('"order-guide.md"', '"link-out.md"'));
    expect(await loadError(escaping)).toEqual(['NAF_SPEC_SKILL_INSTRUCTION_PATH 48:28']);
  });

  it('loads the engine fixture as written (its location folder is not provisioned) with a warning; its files 404', async () => {
    // As the engine does: SkillIntegrationTest accepts 200 or 404 for contents, file and download.
    const file = join(dir, 'as-written.yaml');
    writeFileSync(file, readFileSync(ENGINE_FIXTURE, 'utf8'));
    const rt = await startTestRuntime({ file, ...PORTS });
    try {
      const base = rt.urls['orders-skills'] ?? '';
      expect(((await (await fetch(`${base}/skills`)).json()) as { count: number }).count).toBe(2);
      for (const path of ['contents', 'contents/order-guide.md', 'download']) {
        const res = await fetch(`${base}/skills/order-management/${path}`);
        expect(res.status, path).toBe(404);
        expect(await res.json()).toMatchObject({ code: 'NAF_ERR_SKILL_FILE_NOT_FOUND' });
      }
      const warning = rt.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l['code'] === 'NAF_SPEC_SKILL_LOCATION');
      expect(warning).toMatchObject({ at: '37:21' });
    } finally {
      await rt.close();
    }
  });
});
