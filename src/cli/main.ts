// `runtime <command>`: dispatch, --help, --version. Each command lives in its own file.

import { EXIT, UsageError, type CliIO } from './io.js';
import { importCommand } from './import.js';
import { inspectCommand } from './inspect.js';
import { openapiCommand } from './openapi.js';
import { suggest } from '../suggest.js';
import { sandboxCommand } from './sandbox.js';
import { startCommand } from './start.js';
import { validateCommand } from './validate.js';
import { RUNTIME_VERSION } from '../version.js';

const COMMANDS: Record<string, (argv: string[], io: CliIO) => Promise<number>> = {
  start: startCommand,
  validate: validateCommand,
  inspect: inspectCommand,
  openapi: openapiCommand,
  import: importCommand,
  sandbox: sandboxCommand,
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
  const run = COMMANDS[command];
  if (!run) {
    const near = suggest(command, Object.keys(COMMANDS));
    io.stderr(
      `runtime: unknown command '${command}'${near ? ` (did you mean '${near}'?)` : ''}; commands: ${Object.keys(COMMANDS).join(', ')}\n(runtime --help)\n`,
    );
    return EXIT.usage;
  }
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
