// The path rules shared by load-time instruction checks and the skill adapter's file route. Scenarios after the
// reference engine's SafePathResolverTest (naftiko/ikanos v1.0.0-alpha2), plus this runtime's dot-file rule.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInside, locationDir, resolveInside, unsafeReason } from './safe-path.js';

describe('locationDir', () => {
  it('resolves file:///./ and file:///../ against the capability folder, file:///abs as absolute', () => {
    expect(locationDir('file:///./skills/a', '/srv/cap')).toBe('/srv/cap/skills/a');
    expect(locationDir('file:///../shared', '/srv/cap')).toBe('/srv/shared');
    expect(locationDir('file:///tmp/naftiko-test-skills/order-management', '/srv/cap')).toBe(
      '/tmp/naftiko-test-skills/order-management',
    );
    expect(locationDir('https://example.com/x', '/srv/cap')).toBeUndefined();
  });
});

describe('unsafeReason', () => {
  it.each(['SKILL.md', 'guides/advanced/deep-guide.md', 'a_b-c.1.txt'])('accepts %s', (path) => {
    expect(unsafeReason(path)).toBeUndefined();
  });
  it.each([
    ['', 'empty'],
    ['../x.md', "'..'"],
    ['a/../../x.md', "'..'"],
    ['/etc/passwd', 'absolute'],
    ['C:/x', 'absolute'],
    ['a\\b', "'\\'"],
    ['a//b', 'empty'],
    ['./a', '"."'],
    ['.env', 'hidden'],
    ['.git/config', 'hidden'],
    ['a b.md', 'characters'],
    ['x%2e.md', 'characters'],
    ['a\0b', 'NUL'],
    [Array.from({ length: 17 }, () => 'a').join('/'), 'deeper'],
  ])('refuses %j (%s)', (path, why) => {
    expect(unsafeReason(path)).toContain(why);
  });
});

describe('resolveInside', () => {
  let root: string;
  let outside: string;
  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'safe-path-'));
    root = join(base, 'root');
    outside = join(base, 'outside.txt');
    mkdirSync(join(root, 'lib'), { recursive: true });
    writeFileSync(join(root, 'lib', 'helpers.js'), 'x');
    writeFileSync(outside, 'secret');
    symlinkSync(outside, join(root, 'escape.txt'));
    symlinkSync(join(root, 'lib', 'helpers.js'), join(root, 'inside.js'));
    symlinkSync(base, join(root, 'up'));
  });
  afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

  it('finds a file in a subfolder, and a link whose target stays inside', () => {
    expect(resolveInside(root, 'lib/helpers.js')).toMatchObject({ ok: true, size: 1 });
    expect(resolveInside(root, 'inside.js')).toMatchObject({ ok: true, path: expect.stringMatching(/helpers\.js$/) });
  });

  it('refuses links out of the folder, file or folder', () => {
    expect(resolveInside(root, 'escape.txt')).toMatchObject({ ok: false, problem: 'escape' });
    expect(resolveInside(root, 'up/outside.txt')).toMatchObject({ ok: false, problem: 'escape' });
  });

  it('tells a missing file and a folder from an unsafe path', () => {
    expect(resolveInside(root, 'nope.md')).toMatchObject({ ok: false, problem: 'missing' });
    expect(resolveInside(root, 'lib')).toMatchObject({ ok: false, problem: 'missing' });
    expect(resolveInside(root, '../outside.txt')).toMatchObject({ ok: false, problem: 'unsafe' });
    expect(resolveInside(join(root, 'absent'), 'x.md')).toMatchObject({ ok: false, problem: 'missing' });
    expect(resolveInside(join(root, 'absent'), '../../etc/passwd')).toMatchObject({ ok: false, problem: 'unsafe' });
  });

  it('compares whole path segments', () => {
    expect(isInside('/srv/skills', '/srv/skills/a')).toBe(true);
    expect(isInside('/srv/skills', '/srv/skills-evil/a')).toBe(false);
  });
});
