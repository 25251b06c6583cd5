// Reads one YAML file, keeping source positions so that every diagnostic can say line:col.

import { readFile } from 'node:fs/promises';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { parsePointer } from './pointer.js';

export interface Position {
  line: number;
  col: number;
}

/** Where a diagnostic points: the value of the property (default), or its key (for unknown properties). */
export type Anchor = 'key' | 'value';

export interface SourceDoc {
  readonly file: string;
  /** The document as plain JSON data. */
  readonly data: unknown;
  /** 1-based position of the node at `pointer`; a missing node falls back to its deepest existing parent. */
  locate(pointer: string, anchor?: Anchor): Position;
}

export type ReadResult =
  { source: SourceDoc; diagnostics: Diagnostic[] } | { source?: undefined; diagnostics: Diagnostic[] };

export async function readSource(file: string): Promise<ReadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { diagnostics: [readDiagnostic(file, error)] };
  }
  return parseSource(file, text);
}

export function parseSource(file: string, text: string): ReadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: true });
  // After the first syntax error the parser's recovery produces follow-on errors that mislead more than help.
  const diagnostics = [...doc.errors.slice(0, 1), ...doc.warnings].map((e): Diagnostic => {
    const pos = e.linePos?.[0] ?? { line: 0, col: 0 };
    const severity = e.name === 'YAMLWarning' ? 'warning' : 'error';
    const message = `YAML ${severity === 'error' ? 'syntax error' : 'warning'}: ${firstLine(e.message)}`;
    return { severity, code: 'NAF_SPEC_YAML', message, file, line: pos.line, col: pos.col, pointer: '' };
  });
  if (doc.errors.length > 0) return { diagnostics };
  const source: SourceDoc = {
    file,
    data: doc.toJS({ maxAliasCount: 1000 }),
    locate: (pointer, anchor = 'value') => positionOf(doc, lineCounter, pointer, anchor),
  };
  return { source, diagnostics };
}

function readDiagnostic(file: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
  return {
    severity: 'error',
    code: 'NAF_SPEC_READ',
    message: `cannot read capability file: ${reason}; check the path (relative paths resolve from the current directory)`,
    file,
    line: 0,
    col: 0,
    pointer: '',
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

function positionOf(doc: Document, lineCounter: LineCounter, pointer: string, anchor: Anchor): Position {
  const offset = offsetOf(doc, pointer, anchor);
  return offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset);
}

function offsetOf(doc: Document, pointer: string, anchor: Anchor): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  const segments = parsePointer(pointer);
  for (const [i, segment] of segments.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const next = childNode(node, segment);
    if (next === undefined) break;
    const last = i === segments.length - 1;
    if (last && anchor === 'key' && next.key !== undefined) return rangeStart(next.key) ?? offset;
    node = next.value;
    offset = rangeStart(next.value) ?? rangeStart(next.key) ?? offset;
  }
  return offset;
}

/** The child at `segment`, with its key node when the parent is a mapping. */
function childNode(node: unknown, segment: string): { key?: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && keyText(p.key) === segment);
    return pair && { key: pair.key, value: pair.value };
  }
  if (isSeq(node)) {
    const item: unknown = node.items[Number(segment)];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? range[0] : undefined;
}
