// Diagnostics: every problem found in a capability file, with where it is and how to fix it.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable rule code, e.g. `NAF_SPEC_CALL_TARGET` or `NAF_DIALECT_...`. */
  code: string;
  message: string;
  file: string;
  /** 1-based; 0 when the position is unknown. */
  line: number;
  col: number;
  /** JSON pointer into the document, e.g. `/capability/exposes/0/resources/1/path`. */
  pointer: string;
}

/** Thrown when a capability cannot be loaded or compiled; carries every diagnostic at once. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(summarize(diagnostics));
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:col: severity code: message` — the form editors and CI annotate from. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}`;
}

function summarize(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const head = `${errors.length} error(s) in capability`;
  return [head, ...errors.map(formatDiagnostic)].join('\n');
}
