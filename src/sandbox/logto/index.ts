// Public surface of the Logto one-time-token sandbox.
export { startLogtoSandbox } from './server.js';
export type { LogtoSandbox, LogtoSandboxOptions, StartLogtoSandboxOptions } from './server.js';
export type { InteractionEvent, OneTimeToken, TokenContext, TokenStatus } from './types.js';
