// `runtime start` flags and environment for hot reload (docs/reload.md). SIGHUP always reloads;
// `--watch` also reloads when the capability file changes on disk.

import { UsageError } from './io.js';

export const RELOAD_FLAGS = {
  watch: { type: 'boolean' },
} as const;

export const RELOAD_USAGE = `  Hot reload (SIGHUP always re-reads the file; a broken file leaves the running table in place):
  --watch                   also reload when the capability file changes (env RUNTIME_WATCH=1)
`;

export interface ReloadSettings {
  readonly watch?: boolean;
}

export function reloadSettings(
  values: { readonly watch?: boolean | undefined },
  env: NodeJS.ProcessEnv,
): ReloadSettings {
  const watch = values.watch ?? fromEnv(env['RUNTIME_WATCH']);
  return watch ? { watch } : {};
}

function fromEnv(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new UsageError(`RUNTIME_WATCH must be 1, true, 0 or false, got '${value}'`);
}
