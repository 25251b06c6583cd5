// The example capability capabilities/examples/skills.yaml as a user runs it: `node dist/cli.js start …`
// (needs `npm run build`). The skill adapter proxies nothing, so no upstream is needed to list and read skills.

import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../support/cli.js';

const EXAMPLE = 'capabilities/examples/skills.yaml';

describe('capabilities/examples/skills.yaml', () => {
  let p: CliProcess | undefined;
  afterEach(async () => {
    p?.child.kill('SIGTERM');
    if (p) expect(await p.exit).toBe(0);
    p = undefined;
  });

  it('start serves its catalogue, a skill with tools of both sibling adapters, and its files', async () => {
    p = runCli(['start', EXAMPLE, '--rest-port', '0', '--mcp-port', '0', '--skill-port', '0']);
    const [, url] = await p.waitFor(
      /SKILL adapter 'todos-skills' listening on (http:\/\/127\.0\.0\.1:\d+)\/skills/,
      30_000,
    );
    const catalogue = (await (await fetch(`${url}/skills`)).json()) as {
      count: number;
      skills: Array<{ name: string }>;
    };
    expect(catalogue.count).toBe(2);
    expect(catalogue.skills.map((s) => s.name)).toEqual(['triage-todos', 'team-conventions']);

    const detail = (await (await fetch(`${url}/skills/triage-todos`)).json()) as {
      tools: Array<{ name: string; invocationRef?: { mode: string }; instruction?: string }>;
    };
    expect(detail.tools.map((t) => [t.name, t.invocationRef?.mode ?? t.instruction])).toEqual([
      ['list-todos', 'rest'],
      ['get-user', 'mcp'],
      ['triage-guide', 'guides/triage.md'],
    ]);
    const guide = await fetch(`${url}/skills/triage-todos/contents/guides/triage.md`);
    expect(guide.status).toBe(200);
    expect(await guide.text()).toMatch(/^# Triage guide\n/);
    const descriptive = (await (await fetch(`${url}/skills/team-conventions`)).json()) as Record<string, unknown>;
    expect(descriptive).toMatchObject({ 'user-invocable': false, tools: [] });
  });

  it('inspect lists its skills', async () => {
    p = runCli(['inspect', EXAMPLE, '--format', 'json']);
    expect(await p.exit).toBe(0);
    const d = JSON.parse(p.out()) as { skills: Array<{ namespace: string; skills: Array<{ name: string }> }> };
    expect(d.skills.map((c) => [c.namespace, c.skills.map((s) => s.name)])).toEqual([
      ['todos-skills', ['triage-todos', 'team-conventions']],
    ]);
    p = undefined;
  });
});
