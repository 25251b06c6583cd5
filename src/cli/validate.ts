// `runtime validate <file> [--strict] [--format text|json]`: every diagnostic of a capability file, for people
// (one `file:line:col: severity CODE: message` line each, the form editors and CI annotate from) or for scripts.

import { relative, resolve } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../spec/diagnostics.js';
import { loadCapability } from '../spec/load.js';
import { parseFlags } from './flags.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { notServedDiagnostics } from './not-served.js';

const USAGE = `Usage: runtime validate <file> [--strict] [--format text|json]

  --strict          report warnings (dialect relaxations and items not served included) as errors
  --format <fmt>    text (default) or json: {"valid": bool, "diagnostics": [...]}

Exit status: 0 valid, 1 invalid, 2 usage error.
`;

interface Options {
  file: string;
  strict: boolean;
  format: 'text' | 'json';
}

export async function validateCommand(argv: string[], io: CliIO): Promise<number> {
  let options: Options | undefined;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError) && !isParseArgsError(error)) throw error;
    io.stderr(`runtime validate: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (!options) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const result = await loadCapability(resolve(io.cwd, options.file), { strict: options.strict });
  // A file that loads is compiled too: every exposed item the runtime would not serve is listed.
  const unserved =
    result.ok && result.doc
      ? await notServedDiagnostics(result.file, result.doc, result.diagnostics, options.strict)
      : [];
  const valid = result.ok && !unserved.some((d) => d.severity === 'error');
  const all = [...result.diagnostics, ...unserved].sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.col - b.col : 0,
  );
  const diagnostics = all.map((d) => ({ ...d, file: displayPath(io.cwd, d.file) }));
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify({ valid, diagnostics }, null, 2)}\n`);
  } else {
    io.stdout(diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('') + `${summary(diagnostics)}\n`);
  }
  return valid ? EXIT.ok : EXIT.invalid;
}

/** Undefined for `--help`. */
function parseOptions(argv: string[]): Options | undefined {
  const { values, positionals } = parseFlags({
    args: argv,
    allowPositionals: true,
    options: {
      strict: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, got '${values.format}'`);
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw new UsageError('expects exactly one capability file (runtime validate <file>)');
  }
  return { file, strict: values.strict ?? false, format: values.format };
}

function summary(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (errors === 0) return `✓ capability valid (${plural(warnings, 'warning')})`;
  return `✗ ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Paths relative to the working directory read better and are what editors resolve from. */
function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel === '' ? file : rel;
}

function isParseArgsError(error: unknown): boolean {
  return String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
}
