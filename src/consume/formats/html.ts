// HTML → `{tables: [[row, …], …]}`, the engine's table contract (jsoup there, the spec-compliant parse5 here, so
// a `<tr>` outside `<tbody>` lands in an implied one in both). `outputSchema` is a CSS selector scoping the search:
// a selected table, or the tables inside a selected element. A table's headers are the `th` of its first `thead`
// row, else of its first row; its rows are the `tbody` rows (else every row) that hold no `th`, each cell's text
// under its column, a missing cell ''. A table whose headers are all blank is skipped.

import { compile, selectAll } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import { parse } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';
import {
  bodyText,
  checkSize,
  guarded,
  invalid,
  MAX_DEPTH,
  MAX_ITEMS,
  MIB,
  rowsToTable,
  sanitizeHeaders,
  type Decoder,
} from './common.js';

type Query = (el: Element) => boolean;

const MAX_BYTES = 2 * MIB;

const ALL_TABLES = compile<AnyNode, Element>('table');
const THEAD_HEADERS = compile<AnyNode, Element>('thead tr:first-child th');
const FIRST_ROW_HEADERS = compile<AnyNode, Element>('tr:first-child th');
const BODY_ROWS = compile<AnyNode, Element>('tbody tr');
const ROWS = compile<AnyNode, Element>('tr');
const TH = compile<AnyNode, Element>('th');
const TD = compile<AnyNode, Element>('td');

// Elements whose edges separate words in jsoup's text(): `<td>a<br>b</td>` reads "a b", not "ab".
const BREAKS = new Set(['br', 'p', 'div', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Compiles the selector now, so a bad one is refused at load instead of failing every call. */
export function htmlDecoder(selector: string | undefined): Decoder | { refused: string } {
  let scope: Query | undefined;
  if (selector !== undefined && selector.trim() !== '') {
    try {
      scope = compile<AnyNode, Element>(selector);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { refused: `html outputSchema '${selector}' is not a CSS selector: ${reason}` };
    }
  }
  const decode = (body: Buffer, contentType: string | undefined): unknown => {
    checkSize('HTML', body, MAX_BYTES);
    const text = bodyText('HTML', body, contentType);
    return guarded('HTML', () => ({ tables: extractTables(text, scope) }));
  };
  return Object.assign(decode, { accept: 'text/html, */*;q=0.1' });
}

function extractTables(text: string, scope: Query | undefined): Record<string, string>[][] {
  const document = parse(text, { treeAdapter: adapter });
  checkTreeDepth(document);
  const tables: Record<string, string>[][] = [];
  let rowCount = 0;
  for (const table of selectTables(document, scope)) {
    const headers = headersOf(table);
    if (headers.length === 0) continue;
    const rows = rowsOf(table);
    rowCount += rows.length;
    if (rowCount > MAX_ITEMS) throw invalid('HTML', `more than ${MAX_ITEMS} table rows`);
    tables.push(rowsToTable(headers, rows));
  }
  return tables;
}

/** Every table when unscoped; else the selected tables and the tables inside selected elements, each once. */
function selectTables(document: AnyNode, scope: Query | undefined): Element[] {
  if (!scope) return selectAll<AnyNode, Element>(ALL_TABLES, document);
  const found = new Set<Element>();
  for (const el of selectAll(scope, document)) {
    if (el.name === 'table') found.add(el);
    else for (const t of selectAll(ALL_TABLES, el)) found.add(t);
  }
  return [...found];
}

function headersOf(table: Element): string[] {
  let cells = selectAll(THEAD_HEADERS, table);
  if (cells.length === 0) cells = selectAll(FIRST_ROW_HEADERS, table);
  return sanitizeHeaders(cells.map(textOf));
}

function rowsOf(table: Element): string[][] {
  let rows = selectAll(BODY_ROWS, table);
  if (rows.length === 0) rows = selectAll(ROWS, table);
  const out: string[][] = [];
  for (const row of rows) {
    // A row holding any <th> is a header row.
    if (selectAll(TH, row).length > 0) continue;
    const cells = selectAll(TD, row);
    if (cells.length > 0) out.push(cells.map(textOf));
  }
  return out;
}

/** jsoup's Element.text(): the descendant text, whitespace (nbsp included) collapsed to single spaces, trimmed. */
function textOf(el: Element): string {
  const parts: string[] = [];
  // A string on the stack is text to emit: the space after a word-breaking element.
  const stack: Array<AnyNode | string> = [el];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (typeof node === 'string') parts.push(node);
    else if (node.type === 'text') parts.push(node.data);
    else if ('children' in node) {
      const isBreak = 'name' in node && BREAKS.has(node.name);
      if (isBreak) parts.push(' ');
      if (isBreak) stack.push(' ');
      // Reversed, so the stack pops them in document order.
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
    }
  }
  return parts
    .join('')
    .replace(/[ \t\n\f\r\u00a0]+/g, ' ')
    .trim();
}

function checkTreeDepth(document: AnyNode): void {
  const stack: Array<[AnyNode, number]> = [[document, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (!('children' in node)) continue;
    if (depth >= MAX_DEPTH * 4) throw invalid('HTML', `elements nested more than ${MAX_DEPTH * 4} levels deep`);
    for (const child of node.children) stack.push([child, depth + 1]);
  }
}
