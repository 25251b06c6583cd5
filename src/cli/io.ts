// What a CLI command may touch: its arguments, two output streams and the environment.
// Commands take a CliIO instead of reaching for process globals, so tests can run them in-process.

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly isTTY: boolean;
  readonly cwd: string;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
}

/** A usage problem (unknown flag, missing argument): exit 2 with the message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
