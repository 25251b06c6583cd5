// outputRawFormat end to end: the engine's format capabilities (test/fixtures/engine/formats/*.yaml, ikanos
// v1.0.0-alpha2: XmlIntegrationTest, CsvIntegrationTest, YamlIntegrationTest, HtmlIntegrationTest,
// MarkdownIntegrationTest, AvroIntegrationTest, ProtobufIntegrationTest) served against a recording upstream that
// answers with the engine's sample files, and formats.yaml for RestXmlOutputFormatIntegrationTest,
// McpXmlOutputIntegrationTest, Avro and Protobuf with their schemas, over REST (fetch) and MCP (both SDKs).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import avro from 'avsc';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCapability } from '../../src/spec/load.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { dataOf, serveCapability, type Served } from '../support/capability.js';

const ENGINE = resolve(import.meta.dirname, '../fixtures/engine');
const sample = (name: string): Buffer => readFileSync(resolve(ENGINE, 'schemas', name));
const USERS = [
  { id: '1', name: 'Alice Smith', email: 'alice@example.com' },
  { id: '2', name: 'Bob Johnson', email: 'bob@example.com' },
  { id: '3', name: 'Carol White', email: 'carol@example.com' },
];

let up: RecordingUpstream;
beforeAll(async () => {
  up = await startRecordingUpstream();
});
afterAll(async () => {
  await up.close();
});

/**
 * Serves an engine format capability with its one consumed namespace pointed at the recording upstream. Three of
 * them write the consumed path without its leading slash (`api/users`), which this runtime does not join yet:
 * those are served from a copy with the slash (the only change).
 */
async function engine(name: string, namespace: string): Promise<Served> {
  const text = readFileSync(resolve(ENGINE, 'formats', name), 'utf8');
  const fixed = text.replace(/path: "api\//g, 'path: "/api/');
  let file = resolve(ENGINE, 'formats', name);
  if (fixed !== text) {
    file = join(mkdtempSync(join(tmpdir(), 'naf-formats-')), name);
    writeFileSync(file, fixed);
  }
  return serveCapability(file, { baseUris: { [namespace]: up.url } });
}

describe('the engine format capabilities over REST', () => {
  const cases = [
    ['csv-capability.yaml', 'mock-csv', 'test-csv', '/csv/users', 'sample-users.csv', 'text/csv', USERS],
    ['yaml-capability.yaml', 'mock-yaml', 'test-yaml', '/yaml/users', 'sample-users.yaml', 'application/yaml', USERS],
    [
      'html-capability.yaml',
      'mock-html',
      'test-html',
      '/html/products',
      'sample-products.html',
      'text/html',
      [
        { name: 'Widget', price: '$42', stock: '150' },
        { name: 'Gadget', price: '$99', stock: '30' },
      ],
    ],
    [
      'markdown-capability.yaml',
      'mock-markdown',
      'test-markdown',
      '/markdown/features',
      'sample-readme.md',
      'text/markdown',
      [
        { feature: 'HTML support', status: 'GA' },
        { feature: 'Markdown support', status: 'Beta' },
      ],
    ],
  ] as const;

  it.each(cases)('%s maps the decoded sample', async (file, ns, rest, path, body, type, expected) => {
    const served = await engine(file, ns);
    try {
      up.reset();
      up.respond(() => ({ headers: { 'content-type': type }, body: sample(body) }));
      const res = await fetch(`${served.url(rest)}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(expected);
      expect(up.requests).toHaveLength(1);
    } finally {
      await served.close();
    }
  });

  it('xml-capability.yaml: the root is dropped (as Jackson does), so its $.root.user mapping finds nothing', async () => {
    const served = await engine('xml-capability.yaml', 'mock-xml');
    try {
      up.reset();
      up.respond(() => ({ headers: { 'content-type': 'application/xml' }, body: sample('sample-users.xml') }));
      const res = await fetch(`${served.url('test-xml')}/xml/users`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(null);
      // The request asked for XML (the capability sets only User-Agent).
      expect(up.requests[0]?.headers['accept']).toMatch(/^application\/xml/);
      expect(up.requests[0]?.headers['user-agent']).toBe('Naftiko/1.0.0-alpha2');
    } finally {
      await served.close();
    }
  });

  it('avro and protobuf capabilities without outputSchema are refused at load and not served', async () => {
    for (const [file, rest, path] of [
      ['avro-capability.yaml', 'test-avro', '/avro/records'],
      ['proto-capability.yaml', 'test-protobuf', '/proto/records'],
    ] as const) {
      const loaded = await loadCapability(resolve(ENGINE, 'formats', file));
      expect(loaded.ok).toBe(true);
      expect(loaded.diagnostics.map((d) => d.code)).toContain('NAF_SPEC_UNSUPPORTED_FORMAT');
      const served = await engine(file, file.startsWith('avro') ? 'mock-avro' : 'mock-proto');
      try {
        up.reset();
        const res = await fetch(`${served.url(rest)}${path}`);
        expect(res.status).toBe(404);
        expect(up.requests).toHaveLength(0);
      } finally {
        await served.close();
      }
    }
  });
});

describe('formats.yaml over REST and MCP', () => {
  let served: Served;
  beforeAll(async () => {
    const file = resolve(import.meta.dirname, '../fixtures/capabilities/formats.yaml');
    served = await serveCapability(file, { baseUris: { legacy: up.url, binary: up.url } });
  });
  afterAll(async () => {
    await served.close();
  });

  const vessels = `<?xml version="1.0" encoding="UTF-8"?>
<vessels>
  <vessel><vesselCode>V001</vesselCode><vesselName>Sea Eagle</vesselName></vessel>
  <vessel><vesselCode>V002</vesselCode><vesselName>Harbor Star</vesselName></vessel>
</vessels>`;

  it('REST maps the XML vessels (RestXmlOutputFormatIntegrationTest)', async () => {
    up.reset();
    up.respond(() => ({ headers: { 'content-type': 'application/xml' }, body: vessels }));
    const res = await fetch(`${served.url('formats-rest')}/legacy/vessels`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { code: 'V001', name: 'Sea Eagle' },
      { code: 'V002', name: 'Harbor Star' },
    ]);
  });

  it('MCP maps the XML vessels (McpXmlOutputIntegrationTest), through both SDK generations', async () => {
    up.reset();
    up.respond(() => ({ headers: { 'content-type': 'application/xml' }, body: vessels }));
    const results = await served.tool('formats-mcp', 'list-legacy-vessels');
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.isError).toBeFalsy();
      expect(dataOf(r)).toEqual([
        { vesselCode: 'V001', name: 'Sea Eagle' },
        { vesselCode: 'V002', name: 'Harbor Star' },
      ]);
    }
  });

  it('TSV over REST and PSV over MCP', async () => {
    up.reset();
    up.respond((req) =>
      req.method === 'POST'
        ? { headers: { 'content-type': 'text/plain' }, body: sample('sample-users.psv') }
        : { headers: { 'content-type': 'text/tab-separated-values' }, body: sample('sample-users.tsv') },
    );
    const res = await fetch(`${served.url('formats-rest')}/users/tsv`);
    expect(await res.json()).toEqual(USERS.map((u) => ({ name: u.name })));
    for (const r of await served.tool('formats-mcp', 'list-psv-users'))
      expect(dataOf(r)).toEqual(USERS.map((u) => ({ email: u.email })));
  });

  it('Avro and Protobuf bodies, read with their outputSchema files', async () => {
    const avroType = avro.Type.forSchema(JSON.parse(sample('test-records.avsc').toString('utf8')) as avro.Schema);
    const proto = protobuf.parse(sample('test-records.proto').toString('utf8'), { keepCase: true }).root;
    const RecordsList = proto.lookupType('test.records.RecordsList');
    const records = [
      { id: 'r1', title: 'First', description: 'one' },
      { id: 'r2', title: 'Second', description: 'two' },
    ];
    up.reset();
    up.respond((req) =>
      req.path === '/avro'
        ? { headers: { 'content-type': 'application/avro' }, body: avroType.toBuffer({ records }) }
        : { body: Buffer.from(RecordsList.encode(RecordsList.fromObject({ records })).finish()) },
    );
    const a = await fetch(`${served.url('formats-rest')}/records/avro`);
    expect(await a.json()).toEqual(records.map(({ id, title }) => ({ id, title })));
    const p = await fetch(`${served.url('formats-rest')}/records/proto`);
    expect(await p.json()).toEqual(records.map(({ id, description }) => ({ id, description })));
    expect(up.requests.map((r) => r.headers['accept'])).toEqual([
      expect.stringMatching(/^application\/avro/),
      expect.stringMatching(/^application\/x-protobuf/),
    ]);
  });

  it('a malformed body is a 502 naming the upstream and the format, over REST and MCP', async () => {
    up.reset();
    up.respond(() => ({ headers: { 'content-type': 'application/xml' }, body: '<vessels><vessel></vessels>' }));
    const res = await fetch(`${served.url('formats-rest')}/legacy/vessels`);
    expect(res.status).toBe(502);
    const problem = (await res.json()) as { code?: string; detail?: string };
    expect(problem.code).toBe('NAF_ERR_UPSTREAM_INVALID_RESPONSE');
    expect(problem.detail).toMatch(
      /^Upstream 'legacy' answered 200 with a body that is not usable: XML body is not valid: /,
    );
    for (const r of await served.tool('formats-mcp', 'list-legacy-vessels')) {
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r.content)).toContain('XML body is not valid');
    }
  });
});
