// Spectral's `spectral:oas` ruleset run on an OpenAPI document, as the CLI a user would run.

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const SPECTRAL = resolve(import.meta.dirname, '../../node_modules/@stoplight/spectral-cli/dist/index.js');

export interface SpectralResult {
  readonly severity: number;
  readonly code: string;
  readonly message: string;
}

/** Every finding of `spectral lint` with the oas ruleset (severity 0 is an error). */
export async function spectralLint(doc: unknown): Promise<SpectralResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'spectral-'));
  await writeFile(join(dir, 'openapi.json'), JSON.stringify(doc));
  await writeFile(join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [SPECTRAL, 'lint', join(dir, 'openapi.json'), '-r', join(dir, '.spectral.yaml'), '-f', 'json', '-q'],
    { cwd: dir },
  ).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
  return JSON.parse(stdout || '[]') as SpectralResult[];
}
