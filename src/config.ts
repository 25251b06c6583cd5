// Start-up settings resolved once: bind variables, upstream base URIs, listen addresses.
// Precedence everywhere: CLI flag > environment > capability file.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { baseUriVariables, substituteBaseUri } from './binding/context.js';
import type { BindingTable, UpstreamSpec } from './binding/table.js';
import { suggest } from './suggest.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** `logto-one-time-tokens` → `NAFTIKO_BASE_URI_LOGTO_ONE_TIME_TOKENS`. */
export function baseUriEnvName(namespace: string): string {
  return `NAFTIKO_BASE_URI_${namespace.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/**
 * Bind variables → values, from the environment (no `location`) or a `file:` location.
 * Keys are both `VAR` and `<namespace>.VAR`, so `{{VAR}}` and `{{env.VAR}}` resolve alike.
 */
export function resolveBinds(
  table: BindingTable,
  env: NodeJS.ProcessEnv,
  capabilityDir: string,
  preset: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const vars: Record<string, string> = {};
  const missing: string[] = [];
  const files = new Map<string, Record<string, unknown>>();
  for (const b of table.binds) {
    let value = preset[b.variable];
    if (value === undefined && b.location)
      value = fromFile(files, b.location, capabilityDir)[b.providerKey] as string | undefined;
    else value ??= env[b.providerKey];
    if (value === undefined || value === '') {
      missing.push(b.location ? `${b.variable} (key '${b.providerKey}' in ${b.location})` : `${b.providerKey}`);
      continue;
    }
    vars[b.variable] = String(value);
    vars[`${b.namespace}.${b.variable}`] = String(value);
  }
  if (missing.length) {
    throw new ConfigError(
      `Missing bind value${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}. ` +
        `Set ${missing.length > 1 ? 'them' : 'it'} in the environment (e.g. ${missing[0]}=…), ` +
        `or run with --sandbox to use the embedded sandbox upstream instead.`,
    );
  }
  return vars;
}

function fromFile(
  cache: Map<string, Record<string, unknown>>,
  location: string,
  capabilityDir: string,
): Record<string, unknown> {
  let data = cache.get(location);
  if (!data) {
    // `file:///./x` and `file://./x` are relative; we resolve them against the capability's folder.
    const rel = /^file:\/\/\/?\.\//.exec(location);
    const path = rel
      ? `${capabilityDir}/${location.slice(rel[0].length)}`
      : location.startsWith('file:')
        ? fileURLToPath(location)
        : location;
    try {
      data = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`Cannot read binds file ${location}: ${(err as Error).message}`);
    }
    cache.set(location, data);
  }
  return data;
}

export interface BaseUriInputs {
  /** `--base-uri ns=url`. */
  readonly overrides: Readonly<Record<string, string>>;
  /** `--var name=value`. */
  readonly vars: Readonly<Record<string, string>>;
  readonly env: NodeJS.ProcessEnv;
}

/** Upstream namespace → its resolved base URL; a clear error for each variable left unset. */
export function resolveBaseUris(upstreams: readonly UpstreamSpec[], inputs: BaseUriInputs): Map<string, URL> {
  const out = new Map<string, URL>();
  const problems: string[] = [];
  for (const u of upstreams) {
    const raw = inputs.overrides[u.namespace] ?? inputs.env[baseUriEnvName(u.namespace)] ?? fill(u, inputs, problems);
    if (raw === undefined) continue;
    try {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
      out.set(u.namespace, url);
    } catch {
      problems.push(`base URI '${raw}' of upstream '${u.namespace}' is not a valid http(s) URL`);
    }
  }
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return out;
}

function fill(u: UpstreamSpec, inputs: BaseUriInputs, problems: string[]): string | undefined {
  const values: Record<string, string> = {};
  for (const name of baseUriVariables(u.baseUri)) {
    const v = inputs.vars[name] ?? inputs.env[name.toUpperCase()] ?? inputs.env[name];
    if (v === undefined || v === '') {
      problems.push(
        `Upstream '${u.namespace}' base URI ${u.baseUri} needs '${name}': set --var ${name}=<value> or ${name.toUpperCase()}=<value>, ` +
          `or replace the whole base URI with --base-uri ${u.namespace}=<url> or ${baseUriEnvName(u.namespace)}=<url>.`,
      );
    } else values[name] = v;
  }
  return Object.keys(values).length === baseUriVariables(u.baseUri).length
    ? substituteBaseUri(u.baseUri, values)
    : undefined;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/**
 * `--base-uri` namespaces and `--var` names the file does not have: a typo would otherwise be ignored silently
 * and the file's own value used. One line each, with the nearest name the file has.
 */
export function unknownUpstreamNames(
  upstreams: readonly UpstreamSpec[],
  inputs: { readonly baseUris?: Readonly<Record<string, string>>; readonly vars?: Readonly<Record<string, string>> },
): string[] {
  const problems: string[] = [];
  const namespaces = upstreams.map((u) => u.namespace);
  for (const ns of Object.keys(inputs.baseUris ?? {}))
    if (!namespaces.includes(ns)) problems.push(unknownName('--base-uri', ns, 'consumed namespace', namespaces));
  const variables = [...new Set(upstreams.flatMap((u) => u.variables))];
  for (const name of Object.keys(inputs.vars ?? {}))
    if (!variables.includes(name)) problems.push(unknownName('--var', name, 'base URI variable', variables));
  return problems;
}

function unknownName(flag: string, name: string, what: string, known: readonly string[]): string {
  const near = suggest(name, known);
  return (
    `${flag} ${name}=…: the capability has no ${what} '${name}'` +
    (near ? ` (did you mean ${flag} ${near}=…?)` : '') +
    (known.length ? `; it has: ${known.join(', ')}` : `; it has none`)
  );
}
