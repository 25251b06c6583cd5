// The MCP adapter over stdio (`transport: stdio`, `--mcp-stdio`): the same server factory as HTTP.
// `serveStdio` lets the opening message pick the era (initialize → 2025, server/discover → 2026-07-28)
// and pins one server to the connection; a plain `server.connect()` would speak 2025 only.
// stdout carries protocol frames only: the logger must write to stderr.

import type { Readable, Writable } from 'node:stream';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { McpAppOptions } from './app.js';
import { createServerFactory, serverOptionsFrom } from './server.js';

export type McpStdioOptions = Omit<
  McpAppOptions,
  'bodyLimit' | 'isReady' | 'allowedHosts' | 'allowedOrigins' | 'auth'
> & {
  /** Defaults to process.stdin / process.stdout. */
  readonly stdin?: Readable;
  readonly stdout?: Writable;
};

export interface McpStdioServer {
  /** Resolves when the client closes our stdin (the host quit): time for the process to stop. */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

export async function serveMcpStdio(options: McpStdioOptions): Promise<McpStdioServer> {
  const { log, secrets } = options;
  const factory = createServerFactory(serverOptionsFrom(options));
  const stdin = options.stdin ?? process.stdin;
  const ended = new Promise<void>((resolve) => {
    stdin.once('end', resolve);
    stdin.once('close', resolve);
  });
  const transport = new StdioServerTransport(stdin, options.stdout ?? process.stdout);
  const handle = serveStdio(factory, {
    transport,
    onerror: (err) => log.warn({ err: secrets.redact(err.message) }, 'mcp stdio: error'),
  });
  return { ended, close: () => handle.close() };
}
