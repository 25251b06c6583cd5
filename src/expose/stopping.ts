// A request that arrives on an open keep-alive connection while the runtime stops is answered 503 with
// `Connection: close` in its adapter's error form, instead of being served or finding the socket gone.
// The listener marks it (a symbol: no header a client sends can set or forge it); http-app answers it.

import type { IncomingMessage } from 'node:http';

const STOPPING = Symbol('naftiko.stopping');

export function markStopping(req: IncomingMessage): void {
  (req as IncomingMessage & { [STOPPING]?: true })[STOPPING] = true;
}

export function isStopping(req: IncomingMessage): boolean {
  return (req as IncomingMessage & { [STOPPING]?: true })[STOPPING] === true;
}
