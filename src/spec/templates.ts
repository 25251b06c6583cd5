// Placeholders and Mustache references as the dialect reads them: `{x}` and `{{x}}` are the same path placeholder.

export interface Placeholder {
  name: string;
  /** Written `{x}` rather than `{{x}}`: a dialect relaxation in consumed paths. */
  single: boolean;
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}|\{([^{}\s]+)\}/g;
const MUSTACHE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const MUSTACHE_NAME = /^[#^/&]?[A-Za-z0-9_.-]+$/;

export function pathPlaceholders(path: string): Placeholder[] {
  return [...path.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1] ?? m[2] ?? '', single: m[1] === undefined }));
}

/** Names referenced as `{{name}}` in a template. */
export function mustacheNames(text: string): string[] {
  return [...text.matchAll(MUSTACHE)].map((m) => (m[1] ?? '').replace(/^[#^/&]/, ''));
}

/** Why a `{{…}}` template is malformed, or undefined when it is fine. */
export function templateProblem(text: string): string | undefined {
  const opens = text.split('{{').length - 1;
  const closes = text.split('}}').length - 1;
  if (opens !== closes) return `has ${opens} '{{' but ${closes} '}}'`;
  const bad = [...text.matchAll(MUSTACHE)].map((m) => m[1] ?? '').find((name) => !MUSTACHE_NAME.test(name));
  if (bad === undefined) return undefined;
  return bad === '' ? 'has an empty {{}}' : `names '${bad}', which is not a variable name`;
}

/** `[name]` variables in a base URI (`https://[tenant_id].logto.app`). */
export function bracketVariables(uri: string): string[] {
  return [...uri.matchAll(/\[([A-Za-z_][A-Za-z0-9_-]*)\]/g)].map((m) => m[1] ?? '');
}

/** Route shape for collision checks: placeholder names do not matter, only their positions. */
export function routeShape(path: string): string {
  const shape = path.replace(PLACEHOLDER, '{}');
  return shape.length > 1 ? shape.replace(/\/+$/, '') : shape;
}
