// Markdown → `{frontMatter, tables, sections}`, as the engine builds it with commonmark and GFM tables:
// - frontMatter: a leading `---` YAML block (an object, else {}),
// - tables: each top-level GFM table as rows keyed by its header cells (the same contract as HTML),
// - sections: each top-level heading with its level and the text of the blocks up to the next heading (tables
//   left out), paragraphs joined by '\n'. Text is the literal text and inline code; markup, HTML and code blocks
//   are dropped; a soft line break is a space, a hard one '\n'.
// `outputSchema` keeps the sections whose heading starts with it. Written as the schema's own example does
// (`## Results`), its leading `#`s also name the heading level; the engine compares them as heading text and so
// never matches such a filter.

import type { Nodes, Root, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import {
  bodyText,
  checkSize,
  guarded,
  invalid,
  MAX_DEPTH,
  MIB,
  rowsToTable,
  sanitizeHeaders,
  type Decoder,
} from './common.js';
import { parseYaml } from './yaml.js';

// micromark with GFM tables is the slowest parser here (several seconds of CPU per MiB).
const MAX_BYTES = MIB / 2;

interface Section {
  heading: string;
  level: number;
  content: string;
}

interface Filter {
  prefix: string;
  level?: number;
}

export function markdownDecoder(outputSchema: string | undefined): Decoder {
  const filter = filterOf(outputSchema);
  const decode = (body: Buffer, contentType: string | undefined): unknown => {
    checkSize('Markdown', body, MAX_BYTES);
    const markdown = bodyText('Markdown', body, contentType).replace(/\r\n/g, '\n');
    const { frontMatter, rest } = splitFrontMatter(markdown);
    const tree = guarded('Markdown', () =>
      fromMarkdown(rest, { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] }),
    );
    checkTreeDepth(tree);
    return { frontMatter, tables: tablesOf(tree), sections: sectionsOf(tree, filter) };
  };
  return Object.assign(decode, { accept: 'text/markdown, text/plain;q=0.9, */*;q=0.1' });
}

function filterOf(outputSchema: string | undefined): Filter | undefined {
  if (outputSchema === undefined || outputSchema.trim() === '') return undefined;
  const m = /^(#{1,6})\s+(.*)$/.exec(outputSchema);
  return m ? { prefix: m[2] as string, level: (m[1] as string).length } : { prefix: outputSchema };
}

/** As the engine: `---\n` first, up to the next `\n---\n`; otherwise there is no front matter. */
function splitFrontMatter(markdown: string): { frontMatter: unknown; rest: string } {
  if (!markdown.startsWith('---\n')) return { frontMatter: {}, rest: markdown };
  const end = markdown.indexOf('\n---\n', 4);
  if (end < 0) return { frontMatter: {}, rest: markdown };
  const block = markdown.slice(4, end).trim();
  const parsed = block === '' ? undefined : parseYaml('Markdown front matter', block);
  const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  return { frontMatter: isObject ? parsed : {}, rest: markdown.slice(end + 5) };
}

function tablesOf(tree: Root): Record<string, string>[][] {
  const tables: Record<string, string>[][] = [];
  for (const node of tree.children) {
    if (node.type !== 'table') continue;
    const [head, ...body] = rowsOf(node);
    const headers = sanitizeHeaders(head ?? []);
    if (headers.length > 0) tables.push(rowsToTable(headers, body));
  }
  return tables;
}

function rowsOf(table: Table): string[][] {
  return table.children.map((row) => row.children.map((cell) => textOf(cell).trim()));
}

function sectionsOf(tree: Root, filter: Filter | undefined): Section[] {
  const sections: Section[] = [];
  let current: { heading: string; level: number; nodes: RootContent[] } | undefined;
  const close = (): void => {
    if (current && matches(current.heading, current.level, filter))
      sections.push({ heading: current.heading, level: current.level, content: contentOf(current.nodes) });
  };
  for (const node of tree.children) {
    if (node.type === 'heading') {
      close();
      current = { heading: textOf(node).trim(), level: node.depth, nodes: [] };
    } else if (current && node.type !== 'table') current.nodes.push(node);
  }
  close();
  return sections;
}

function matches(heading: string, level: number, filter: Filter | undefined): boolean {
  if (!filter) return true;
  return heading.startsWith(filter.prefix) && (filter.level === undefined || filter.level === level);
}

function contentOf(nodes: RootContent[]): string {
  return nodes
    .map((n) => textOf(n).trim())
    .filter((t) => t !== '')
    .join('\n')
    .trim();
}

/** commonmark's Text and Code literals in document order; a soft break (kept as '\n' in mdast text) is a space. */
function textOf(root: Nodes): string {
  let out = '';
  const stack: Nodes[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'text') out += node.value.replace(/\n/g, ' ');
    else if (node.type === 'inlineCode') out += node.value;
    else if (node.type === 'break') out += '\n';
    else if (node.type === 'image') out += node.alt ?? '';
    else if ('children' in node)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return out;
}

function checkTreeDepth(tree: Root): void {
  const stack: Array<[Nodes, number]> = [[tree, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (!('children' in node)) continue;
    if (depth >= MAX_DEPTH) throw invalid('Markdown', `blocks nested more than ${MAX_DEPTH} levels deep`);
    for (const child of node.children) stack.push([child, depth + 1]);
  }
}
