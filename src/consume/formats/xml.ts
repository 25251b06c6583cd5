// XML → JSON the way the engine's Jackson XmlMapper.readTree maps it: the root element is dropped (its children
// and attributes are the top-level keys), attributes are plain keys, a repeated element becomes an array at its
// first position, text beside attributes or children sits under the key '', every value stays a string, and
// `xsi:nil="true"` is null. Namespace prefixes are dropped (local names), xmlns declarations are not keys.
// A strict SAX parser (saxes) that processes no DTD: an entity the document defines is an undefined entity, so
// "billion laughs" and external entities are errors, never expanded or fetched.

import { SaxesParser, type SaxesTagNS } from 'saxes';
import { bodyText, checkSize, guarded, invalid, MAX_DEPTH, MAX_ITEMS, MIB, put, type Decoder } from './common.js';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS = 'http://www.w3.org/2000/xmlns/';
const MAX_BYTES = 4 * MIB;

interface Frame {
  /** Attributes then children, in document order; a repeated name keeps its first slot. */
  readonly keys: Map<string, unknown>;
  /** Text segments beside child elements (mixed content); one segment per run between tags. */
  readonly texts: string[];
  pending: string;
  readonly attributes: boolean;
  hasChildren: boolean;
  readonly nil: boolean;
}

export const decodeXml: Decoder = Object.assign(
  (body: Buffer, contentType: string | undefined): unknown => {
    checkSize('XML', body, MAX_BYTES);
    const text = bodyText('XML', body, contentType, declaredEncoding(body));
    return guarded('XML', () => parseXml(text));
  },
  { accept: 'application/xml, text/xml;q=0.9, */*;q=0.1' },
);

function parseXml(text: string): unknown {
  const parser = new SaxesParser({ xmlns: true });
  const stack: Frame[] = [];
  let root: unknown;
  let items = 0;
  parser.on('opentag', (tag: SaxesTagNS) => {
    const parent = stack[stack.length - 1];
    if (parent) {
      flush(parent);
      parent.hasChildren = true;
    }
    if (stack.length >= MAX_DEPTH) throw invalid('XML', `nested more than ${MAX_DEPTH} levels deep`);
    if (++items > MAX_ITEMS) throw invalid('XML', `more than ${MAX_ITEMS} elements`);
    const keys = new Map<string, unknown>();
    let nil = false;
    for (const attr of Object.values(tag.attributes)) {
      if (attr.uri === XMLNS) continue;
      if (attr.uri === XSI && attr.local === 'nil') {
        nil = attr.value.trim() === 'true';
        continue;
      }
      merge(keys, attr.local, attr.value);
    }
    stack.push({ keys, texts: [], pending: '', attributes: keys.size > 0, hasChildren: false, nil });
  });
  const onText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.pending += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag: SaxesTagNS) => {
    const frame = stack.pop();
    if (!frame) return;
    const parent = stack[stack.length - 1];
    if (parent) merge(parent.keys, tag.local, valueOf(frame));
    else root = rootValue(frame);
  });
  parser.write(text).close();
  if (root === undefined) throw invalid('XML', 'no root element');
  return root;
}

function flush(frame: Frame): void {
  // Whitespace between elements is layout, not content (Jackson drops it too).
  if (frame.pending.trim() !== '') frame.texts.push(frame.pending);
  frame.pending = '';
}

function valueOf(frame: Frame): unknown {
  if (frame.nil) return null;
  if (!frame.attributes && !frame.hasChildren) return frame.pending;
  return rootValue(frame);
}

/** An element with attributes or children; the root always is one, even with only text (Jackson: `{"": text}`). */
function rootValue(frame: Frame): Record<string, unknown> {
  flush(frame);
  for (const t of frame.texts) merge(frame.keys, '', t);
  return toObject(frame.keys);
}

function merge(keys: Map<string, unknown>, name: string, value: unknown): void {
  if (!keys.has(name)) {
    keys.set(name, value);
    return;
  }
  // An element's value is a string, an object or null, never an array: an array here is a repeat.
  const old = keys.get(name);
  if (Array.isArray(old)) old.push(value);
  else keys.set(name, [old, value]);
}

function toObject(keys: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of keys) put(out, k, v);
  return out;
}

/** `encoding="…"` of an XML declaration written in an ASCII-compatible charset (a BOM or header wins over it). */
function declaredEncoding(body: Buffer): string | undefined {
  const head = body.subarray(0, 200).toString('latin1');
  return /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
}
