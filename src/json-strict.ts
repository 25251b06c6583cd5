// JSON for request bodies, stricter than JSON.parse: a body that is not UTF-8, that repeats a key in one
// object (JSON.parse keeps the last, so `{"name":"get…","name":"delete…"}` would run the delete while a
// proxy or log reading the first saw a get), or that nests deeper than any real payload (a 100,000-level
// message overflows the stack of whatever walks it next) is refused before it is parsed. One linear scan,
// iterative, then the native parser.

// ignoreBOM keeps a byte-order mark in the text, where JSON.parse refuses it (RFC 8259 §8.1: must not add one).
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * For messages whose whole tree a library walks recursively (the MCP SDK's schema check overflows its
 * stack on ~100,000 levels). Deeper than any argument may be (binding/input.ts allows 128), so those still
 * get an error naming the argument.
 */
export const MAX_JSON_DEPTH = 256;

export class StrictJsonError extends Error {}

// A lone UTF-16 surrogate (JSON's "\ud800" escape makes one): no valid text contains it, and
// encodeURIComponent and TextEncoder throw or mangle on it further down.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Bytes → text, refusing what is not UTF-8 (a lenient decoder would turn it into U+FFFD silently). */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new StrictJsonError('it is not valid UTF-8');
  }
}

export function parseStrictJson(text: string, maxDepth: number = Infinity): unknown {
  scan(text, maxDepth);
  return JSON.parse(text);
}

/**
 * Depth and duplicate keys. Malformed JSON is left for JSON.parse to report: the scan only has to be
 * right about well-formed input and terminate on anything.
 */
function scan(text: string, maxDepth: number): void {
  // One entry per open container: the keys seen so far for an object, null for an array.
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) throw new StrictJsonError(`it is nested more than ${maxDepth} levels deep`);
      stack.push(c === 0x7b ? new Set() : null);
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    } else if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      if (expectKey) {
        const keys = stack[stack.length - 1];
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? decodeKey(text.slice(i, end + 1)) : raw;
        if (keys?.has(key)) throw new StrictJsonError(`the key "${printable(key)}" appears twice in one object`);
        keys?.add(key);
        expectKey = false;
      }
      i = end;
    }
  }
}

/** Index of the closing quote of the string opening at `start` (or the text's end if it never closes). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return text.length;
}

function decodeKey(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted; // malformed: JSON.parse of the whole body will say so
  }
}

function printable(key: string): string {
  const short = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return JSON.stringify(short).slice(1, -1);
}

/**
 * The first query parameter whose name or value percent-decodes to bytes that are not UTF-8 (`%ED%A0%80`,
 * `%ff`), or undefined; the query parser would turn them into U+FFFD and send that upstream unnoticed.
 * A broken escape (`%ZZ`) is not refused: it is passed on as the literal text it is.
 */
export function undecodableQueryParameter(search: string): string | undefined {
  if (!search.includes('%')) return undefined;
  for (const pair of search.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    const decodedName = utf8Decoded(name);
    if (decodedName === undefined || utf8Decoded(value) === undefined) return decodedName ?? name;
  }
  return undefined;
}

function utf8Decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replaceAll('+', ' ').replace(/%(?![0-9a-f]{2})/gi, '%25'));
  } catch {
    return undefined;
  }
}
