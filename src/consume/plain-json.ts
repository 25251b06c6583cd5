// Is an upstream body JSON the runtime may pass on as the bytes it received? A byte scanner that says yes only
// when JSON.parse would accept the text and re-serialising it would not change what the secret scrubber sees:
// valid UTF-8, no escape sequence in any string (an escaped spelling of a secret, `\u0062earer…`, would slip past
// a scrubber that matches the literal form; JSON.stringify would have written it plainly) and no exponent in a
// number. Anything else — or anything unusual, such as very deep nesting — takes the parse path, which decides.
// Scanning is ~10× cheaper than JSON.parse + JSON.stringify of a list, and allocates nothing per value.

import { isUtf8 } from 'node:buffer';

const MAX_DEPTH = 256;
const ARRAY = 1;
const OBJECT = 2;

export function isPlainJson(b: Uint8Array): boolean {
  const n = b.length;
  if (n === 0 || !isUtf8(b)) return false;
  const stack: number[] = [];
  let i = ws(b, 0, n);
  for (;;) {
    // A value starts at i.
    const c = b[i];
    if (c === 0x7b) {
      i = ws(b, i + 1, n);
      if (b[i] === 0x7d) i++;
      else {
        if (stack.push(OBJECT) > MAX_DEPTH) return false;
        i = member(b, i, n);
        if (i < 0) return false;
        continue;
      }
    } else if (c === 0x5b) {
      i = ws(b, i + 1, n);
      if (b[i] === 0x5d) i++;
      else {
        if (stack.push(ARRAY) > MAX_DEPTH) return false;
        continue;
      }
    } else if (c === 0x22) i = string(b, i, n);
    else if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) i = number(b, i, n);
    else if (c === 0x74) i = literal(b, i, n, TRUE);
    else if (c === 0x66) i = literal(b, i, n, FALSE);
    else if (c === 0x6e) i = literal(b, i, n, NULL);
    else return false;
    if (i < 0) return false;
    // After a value: a comma, or the end of one or more containers, or the end of the text.
    for (;;) {
      i = ws(b, i, n);
      const top = stack[stack.length - 1];
      if (top === undefined) return i === n;
      const d = b[i];
      if (d === 0x2c) {
        i = ws(b, i + 1, n);
        if (top === OBJECT) i = member(b, i, n);
        if (i < 0) return false;
        break;
      }
      if ((top === ARRAY && d === 0x5d) || (top === OBJECT && d === 0x7d)) {
        stack.pop();
        i++;
        continue;
      }
      return false;
    }
  }
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function ws(b: Uint8Array, i: number, n: number): number {
  while (i < n) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** `"key"` `:` and the whitespace before the value; -1 when it is not one. */
function member(b: Uint8Array, i: number, n: number): number {
  if (b[i] !== 0x22) return -1;
  i = string(b, i, n);
  if (i < 0) return -1;
  i = ws(b, i, n);
  if (b[i] !== 0x3a) return -1;
  return ws(b, i + 1, n);
}

/** A string without escapes or control characters, from its opening quote; the index after its closing one. */
function string(b: Uint8Array, i: number, n: number): number {
  for (i++; i < n; i++) {
    const c = b[i] as number;
    if (c === 0x22) return i + 1;
    if (c === 0x5c || c < 0x20) return -1;
  }
  return -1;
}

/** `-? (0 | [1-9][0-9]*) (. [0-9]+)?` — an exponent is left to the parse path. */
function number(b: Uint8Array, i: number, n: number): number {
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (i < n && isDigit(b[i])) i++;
  else return -1;
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i])) return -1;
    while (i < n && isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) return -1;
  return i;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function literal(b: Uint8Array, i: number, n: number, word: readonly number[]): number {
  if (i + word.length > n) return -1;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
  return i + word.length;
}
