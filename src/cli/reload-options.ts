// `runtime start` flags and environment for hot reload (docs/reload.md). SIGHUP always reloads;
// `--watch` also reloads when the capability file changes on disk.

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
  const watch = values.watch ?? (env['RUNTIME_WATCH'] === '1' || env['RUNTIME_WATCH'] === 'true');
  return watch ? { watch } : {};
}
