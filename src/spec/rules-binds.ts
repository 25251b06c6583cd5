// Rules on `binds` and on the `{{VAR}}` / `{{ns.VAR}}` references that authentication fields make to them.

import { arr, listOf, rec, str, type Findings, type Rec } from './findings.js';
import type { BindDecl, Model } from './model.js';
import { child, valueAt } from './pointer.js';
import type { SourceDoc } from './source.js';
import { mustacheNames } from './templates.js';

const VARIABLE = /^[A-Z][A-Z0-9_]*$/;

interface Scope {
  binds: BindDecl[];
  /** Consumed adapter-level parameters also feed auth templates (upstream `in: environment` idiom). */
  params: string[];
}

export function checkBinds(model: Model, findings: Findings): void {
  for (const bind of model.binds) {
    for (const name of bind.vars.filter((v) => !VARIABLE.test(v))) {
      const message = `bind variable '${name}' must be an UPPER_SNAKE_CASE name (^[A-Z][A-Z0-9_]*$), e.g. '${suggest(name)}'`;
      findings.add(model.main, child(bind.ptr, 'keys', name), 'NAF_SPEC_BIND_KEY', message, 'key');
    }
  }
  // A standalone consumes document gets its variables from whichever capability imports it.
  const standalone = valueAt(model.main.data, '/capability') === undefined && model.binds.length === 0;
  if (standalone) return;
  for (const entry of model.entries) {
    const own = entry.src === model.main ? [] : bindsOf(entry.src);
    const params = arr(entry.data['inputParameters']).map((p) => str(rec(p)?.['name']) ?? '');
    const scope = { binds: [...model.binds, ...own], params };
    checkAuth(entry.src, rec(entry.data['authentication']), child(entry.ptr, 'authentication'), scope, findings);
  }
  for (const adapter of model.adapters) {
    const auth = rec(adapter.data['authentication']);
    checkAuth(model.main, auth, child(adapter.ptr, 'authentication'), { binds: model.binds, params: [] }, findings);
  }
}

function checkAuth(src: SourceDoc, auth: Rec | undefined, ptr: string, scope: Scope, findings: Findings): void {
  for (const [field, value] of Object.entries(auth ?? {})) {
    if (typeof value !== 'string') continue;
    for (const name of mustacheNames(value)) checkReference(src, child(ptr, field), field, name, scope, findings);
  }
}

function checkReference(
  src: SourceDoc,
  ptr: string,
  field: string,
  name: string,
  scope: Scope,
  findings: Findings,
): void {
  const [namespace, variable] = name.includes('.')
    ? [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)]
    : [];
  if (namespace !== undefined && variable !== undefined) {
    const bind = scope.binds.find((b) => b.namespace === namespace && b.vars.includes(variable));
    if (bind) {
      const message =
        `'{{${name}}}' in authentication.${field} is a qualified bind reference (dialect): it resolves ` +
        `variable ${variable} of binds namespace '${namespace}'; '{{${variable}}}' is the alpha2 form`;
      findings.add(src, ptr, 'NAF_DIALECT_QUALIFIED_BIND', message);
      return;
    }
  } else if (scope.binds.some((b) => b.vars.includes(name)) || scope.params.includes(name)) {
    return;
  }
  const declared = scope.binds.flatMap((b) => b.vars.map((v) => `${v} (binds '${b.namespace}')`));
  const message =
    `'{{${name}}}' in authentication.${field} names no declared bind variable; declared: ${listOf(declared)}; ` +
    'add it to the keys of a binds entry (e.g. binds: [{namespace: env, keys: {VAR: VAR}}])';
  findings.add(src, ptr, 'NAF_SPEC_BIND_UNDECLARED', message);
}

function bindsOf(src: SourceDoc): BindDecl[] {
  return arr(valueAt(src.data, '/binds')).map((b, i) => ({
    namespace: str(rec(b)?.['namespace']) ?? '',
    vars: Object.keys(rec(rec(b)?.['keys']) ?? {}),
    ptr: child('/binds', i),
  }));
}

function suggest(name: string): string {
  const upper = name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
  return /^[A-Z]/.test(upper) ? upper : `VAR_${upper}`;
}
