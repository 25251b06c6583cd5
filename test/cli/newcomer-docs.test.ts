// The reference pages keep up with the CLI: every `runtime start` flag is documented, and every start-up message
// a newcomer can trigger has its entry in docs/troubleshooting.md (a heading quoting its stable words).

import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { START_FLAG_SPECS } from '../../src/cli/start.js';
import { ROOT, SEED_PATH } from '../support/cli.js';

const DOCS = resolve(ROOT, 'docs');
const CONFIG = readFileSync(resolve(DOCS, 'configuration.md'), 'utf8');
const TROUBLE = readFileSync(resolve(DOCS, 'troubleshooting.md'), 'utf8');
const HEADINGS = [...TROUBLE.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1] as string);

async function stderrOf(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  let err = '';
  const io: CliIO = { stdout: () => {}, stderr: (t) => void (err += t), env, isTTY: false, cwd: ROOT };
  await main(argv, io);
  return err
    .split('\n')
    .filter((l) => /^runtime( \w+)?: /.test(l))
    .map((l) => l.replace(/^runtime( \w+)?: /, ''));
}

describe('docs/configuration.md', () => {
  it('documents every runtime start flag (its own page at least, for flag groups of other features)', () => {
    const all = readdirSync(DOCS)
      .filter((f) => f.endsWith('.md'))
      .map((f) => readFileSync(resolve(DOCS, f), 'utf8'))
      .join('\n');
    const flags = Object.keys(START_FLAG_SPECS).filter((f) => f !== 'help');
    expect(flags.length).toBeGreaterThan(25);
    expect(flags.filter((f) => !all.includes(`--${f}`))).toEqual([]);
    // The runtime's own groups are all on the reference page.
    for (const f of ['rest-port', 'var', 'base-uri', 'log-level', 'oauth-client-id', 'openapi', 'watch'])
      expect(CONFIG).toContain(`\`--${f}`);
  });
});

describe('docs/troubleshooting.md', () => {
  const cases: Array<[string, string[], NodeJS.ProcessEnv?]> = [
    ['flags', ['start', SEED_PATH, '--rest-prot', '1', '--sandbox=1', '--host', '--log-level', 'loud']],
    ['values', ['start', SEED_PATH, '--rest-port', 'x', '--body-limit', '-', '--call-timeout', 'soon', '--var', 'x']],
    ['positionals', ['start']],
    ['environment', ['start', SEED_PATH, '--sandbox'], { RUNTIME_WATCH: 'maybe', LOG_FORMAT: 'xml' }],
    ['names', ['start', SEED_PATH, '--var', 'tenantid=a', '--base-uri', 'logto=https://x', '--strict=1']],
    ['missing', ['start', SEED_PATH, '--rest-port', '0', '--mcp-port', '0'], { LOG_LEVEL: 'silent' }],
    [
      'bad URL',
      ['start', SEED_PATH, '--base-uri', 'logto-one-time-tokens=ftp://x'],
      { LOGTO_API_KEY: 'k', LOG_LEVEL: 'silent' },
    ],
    ['oauth', ['start', SEED_PATH, '--sandbox'], { OAUTH_SCOPE: 'all' }],
    ['oauth secret', ['start', SEED_PATH, '--sandbox'], { LOGTO_CLIENT_ID: 'a' }],
    ['command', ['strat']],
    ['allow-lists', ['start', SEED_PATH, '--sandbox', '--allowed-host', 'http://x/', '--allowed-origin', 'x']],
  ];
  for (const [name, argv, env] of cases)
    it(`every line of a ${name} problem has an entry`, async () => {
      const lines = (await stderrOf(argv, env)).filter((l) => !l.startsWith('('));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => !HEADINGS.some((h) => l.includes(h)))).toEqual([]);
    });
});
