// `--log-level loud` printed pino's stack trace (issue 13, smaller findings). The CLI refuses an unknown
// level in one line before anything starts; the logger itself, for any other caller, falls back to info
// with a warning instead of throwing.

import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { Secrets } from '../../src/secrets.js';
import { runCli, SEED_PATH } from '../support/cli.js';

describe('an unknown log level', () => {
  it('createLogger logs at info and says so, never throws', () => {
    for (const level of ['loud', 'toString', '']) {
      const lines: string[] = [];
      const log = createLogger({ secrets: new Secrets(), level, sink: (l) => lines.push(l) });
      log.debug('hidden');
      log.info('shown');
      expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
        `unknown log level '${level}': logging at info (trace|debug|info|warn|error|fatal|silent)`,
        'shown',
      ]);
    }
  });

  it('known levels, silent included, are used as given', () => {
    const lines: string[] = [];
    createLogger({ secrets: new Secrets(), level: 'silent', sink: (l) => lines.push(l) }).error('x');
    createLogger({ secrets: new Secrets(), level: 'warn', sink: (l) => lines.push(l) }).info('y');
    expect(lines).toEqual([]);
  });

  for (const [how, args, env] of [
    ['--log-level loud', ['--log-level', 'loud'], {}],
    ['LOG_LEVEL=loud', [], { LOG_LEVEL: 'loud' }],
  ] as const) {
    it(`the CLI with ${how}: exit 2, one line naming it, no stack`, async () => {
      const cli = runCli(['start', SEED_PATH, '--sandbox', ...args], env);
      expect(await cli.exit).toBe(2);
      const text = cli.err() + cli.out();
      expect(text).toMatch(/log-level|LOG_LEVEL/);
      expect(text).toContain("'loud'");
      expect(text).not.toMatch(/\n\s+at /);
    });
  }
});
