// JSON pointers (RFC 6901) into a capability document, and their human-readable form for messages.

export type Segment = string | number;

export function escapeSegment(segment: Segment): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

export function child(pointer: string, ...segments: Segment[]): string {
  return segments.reduce<string>((p, s) => `${p}/${escapeSegment(s)}`, pointer);
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The value at `pointer` in plain data, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isRecord(node)) node = node[segment];
    else return undefined;
  }
  return node;
}

/**
 * `capability.exposes[0] (rest)` for `/capability/exposes/0`: array indexes in brackets, and the `type`
 * of the object when it has one, because "exposes[0]" alone does not tell which adapter is meant.
 */
export function describePointer(root: unknown, pointer: string): string {
  const segments = parsePointer(pointer);
  if (segments.length === 0) return 'the document';
  let text = '';
  let node = root;
  for (const segment of segments) {
    text += Array.isArray(node) ? `[${segment}]` : text === '' ? segment : `.${segment}`;
    node = valueAt(node, `/${escapeSegment(segment)}`);
  }
  const type = isRecord(node) ? node['type'] : undefined;
  return typeof type === 'string' ? `${text} (${type})` : text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
