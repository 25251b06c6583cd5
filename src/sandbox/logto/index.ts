// Public surface of the Logto one-time-token sandbox.
export { startLogtoSandbox } from './server.js';
export type { LogtoSandbox, LogtoSandboxOptions, StartLogtoSandboxOptions } from './server.js';
export type { InteractionEvent, OneTimeToken, TokenContext, TokenStatus } from './types.js';
export { DEFAULT_SANDBOX_USER } from './authorize.js';
export type { SandboxUser } from './authorize.js';
export type { InteractiveClient } from './clients.js';
export type { ApiResource } from './oidc.js';
