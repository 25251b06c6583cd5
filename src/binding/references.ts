// How a `with` value names its source: a caller argument, a template, or a literal (DESIGN §3.4).

import { compileTemplate, hasTemplate, soleTag, type Render } from './template.js';

export type WithSource =
  | { readonly kind: 'argument'; readonly name: string }
  | { readonly kind: 'template'; readonly text: string; readonly render: Render; readonly sole?: readonly string[] }
  | { readonly kind: 'literal'; readonly value: string | number };

/** Aliases a `with` value may use for the caller's arguments, besides the expose namespace itself. */
export const ARGUMENT_ALIASES = { rest: ['rest'], mcp: ['tools', 'mcp'] } as const;

export function parseWithValue(value: string | number, exposeNamespace: string, adapter: 'rest' | 'mcp'): WithSource {
  if (typeof value === 'number') return { kind: 'literal', value };
  const dot = value.indexOf('.');
  if (dot > 0 && !hasTemplate(value)) {
    const prefix = value.slice(0, dot);
    const name = value.slice(dot + 1);
    const aliases: readonly string[] = ARGUMENT_ALIASES[adapter];
    if ((prefix === exposeNamespace || aliases.includes(prefix)) && /^[A-Za-z0-9_-]+$/.test(name)) {
      return { kind: 'argument', name };
    }
  }
  if (hasTemplate(value)) {
    const sole = soleTag(value);
    return { kind: 'template', text: value, render: compileTemplate(value), ...(sole ? { sole } : {}) };
  }
  return { kind: 'literal', value };
}
