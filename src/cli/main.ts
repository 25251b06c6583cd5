// `runtime <command>`: dispatch, --help, --version. Each command lives in its own file.

import { EXIT, UsageError, type CliIO } from './io.js';
import { suggest } from '../suggest.js';
import { RUNTIME_VERSION } from '../version.js';

type Command = (argv: string[], io: CliIO) => Promise<number>;

// Each command's module is imported when it runs: `start` does not pay for the importer, the inspector or the
// sandbox's code (nor they for each other's), which is start-up time.
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start.js')).startCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  inspect: async () => (await import('./inspect.js')).inspectCommand,
  openapi: async () => (await import('./openapi.js')).openapiCommand,
  import: async () => (await import('./import.js')).importCommand,
  sandbox: async () => (await import('./sandbox.js')).sandboxCommand,
};

export const HELP = `runtime — serve a Naftiko capability (1.0.0-alpha2) as REST and MCP

Usage:
  runtime start <file> [options]      serve every adapter the file declares
  runtime validate <file> [--strict] [--format text|json]
  runtime inspect <file> [--format text|json]   print the binding table
  runtime openapi <file>              print the REST adapter's OpenAPI 3.1 document
  runtime import openapi <file|url> [--namespace ns] [--out file] [--starter]
                                      write a consumes file (or starter capability) from OpenAPI 3.x
  runtime sandbox logto [--port N]    run the embedded Logto one-time-token sandbox

Run 'runtime <command> --help' for a command's options.
`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[command];
  if (!load) {
    const near = suggest(command, Object.keys(COMMANDS));
    io.stderr(
      `runtime: unknown command '${command}'${near ? ` (did you mean '${near}'?)` : ''}; commands: ${Object.keys(COMMANDS).join(', ')}\n(runtime --help)\n`,
    );
    return EXIT.usage;
  }
  const run = await load();
  try {
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const lines = (err as Error).message.split('\n');
      io.stderr(`${lines.map((line) => `runtime ${command}: ${line}\n`).join('')}(runtime ${command} --help)\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

export function version(): string {
  return `runtime ${RUNTIME_VERSION} (naftiko 1.0.0-alpha2)`;
}
