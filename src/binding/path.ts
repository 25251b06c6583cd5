// Path templates: `{x}` and `{{x}}` are the same placeholder (DESIGN §3.5).

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}|\{([A-Za-z0-9_.-]+)\}/g;

export type PathPart = string | { readonly name: string };

export function placeholders(path: string): string[] {
  return [...new Set([...path.matchAll(PLACEHOLDER)].map((m) => (m[1] ?? m[2]) as string))];
}

export function splitPath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  let last = 0;
  for (const m of path.matchAll(PLACEHOLDER)) {
    parts.push(path.slice(last, m.index), { name: (m[1] ?? m[2]) as string });
    last = m.index + m[0].length;
  }
  parts.push(path.slice(last));
  return parts.filter((p) => p !== '');
}

/** `/a/{id}/b` → `/a/{}/b`: two routes with the same shape collide whatever their placeholder names. */
export function pathShape(path: string): string {
  return path.replace(PLACEHOLDER, '{}');
}
