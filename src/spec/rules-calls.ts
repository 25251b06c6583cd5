// Rules on every place that calls a consumed operation: the target exists, `with` keys feed something,
// and every placeholder of the consumed path gets a value.

import { listOf, rec, str, type Findings } from './findings.js';
import type { CallSite, ConsumedOp, Model } from './model.js';
import { consumedParam, feedableNames, targetOf } from './targets.js';
import { child } from './pointer.js';
import { pathPlaceholders } from './templates.js';

export function checkCalls(model: Model, findings: Findings): void {
  for (const site of model.sites) {
    checkRef(model, site, findings);
    if (!checkTarget(model, site, findings)) continue;
    const target = targetOf(model, site);
    if (!target) continue;
    checkWithKeys(model, site, target, findings);
    if (site.kind !== 'step') checkPlaceholders(model, site, target, findings);
  }
}

/** False when the call names nothing, so the rules that need the target are skipped. */
function checkTarget(model: Model, site: CallSite, findings: Findings): boolean {
  const call = str(site.node['call']);
  if (call === undefined || model.ops.has(call)) return call !== undefined;
  const tokens = call.split('.');
  const namespace = tokens[0] ?? '';
  if (tokens.length === 2 && model.unresolved.has(namespace)) return false;
  const inNamespace = [...model.ops.keys()].filter((id) => id.startsWith(`${namespace}.`));
  const known = listOf(inNamespace.length > 0 ? inNamespace : model.ops.keys());
  const shape =
    tokens.length === 2
      ? ''
      : ": write '<namespace>.<operation>', exactly two dot-separated tokens (the resource name is not part of it)";
  if (site.kind === 'rest' && tokens.length === 2 && inNamespace.length === 0 && hasStaticValue(site.node)) {
    // The engine answers such an operation from its output values: a mock until the namespace is consumed.
    const fallback = `call '${call}' names no consumed namespace '${namespace}': the operation answers its output values as a mock`;
    findings.add(model.main, child(site.ptr, 'call'), 'NAF_SPEC_CALL_MOCK_FALLBACK', fallback);
    return false;
  }
  const message = `call '${call}' names no consumed operation${shape}; known: ${known}`;
  findings.add(model.main, child(site.ptr, 'call'), 'NAF_SPEC_CALL_TARGET', message);
  return false;
}

function checkRef(model: Model, site: CallSite, findings: Findings): void {
  const ref = str(site.node['ref']);
  if (ref === undefined || model.functions.has(ref)) return;
  const message = `ref '${ref}' names no aggregate function; known: ${listOf(model.functions)}`;
  findings.add(model.main, child(site.ptr, 'ref'), 'NAF_SPEC_REF_TARGET', message);
}

function checkWithKeys(model: Model, site: CallSite, target: ConsumedOp, findings: Findings): void {
  const names = feedableNames(target);
  for (const key of Object.keys(rec(site.node['with']) ?? {})) {
    if (names.includes(key)) continue;
    const message =
      `with key '${key}' names no parameter of ${target.id}; known: ${listOf(names)} ` +
      '(parameters of the operation, its resource and its consumes entry, or placeholders of its path, body or baseUri); ' +
      'nothing uses it';
    findings.add(model.main, child(site.ptr, 'with', key), 'NAF_SPEC_WITH_UNKNOWN_PARAM', message, 'key');
  }
}

function checkPlaceholders(model: Model, site: CallSite, target: ConsumedOp, findings: Findings): void {
  const path = str(target.resource['path']) ?? '';
  const given = Object.keys(rec(site.node['with']) ?? {});
  for (const { name } of pathPlaceholders(path)) {
    if (placeholderFed(site, target, given, name)) continue;
    const how =
      site.kind === 'rest'
        ? `add 'with: {${name}: ${site.self ?? '<namespace>'}.<input>}', a path placeholder {${name}} or an input named '${name}'`
        : `add 'with: {${name}: …}' or an input named '${name}'`;
    const message = `consumed path '${path}' of ${target.id} needs '${name}', but ${site.label} gives it no value; ${how}`;
    findings.add(model.main, child(site.ptr, 'call'), 'NAF_SPEC_PATH_PLACEHOLDER', message);
  }
}

function placeholderFed(site: CallSite, target: ConsumedOp, given: string[], name: string): boolean {
  if (given.includes(name) || site.pathVars.includes(name) || site.declared?.includes(name)) return true;
  if (consumedParam(target, name)?.['value'] !== undefined) return true;
  // A tool or function without declared inputs gets this placeholder as an inferred argument (DESIGN §3.5).
  return site.kind !== 'rest' && site.declared === undefined;
}

/** Some output (or a nested one) carries a `value`: what the engine needs to answer without an upstream. */
function hasStaticValue(node: Record<string, unknown>): boolean {
  const walk = (p: unknown): boolean => {
    const o = rec(p);
    if (!o) return false;
    if (typeof o['value'] === 'string') return true;
    return Object.values(rec(o['properties']) ?? {}).some(walk) || walk(o['items']);
  };
  return Array.isArray(node['outputParameters']) && node['outputParameters'].some(walk);
}
