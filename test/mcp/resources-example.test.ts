// The example capability capabilities/examples/mcp-resources-prompts.yaml as a user runs it:
// `node dist/cli.js start …` (needs `npm run build`), its public demo API replaced by a recording upstream.

import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { runCli } from '../support/cli.js';

const EXAMPLE = 'capabilities/examples/mcp-resources-prompts.yaml';

describe('capabilities/examples/mcp-resources-prompts.yaml', () => {
  let up: RecordingUpstream;
  beforeAll(async () => {
    up = await startRecordingUpstream();
  });
  afterAll(async () => up?.close());

  it('inspect lists its resources and prompts', async () => {
    const p = runCli(['inspect', EXAMPLE, '--format', 'json']);
    expect(await p.exit).toBe(0);
    const d = JSON.parse(p.out()) as {
      resources: Array<{ uri: string; template: boolean; source: string }>;
      prompts: Array<{ prompt: string; arguments: Array<{ name: string; required: boolean }> }>;
      unsupported: unknown[];
    };
    expect(d.resources.map((r) => [r.uri, r.template, r.source])).toEqual([
      ['handbook://onboarding', false, 'file ./handbook/onboarding.md'],
      ['handbook://pages', false, 'file ./handbook'],
      ['directory://users/{id}', true, 'GET {directory}/users/{{id}}'],
    ]);
    expect(d.prompts.map((x) => x.prompt)).toEqual(['welcome-new-hire', 'review-against-style-guide']);
    expect(d.prompts[0]?.arguments).toEqual([
      { name: 'name', required: true },
      { name: 'team', required: false },
    ]);
    expect(d.unsupported).toEqual([]);
  });

  it('start serves its pages, its user template and its prompts', async () => {
    const p = runCli(['start', EXAMPLE, '--mcp-port', '0', '--base-uri', `directory=${up.url}`]);
    const [, url] = await p.waitFor(/MCP adapter '[^']+' listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/, 30_000);
    const client = new Client(
      { name: 'example', version: '1' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(url ?? '')));
    try {
      expect((await client.listResources()).resources.map((r) => r.uri)).toEqual([
        'handbook://onboarding',
        'handbook://pages/onboarding.md',
        'handbook://pages/style-guide.md',
      ]);
      const page = await client.readResource({ uri: 'handbook://pages/style-guide.md' });
      expect(page.contents[0]).toMatchObject({
        mimeType: 'text/markdown',
        text: expect.stringMatching(/^# Style guide\n/),
      });

      up.script({
        body: { id: 3, name: 'Clementine Bauch', email: 'nathan@yesenia.net', company: { name: 'Keebler LLC' } },
      });
      const user = await client.readResource({ uri: 'directory://users/3' });
      expect(user.contents).toEqual([
        {
          uri: 'directory://users/3',
          mimeType: 'application/json',
          text: '{"name":"Clementine Bauch","email":"nathan@yesenia.net","company":"Keebler LLC"}',
        },
      ]);
      expect(up.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /users/3']);

      const prompt = await client.getPrompt({ name: 'welcome-new-hire', arguments: { name: 'Ada', team: 'platform' } });
      expect(prompt.messages[0]?.content).toEqual({
        type: 'text',
        text: 'Write a short, warm welcome message for Ada, who joins the platform team. Point them to the onboarding page.',
      });
    } finally {
      await client.close();
      p.child.kill('SIGTERM');
      expect(await p.exit).toBe(0);
    }
  });
});
