// `--watch`: saving the file (an editor's rename-replace, or an in-place write) reloads it; a broken save is
// refused and the old table keeps serving.

import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { capabilityYaml, tempCapability, type TempCapability } from './capability.js';

let up: RecordingUpstream;
let cap: TempCapability;
let rt: TestRuntime;

beforeAll(async () => {
  up = await startRecordingUpstream();
  up.respond((r) => ({ body: { path: r.path } }));
  cap = await tempCapability(capabilityYaml({ upstream: up.url, ops: [{ name: 'list-items', path: '/items' }] }));
  rt = await startTestRuntime({ file: cap.file, watch: true });
});
afterAll(async () => {
  await rt?.close();
  await cap?.remove();
  await up?.close();
});

/** Resolves when the runtime has written `count` log lines whose message starts with `prefix`. */
async function logged(prefix: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  const seen = () => rt.logs.filter((l) => String((JSON.parse(l) as { msg?: string }).msg).startsWith(prefix)).length;
  while (seen() < count) {
    if (Date.now() > deadline) throw new Error(`no '${prefix}' log line #${count}; logs:\n${rt.logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const api = (path: string) => fetch(`${rt.urls['api'] ?? ''}${path}`);

describe('--watch', () => {
  it('reloads on a rename-replace save, then on an in-place write', async () => {
    await cap.write(capabilityYaml({ upstream: up.url, ops: [{ name: 'list-things', path: '/things' }] }));
    await logged('reloaded ', 1);
    expect((await api('/things')).status).toBe(200);
    expect((await api('/items')).status).toBe(404);

    await writeFile(cap.file, capabilityYaml({ upstream: up.url, ops: [{ name: 'list-items', path: '/items' }] }));
    await logged('reloaded ', 2);
    expect((await api('/items')).status).toBe(200);
  });

  it('a broken save is refused and the running table stays', async () => {
    await cap.write('naftiko: 1.0.0-alpha2\ncapability:\n  exposes: [\n');
    await logged('reload refused: ', 1);
    expect((await api('/items')).status).toBe(200);
    expect(rt.logs.filter((l) => l.includes('"msg":"reloaded '))).toHaveLength(2);
  });
});

describe('--watch on a Kubernetes ConfigMap mount', () => {
  it('reloads when the ..data symlink is swapped to a new version of the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reload-cm-'));
    const version = async (n: number, path: string) => {
      await mkdir(join(dir, `..v${n}`));
      await writeFile(
        join(dir, `..v${n}`, 'capability.yaml'),
        capabilityYaml({ upstream: up.url, ops: [{ name: `op${n}`, path }] }),
      );
    };
    await version(1, '/one');
    await symlink(`..v1`, join(dir, '..data'));
    await symlink('..data/capability.yaml', join(dir, 'capability.yaml'));
    const cm = await startTestRuntime({ file: join(dir, 'capability.yaml'), watch: true });
    try {
      expect((await fetch(`${cm.urls['api'] ?? ''}/one`)).status).toBe(200);
      await version(2, '/two');
      // The kubelet's atomic update: a new symlink renamed over ..data.
      await symlink('..v2', join(dir, '..data_tmp'));
      await rename(join(dir, '..data_tmp'), join(dir, '..data'));
      const deadline = Date.now() + 10_000;
      while (!cm.logs.some((l) => l.includes('"msg":"reloaded '))) {
        if (Date.now() > deadline) throw new Error(`no reload; logs:\n${cm.logs.join('\n')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      expect((await fetch(`${cm.urls['api'] ?? ''}/two`)).status).toBe(200);
      expect((await fetch(`${cm.urls['api'] ?? ''}/one`)).status).toBe(404);
    } finally {
      await cm.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
