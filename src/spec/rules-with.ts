// Rules on `with` values and on inputs the dialect infers from them (DESIGN §3.4–§3.5).

import { listOf, rec, str, type Findings } from './findings.js';
import type { CallSite, ConsumedOp, Model } from './model.js';
import { consumedParam, targetOf } from './targets.js';
import { child } from './pointer.js';
import { pathPlaceholders, templateProblem } from './templates.js';

type Reference =
  { kind: 'argument'; param: string; alias?: string } | { kind: 'literal' } | { kind: 'bad'; why: string };

const REFERENCE = /^([A-Za-z][A-Za-z0-9-]*)\.(.+)$/;
const PARAM = /^[A-Za-z0-9_*-]+$/;
const LOOKS_LIKE_PARAM = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function checkWithValues(model: Model, findings: Findings): void {
  for (const site of model.sites) {
    for (const [key, value] of Object.entries(rec(site.node['with']) ?? {})) {
      if (typeof value === 'string') checkValue(model, site, child(site.ptr, 'with', key), value, findings);
    }
    if ((site.kind === 'rest' || site.kind === 'mcp') && site.declared === undefined)
      checkInferred(model, site, findings);
  }
}

/** How a `with` string is read: a caller argument (`<ns>.<p>` or an alias), a template, or a literal. */
export function classify(site: CallSite, value: string): Reference {
  if (value.includes('{{') || value.includes('}}')) {
    const why = templateProblem(value);
    return why === undefined ? { kind: 'literal' } : { kind: 'bad', why: `template ${why}` };
  }
  const match = REFERENCE.exec(value);
  const [, namespace = '', param = ''] = match ?? [];
  const isSelf = namespace === site.self;
  if (!match || (!isSelf && !site.aliases.includes(namespace))) return { kind: 'literal' };
  if (!PARAM.test(param)) return { kind: 'bad', why: `'${param}' after '${namespace}.' is not one parameter name` };
  return isSelf ? { kind: 'argument', param } : { kind: 'argument', param, alias: namespace };
}

function checkValue(model: Model, site: CallSite, ptr: string, value: string, findings: Findings): void {
  const ref = classify(site, value);
  if (ref.kind === 'bad') {
    findings.add(model.main, ptr, 'NAF_SPEC_WITH_VALUE', `with value '${value}' is malformed: ${ref.why}`);
  } else if (ref.kind === 'argument' && ref.alias !== undefined) {
    const message =
      `with value '${value}' uses the alias '${ref.alias}' (dialect): it passes the caller's argument '${ref.param}' ` +
      `(omitted when absent); the alpha2 form is '${site.self ?? '<namespace>'}.${ref.param}'`;
    findings.add(model.main, ptr, 'NAF_DIALECT_WITH_ALIAS', message);
  } else if (ref.kind === 'literal') {
    warnLiteral(model, site, ptr, value, findings);
  }
}

function warnLiteral(model: Model, site: CallSite, ptr: string, value: string, findings: Findings): void {
  const [, namespace = '', param = ''] = REFERENCE.exec(value) ?? [];
  if (!LOOKS_LIKE_PARAM.test(param)) return;
  const sources = [site.self, ...site.aliases].filter((s) => s !== undefined).map((s) => `'${s}'`);
  const fix =
    sources.length > 0
      ? `; to pass the caller's argument '${param}', write '${site.self ?? site.aliases[0]}.${param}'`
      : '';
  const message =
    `with value '${value}' is sent as a literal string: '${namespace}' is not a namespace that ${site.label} ` +
    `reads arguments from (${listOf(sources)})${fix}`;
  findings.add(model.main, ptr, 'NAF_SPEC_WITH_LITERAL', message);
}

function checkInferred(model: Model, site: CallSite, findings: Findings): void {
  const target = targetOf(model, site);
  const inferred = new Map<string, string>();
  for (const [key, value] of Object.entries(rec(site.node['with']) ?? {})) {
    const ref = typeof value === 'string' ? classify(site, value) : undefined;
    if (ref?.kind !== 'argument') continue;
    const source = target ? str(consumedParam(target, key)?.['in']) : undefined;
    inferred.set(ref.param, source ?? (target && isPlaceholder(target, key) ? 'path' : 'argument'));
  }
  for (const name of site.pathVars) inferred.set(name, 'path');
  if (site.kind === 'mcp' && target) {
    for (const name of unfedPlaceholders(site, target)) inferred.set(name, 'path');
  }
  if (inferred.size === 0) return;
  const list = [...inferred].map(([name, source]) => `${name} (${source})`).join(', ');
  const message =
    `${site.label} declares no inputParameters; inputs inferred from its with references and path placeholders: ` +
    `${list}; declare inputParameters to make the contract explicit`;
  findings.add(model.main, site.ptr, 'NAF_DIALECT_INFERRED_INPUTS', message);
}

function isPlaceholder(target: ConsumedOp, name: string): boolean {
  return pathPlaceholders(str(target.resource['path']) ?? '').some((p) => p.name === name);
}

function unfedPlaceholders(site: CallSite, target: ConsumedOp): string[] {
  const given = Object.keys(rec(site.node['with']) ?? {});
  return pathPlaceholders(str(target.resource['path']) ?? '')
    .map((p) => p.name)
    .filter((name) => !given.includes(name) && consumedParam(target, name)?.['value'] === undefined);
}
