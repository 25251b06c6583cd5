// What each signal does to a running `runtime start`. None of them may kill the process with calls in
// flight: SIGTERM, SIGINT, SIGQUIT and SIGUSR2 drain (stop accepting, finish in-flight calls, exit 0);
// SIGHUP reloads the capability when the runtime can, else is logged and ignored; SIGUSR1, which would
// open the inspector on 127.0.0.1:9229 to anyone on the host, is logged and ignored (a listener for it
// disables Node's default; `node --inspect` still opens the inspector when asked for at start).

import type { Logger } from 'pino';

export interface SignalActions {
  /** Drain and exit; called again on a second drain signal (which should exit at once). */
  stop(signal: string): void;
  /** Re-read the capability (hot reload). Absent: SIGHUP is ignored. */
  reload?(): void;
}

export const DRAIN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGUSR2'] as const;

/** Installs the handlers; returns a function that removes them. */
export function installSignalHandlers(log: Logger, actions: SignalActions): () => void {
  let stopping = false;
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ...DRAIN_SIGNALS.map((signal): [NodeJS.Signals, () => void] => [
      signal,
      () => {
        stopping = true;
        actions.stop(signal);
      },
    ]),
    [
      'SIGHUP',
      () => {
        if (stopping) return log.info({ signal: 'SIGHUP' }, 'SIGHUP ignored: the runtime is stopping');
        if (!actions.reload)
          return log.warn({ signal: 'SIGHUP' }, 'SIGHUP ignored: this runtime cannot reload (send SIGTERM to stop)');
        log.info({ signal: 'SIGHUP' }, 'SIGHUP: reloading the capability');
        actions.reload();
      },
    ],
    [
      'SIGUSR1',
      () =>
        log.warn(
          { signal: 'SIGUSR1' },
          'SIGUSR1 ignored: the inspector is not opened by a signal (start node with --inspect to debug)',
        ),
    ],
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
