// `--watch`: calls back when the capability file changes. Watches the file's folder, not the file: editors
// save by writing a temporary file and renaming it over the old one, which ends a watch on the old inode, and a
// Kubernetes ConfigMap update swaps a `..data` symlink beside it (the event names that, not the file). So any
// event in the folder leads to a stat of the file (through symlinks), and only a new size, mtime or inode counts.
// A burst of events (write, chmod, rename) becomes one check after a quiet spell.

import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export const DEFAULT_WATCH_DEBOUNCE_MS = 200;

export interface FileWatcher {
  close(): void;
}

export function watchFile(file: string, onChange: () => void, debounceMs = DEFAULT_WATCH_DEBOUNCE_MS): FileWatcher {
  let timer: NodeJS.Timeout | undefined;
  let last = '';
  const fire = async () => {
    // Events also come for a touch or a chmod: only a new size or mtime is a new file to read.
    const now = await stat(file).then(
      (s) => `${s.size}:${s.mtimeMs}:${s.ino}`,
      () => 'missing',
    );
    // A file half-way through a rename-replace is missing for a moment: the rename's own event follows.
    if (now === 'missing' || now === last) return;
    last = now;
    onChange();
  };
  void stat(file).then(
    (s) => (last = `${s.size}:${s.mtimeMs}:${s.ino}`),
    () => undefined,
  );
  const watcher: FSWatcher = watch(dirname(file), { persistent: false }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => void fire(), debounceMs);
    timer.unref();
  });
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
