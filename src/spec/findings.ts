// What the semantic rules report: a code, a message and a pointer into a source; turned into a Diagnostic late,
// because only the source knows the line:col of a pointer.

import { CODES, type Code } from './codes.js';
import type { Diagnostic } from './diagnostics.js';
import type { Anchor, SourceDoc } from './source.js';

export interface Finding {
  code: Code;
  message: string;
  src: SourceDoc;
  pointer: string;
  anchor?: Anchor;
}

export function toDiagnostic(f: Finding): Diagnostic {
  const { line, col } = f.src.locate(f.pointer, f.anchor);
  return {
    severity: CODES[f.code].severity,
    code: f.code,
    message: f.message,
    file: f.src.file,
    line,
    col,
    pointer: f.pointer,
  };
}

/** Collects findings for one rule pass; rules call `add` and never build Diagnostics themselves. */
export class Findings {
  readonly #list: Finding[] = [];

  add(src: SourceDoc, pointer: string, code: Code, message: string, anchor?: Anchor): void {
    this.#list.push(anchor === undefined ? { code, message, src, pointer } : { code, message, src, pointer, anchor });
  }

  get list(): readonly Finding[] {
    return this.#list;
  }
}

export type Rec = Record<string, unknown>;

export function rec(value: unknown): Rec | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rec) : undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `a, b, c` — or `(none)` — for "known: …" lists in messages; long lists are cut so a message stays one line. */
export function listOf(items: Iterable<string>, max = 12): string {
  const all = [...new Set(items)];
  if (all.length === 0) return '(none)';
  const shown = all.slice(0, max).join(', ');
  return all.length > max ? `${shown}, … (${all.length - max} more)` : shown;
}
