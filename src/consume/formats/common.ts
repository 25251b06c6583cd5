// What every decoder shares: the Decoder type, turning bytes into text by the declared charset, the error it
// throws, the limits that keep a hostile body from costing more than its (already capped) size, and a key setter
// that treats `__proto__` as data, as JSON.parse does.

import { TextDecoder } from 'node:util';
import { RuntimeError } from '../../errors.js';

/** Bytes of a 2xx upstream body → the JSON value output mappings read. Throws NAF_ERR_UPSTREAM_INVALID_RESPONSE. */
export type Decoder = ((body: Buffer, contentType: string | undefined) => unknown) & {
  /** The Accept header sent when the operation declares none. */
  readonly accept?: string;
};

// Real documents are a handful of levels deep; output mapping and JSON.stringify recurse, so refuse deeper ones
// here, with the format named, rather than overflow the stack later (the same bound as request arguments).
export const MAX_DEPTH = 128;
// Elements, rows or cells in one body. The 10 MiB response cap already bounds the work; this bounds the number of
// small objects a body of tiny rows or empty elements turns into.
export const MAX_ITEMS = 1_000_000;
// A parser's message can quote the body; keep what reaches the caller short.
const MAX_REASON = 200;

export function invalid(format: string, reason: string): RuntimeError {
  const short = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
  return new RuntimeError('NAF_ERR_UPSTREAM_INVALID_RESPONSE', `${format} body is not valid: ${short}`);
}

/** The message of whatever a parser threw, for `invalid`; a stack overflow says so plainly. */
export function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /maximum call stack/i.test(message) ? `nested more than ${MAX_DEPTH} levels deep` : message;
}

/**
 * Decoding runs on the event loop, so a format whose parser is slow gets a smaller body than the consumer's
 * 10 MiB cap: each limit keeps a worst-case decode to about a second of CPU.
 */
export function checkSize(format: string, body: Buffer, maxBytes: number): void {
  if (body.length > maxBytes)
    throw invalid(format, `${body.length} bytes is more than the ${maxBytes} this format reads`);
}

export const MIB = 1024 * 1024;

/** Runs a parser; anything it throws (other than our own error) becomes `invalid(format, …)`. */
export function guarded<T>(format: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    throw invalid(format, reasonOf(err));
  }
}

/** Sets an own data property, so a `__proto__` key is a key (as JSON.parse makes it), never the prototype. */
export function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * The body as text: the charset of the Content-Type, else a byte-order mark, else `fallback` (an XML declaration's
 * encoding), else UTF-8. Decoding is strict: bytes that are not text in that charset are an error, not U+FFFD.
 */
export function bodyText(format: string, body: Buffer, contentType: string | undefined, fallback?: string): string {
  const label = charsetOf(contentType) ?? bomCharset(body) ?? fallback ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw invalid(format, `unknown charset '${label.slice(0, 40)}'`);
  }
  try {
    return decoder.decode(body);
  } catch {
    throw invalid(format, `the bytes are not ${decoder.encoding} text`);
  }
}

function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m?.[1];
}

function bomCharset(body: Buffer): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Throws when `value` nests deeper than MAX_DEPTH; iterative, so the check itself cannot overflow. */
export function checkDepth(format: string, value: unknown): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, depth] = item;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_DEPTH) throw invalid(format, `nested more than ${MAX_DEPTH} levels deep`);
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
}

/** Row objects keyed by header, as the engine builds HTML and Markdown tables: a missing cell is ''. */
export function rowsToTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): Record<string, string>[] {
  return rows.map((row) => {
    const out: Record<string, string> = {};
    headers.forEach((h, i) => put(out, h, row[i] ?? ''));
    return out;
  });
}

/** Headers trimmed; none at all when every one is blank (the engine then skips the table). */
export function sanitizeHeaders(raw: readonly string[]): string[] {
  const headers = raw.map((h) => h.trim());
  return headers.every((h) => h === '') ? [] : headers;
}
