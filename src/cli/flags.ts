// One command-line parser for every command: parseArgs' option specs in, every problem out as one line each
// (an unknown flag with the nearest known one, a missing value, a value given to a switch), so a user sees all
// of them at once instead of Node's raw parser text for the first.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { RuntimeOptions } from '../runtime.js';
import { suggest } from '../suggest.js';
import { UsageError } from './io.js';

export { suggest };

export type FlagSpecs = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs yields for `F`: a string or a switch, a list when `multiple`. */
export type FlagValues<F extends FlagSpecs> = {
  [K in keyof F]?: F[K] extends { type: 'boolean' }
    ? F[K] extends { multiple: true }
      ? boolean[]
      : boolean
    : F[K] extends { multiple: true }
      ? string[]
      : string;
};

export interface ParsedFlags<F extends FlagSpecs> {
  readonly values: FlagValues<F>;
  readonly positionals: string[];
  /** One line per problem; empty when the command line is well-formed. */
  readonly problems: string[];
  /** Set when a flag was not recognised: a wrong positional count is then most likely its stray value. */
  readonly unknown: boolean;
}

/** Reads `argv` against `specs` without throwing. */
export function readFlags<F extends FlagSpecs>(argv: readonly string[], specs: F): ParsedFlags<F> {
  const { values, tokens } = parseArgs({
    args: [...argv],
    options: specs,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const problems: string[] = [];
  const out = values as Record<string, unknown>;
  const positionals: string[] = [];
  let unknown = false;
  let skipValueAt = -1;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (token.index !== skipValueAt) positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const spec = specs[token.name];
    if (!spec) {
      unknown = true;
      delete out[token.name];
      const near = suggest(token.name, Object.keys(specs));
      problems.push(`unknown flag ${token.rawName}${near ? ` (did you mean --${near}?)` : ''}`);
      // `--rest-prot 8080`: the 8080 belongs to the mistyped flag, not to the positionals.
      if (near && specs[near]?.type === 'string' && token.value === undefined) skipValueAt = token.index + 1;
      continue;
    }
    if (spec.type === 'boolean') {
      if (token.inlineValue) {
        problems.push(`${token.rawName} is a switch and takes no value (got '${token.rawName}=${token.value}')`);
        delete out[token.name];
      }
      continue;
    }
    // parseArgs, not strict, takes the next word as the value even when it is another flag.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      problems.push(`${token.rawName} needs a value (${token.rawName} <value>)`);
      delete out[token.name];
      if (token.value?.startsWith('--')) unknown = true;
    }
  }
  // A switch given as `--sandbox` in a non-strict parse may hold `true` under a string spec's name: drop it.
  for (const [name, spec] of Object.entries(specs))
    if (spec.type === 'string' && out[name] !== undefined) {
      const v = out[name];
      if (Array.isArray(v)) out[name] = v.filter((x): x is string => typeof x === 'string');
      else if (typeof v !== 'string') delete out[name];
    }
  return { values: out as FlagValues<F>, positionals, problems, unknown };
}

/** parseArgs' shape for commands with a fixed flag set: throws one UsageError listing every problem. */
export function parseFlags<F extends FlagSpecs>(config: {
  args: readonly string[];
  options: F;
  /** Always allowed: a command checks its own positionals. Here for parseArgs' shape. */
  allowPositionals?: boolean;
}): { values: FlagValues<F>; positionals: string[] } {
  const parsed = readFlags(config.args, config.options);
  if (parsed.problems.length) throw new UsageError(parsed.problems.join('\n'));
  return parsed;
}

/** What a flag module's settings function returns: runtime options, and warnings to log once a logger exists. */
export type ModuleSettings = Partial<RuntimeOptions> & { readonly warnings?: readonly string[] };

/**
 * A group of `runtime start` flags: its parseArgs specs, its help lines, and the settings they yield.
 * `settings` may throw a UsageError; the other modules are still read, so every problem is reported together.
 */
export interface FlagModule {
  readonly flags: FlagSpecs;
  readonly usage: string;
  readonly settings: (values: Record<string, unknown>, env: NodeJS.ProcessEnv) => ModuleSettings;
}

export function flagModule<F extends FlagSpecs>(
  flags: F,
  usage: string,
  settings: (values: FlagValues<F>, env: NodeJS.ProcessEnv) => ModuleSettings,
): FlagModule {
  return { flags, usage, settings: (values, env) => settings(values as FlagValues<F>, env) };
}
