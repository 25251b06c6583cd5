// MCP tool annotations: the file's `hints` win; HTTP method semantics fill what is absent.

import type { HttpMethod, ToolHints } from '../spec/types.js';
import type { ToolAnnotations } from './table.js';

const METHOD_DEFAULTS: Record<HttpMethod, Omit<ToolAnnotations, 'title'>> = {
  GET: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  PUT: { readOnlyHint: false, idempotentHint: true },
  DELETE: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  POST: { readOnlyHint: false, idempotentHint: false },
  PATCH: { readOnlyHint: false, idempotentHint: false },
};

export function annotationsFor(method: HttpMethod, hints: ToolHints | undefined, title: string): ToolAnnotations {
  const d = METHOD_DEFAULTS[method];
  const pick = <K extends keyof ToolAnnotations>(key: K, hint: boolean | undefined) =>
    hint !== undefined
      ? { [key]: hint }
      : d[key as keyof typeof d] !== undefined
        ? { [key]: d[key as keyof typeof d] }
        : {};
  return {
    title,
    ...pick('readOnlyHint', hints?.readOnly),
    ...pick('destructiveHint', hints?.destructive),
    ...pick('idempotentHint', hints?.idempotent),
    // Every binding calls an external API.
    openWorldHint: hints?.openWorld ?? true,
  };
}

/** Retries are safe only for idempotent calls: by method, or declared so. */
export function isIdempotent(method: HttpMethod, hints: ToolHints | undefined): boolean {
  return method === 'GET' || method === 'PUT' || method === 'DELETE' || hints?.idempotent === true;
}

/** `get-one-time-token-id` → `Get one time token id` when the file gives no label. */
export function titleFromName(name: string): string {
  const words = name.split(/[-_.\s]+/).filter(Boolean);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
