// Mock outputs: a tool/operation with no `call` and no `steps` answers its outputs' `value`s, Mustache-rendered
// from the parameter map, with no upstream call (the engine's Resolver.buildMockData).

import type { OutputParameter } from '../spec/types.js';
import type { Params } from './table.js';
import { compileTemplate, lookup, soleTag } from './template.js';

type Render = (params: Readonly<Params>) => unknown;

/** True when some output (or a nested one) carries a `value`: the engine's test for "can mock". */
export function hasStaticValue(outputs: readonly OutputParameter[] | undefined): boolean {
  return (outputs ?? []).some(staticIn);
}

function staticIn(p: OutputParameter | undefined): boolean {
  if (!p || typeof p !== 'object') return false;
  if (typeof p.value === 'string') return true;
  if (p.properties && Object.values(p.properties).some(staticIn)) return true;
  return staticIn(p.items);
}

/** The mock result: an object of the named outputs; undefined (→ 204 / empty result) when nothing renders. */
export function compileMock(outputs: readonly OutputParameter[] | undefined): Render {
  const fields = (outputs ?? []).map((p) => [p.name ?? 'value', compileValue(p)] as const);
  return (params) => {
    const entries = fields.map(([name, render]) => [name, render(params)] as const).filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  };
}

function compileValue(p: OutputParameter): Render {
  if (typeof p.value === 'string') return typed(p.value, p.type);
  if (p.type === 'array') {
    const item = p.items ? compileValue(p.items) : () => undefined;
    return (params) => {
      const v = item(params);
      return v === undefined ? [] : [v];
    };
  }
  if (p.type === 'object' && p.properties) {
    const props = Object.entries(p.properties).map(
      ([name, child]) => [child.name ?? name, compileValue(child)] as const,
    );
    return (params) => {
      const entries = props.map(([name, render]) => [name, render(params)] as const).filter(([, v]) => v !== undefined);
      return entries.length ? Object.fromEntries(entries) : undefined;
    };
  }
  return () => undefined;
}

/**
 * The engine renders every mock value as text; a value declared `number` or `boolean` that renders as one is
 * returned as that JSON type here (an agent reading `"42"` for a number is misled). Anything else stays text.
 */
function typed(template: string, type: string | undefined): Render {
  const sole = soleTag(template);
  const render = compileTemplate(template);
  const text = (params: Readonly<Params>): string => {
    if (!sole) return render(params);
    const v = lookup(params, sole);
    return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  if (type === 'number' || type === 'integer')
    return (params) => {
      const t = text(params);
      return /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : t;
    };
  if (type === 'boolean')
    return (params) => {
      const t = text(params);
      return t === 'true' ? true : t === 'false' ? false : t;
    };
  return text;
}
