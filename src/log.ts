// pino logger: JSON lines (pretty on a TTY), secrets scrubbed from every line by value.

import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type pinoPretty from 'pino-pretty';
import { LineBuffer } from './log-buffer.js';
import type { Secrets } from './secrets.js';

// pino-pretty (CommonJS) is required only for a terminal: JSON logging, the production case, skips its ~40 ms.
const requirePretty = (): typeof pinoPretty => createRequire(import.meta.url)('pino-pretty') as typeof pinoPretty;

export interface LogOptions {
  readonly level?: string;
  /** Where lines go: stdout normally, stderr when stdout carries MCP stdio. */
  readonly to?: 'stdout' | 'stderr';
  readonly pretty?: boolean;
  readonly secrets: Secrets;
  /** Test hook: receive each line instead of writing it. */
  readonly sink?: (line: string) => void;
}

export function createLogger(options: LogOptions): Logger {
  const fd = options.to === 'stderr' ? 2 : 1;
  const stream = options.sink
    ? { write: options.sink }
    : options.pretty
      ? requirePretty()({ destination: fd, colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' })
      : new LineBuffer(fd); // batched writes, every line out within 100 ms and at exit (log-buffer.ts)
  // An unknown level must not end start-up with pino's stack trace (the CLI refuses it up front; other
  // callers get info and a warning saying so).
  const known = options.level === 'silent' || Object.hasOwn(pino.levels.values, options.level ?? '');
  const level = known ? options.level : undefined;
  const log = pino(
    {
      level: level ?? 'info',
      base: null,
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'headers.authorization'],
        censor: '[REDACTED]',
      },
      hooks: { streamWrite: (line) => options.secrets.redact(line) },
    },
    stream,
  );
  if (options.level !== undefined && level === undefined)
    log.warn(
      `unknown log level '${options.level}': logging at info (${Object.keys(pino.levels.values).join('|')}|silent)`,
    );
  return log;
}
