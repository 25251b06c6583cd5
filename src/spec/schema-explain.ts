// Explains why a document fails the schema, the way a person would: walks the schema alongside the data and,
// at each oneOf/anyOf, follows only the alternative the author evidently meant, so a typo in one REST operation
// yields one line ("unknown property 'foo' in …") instead of every error of every alternative that ajv reports.

import { child, describePointer, isRecord, parsePointer, valueAt } from './pointer.js';
import type { SchemaValidator } from './schema-check.js';
import { leafIssues, objectIssues, typeIssue, type Walker } from './schema-keywords.js';
import { subschemas } from './schema-values.js';
import type { Anchor } from './source.js';

export type IssueKind = 'unknown' | 'required' | 'type' | 'enum' | 'pattern' | 'range' | 'shape';

export interface Issue {
  kind: IssueKind;
  pointer: string;
  anchor: Anchor;
  message: string;
  /** On type and const mismatches: what was expected, so that alternatives can merge into "must be a or b". */
  expected?: string;
  /** On missing-property issues: the property. */
  property?: string;
}

export type SchemaNode = Record<string, unknown> | boolean;

export interface Walk {
  /** Pointer of `node` inside the schema, so ajv can validate that exact subschema. */
  sp: string;
  node: SchemaNode;
  data: unknown;
  /** Pointer of `data` inside the document. */
  ptr: string;
}

export function explainFailure(validator: SchemaValidator, data: unknown): Issue[] {
  const walker = makeWalker(validator, data);
  const issues = walker.explain({ sp: '', node: validator.schema, data, ptr: '' });
  if (issues.length > 0) return dedupe(issues);
  return [{ kind: 'shape', pointer: '', anchor: 'value', message: 'the document does not match the Naftiko schema' }];
}

function makeWalker(validator: SchemaValidator, root: unknown): Walker {
  const walker: Walker = {
    validator,
    root,
    where: (pointer) => describePointer(root, pointer),
    resolve: (ref) => ({ sp: ref.slice(1), node: valueAt(validator.schema, ref.slice(1)) as SchemaNode }),
    explain: (w) => explain(walker, w),
  };
  return walker;
}

function explain(k: Walker, w: Walk): Issue[] {
  if (w.node === true) return [];
  if (w.node === false)
    return [{ kind: 'unknown', pointer: w.ptr, anchor: 'key', message: `${k.where(w.ptr)} is not allowed` }];
  const s = w.node;
  const mismatch = typeIssue(k, w, s);
  if (mismatch) return [mismatch];
  const ref = typeof s['$ref'] === 'string' ? [k.resolve(s['$ref'])] : [];
  return [
    ...leafIssues(k, w, s),
    ...ref.flatMap((r) => k.explain({ ...w, ...r })),
    ...objectIssues(k, w, s),
    ...arrayIssues(k, w, s),
    ...subschemas(s, 'allOf').flatMap((node, i) => k.explain({ ...w, sp: child(w.sp, 'allOf', i), node })),
    ...alternativeIssues(k, w, 'oneOf'),
    ...alternativeIssues(k, w, 'anyOf'),
  ];
}

function arrayIssues(k: Walker, w: Walk, s: Record<string, unknown>): Issue[] {
  if (!Array.isArray(w.data) || !isRecord(s['items'])) return [];
  const node = s['items'];
  const sp = child(w.sp, 'items');
  return w.data.flatMap((item, i) => k.explain({ sp, node, data: item, ptr: child(w.ptr, i) }));
}

interface Candidate {
  index: number;
  issues: Issue[];
  score: number[];
}

function alternativeIssues(k: Walker, w: Walk, keyword: 'oneOf' | 'anyOf'): Issue[] {
  const branches = subschemas(w.node as Record<string, unknown>, keyword);
  if (branches.length === 0) return [];
  const sps = branches.map((_, i) => child(w.sp, keyword, i));
  const passing = sps.filter((sp) => k.validator.isValid(sp, w.data)).length;
  if (passing === 1 || (keyword === 'anyOf' && passing > 1)) return [];
  if (passing > 1) return [ambiguous(k, w, branches)];
  const candidates = branches.map((node, index): Candidate => {
    const issues = k.explain({ ...w, sp: sps[index] ?? '', node });
    return { index, issues, score: scoreOf(k, w, node, issues) };
  });
  if (candidates.every((c) => c.score[0] === 1)) return mergedMismatch(k, candidates) ?? bestOf(k, w, candidates);
  return bestOf(k, w, candidates);
}

/** Lower is better: [discriminator mismatch, missing required here, -required keys present, -depth, issue count]. */
function scoreOf(k: Walker, w: Walk, node: SchemaNode, issues: Issue[]): number[] {
  const mismatch = issues.some((i) => i.expected !== undefined && isSelfOrChild(i.pointer, w.ptr));
  const missing = issues.filter((i) => i.kind === 'required' && i.pointer === w.ptr).length;
  const present = requiredKeys(k, node).filter((key) => isRecord(w.data) && key in w.data).length;
  const depth = Math.max(0, ...issues.map((i) => parsePointer(i.pointer).length));
  return [mismatch ? 1 : 0, missing, -present, -depth, issues.length];
}

function bestOf(k: Walker, w: Walk, candidates: Candidate[]): Issue[] {
  const sorted = [...candidates].sort((a, b) => compare(a.score, b.score) || a.index - b.index);
  const [best, second] = sorted;
  if (best && second && compare(best.score, second.score) === 0) {
    const tied = sorted.filter((c) => compare(c.score, best.score) === 0);
    const merged = mergedRequired(k, w, tied);
    if (merged) return [merged];
  }
  return best?.issues ?? [];
}

/** Alternatives that each miss one different property (e.g. `transport: stdio` or a `port`): name them all. */
function mergedRequired(k: Walker, w: Walk, tied: Candidate[]): Issue | undefined {
  const missing = tied.map((c) =>
    c.issues.length === 1 && c.issues[0]?.kind === 'required' ? c.issues[0] : undefined,
  );
  if (missing.some((i) => i?.pointer !== w.ptr)) return undefined;
  const names = [...new Set(missing.map((i) => `'${i?.property ?? '?'}'`))];
  const message =
    names.length === 1
      ? `missing required property ${names[0]} in ${k.where(w.ptr)}`
      : `missing required property in ${k.where(w.ptr)}: add one of ${names.join(', ')}`;
  return { kind: 'required', pointer: w.ptr, anchor: 'value', message };
}

function compare(a: number[], b: number[]): number {
  for (const [i, x] of a.entries()) {
    const d = x - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Every alternative rejects the same discriminator (e.g. `type: foo`): say once what the choices are. */
function mergedMismatch(k: Walker, candidates: Candidate[]): Issue[] | undefined {
  const firsts = candidates.map((c) => c.issues.find((i) => i.expected !== undefined));
  const pointer = firsts[0]?.pointer;
  if (pointer === undefined || firsts.some((i) => i?.pointer !== pointer)) return undefined;
  const expected = [...new Set(firsts.map((i) => i?.expected ?? ''))];
  const kind = firsts.every((i) => i?.kind === 'type') ? 'type' : 'enum';
  const got = valueAt(k.root, pointer);
  const message = `${k.where(pointer)} must be ${expected.join(' or ')} (got ${JSON.stringify(got)})`;
  return [{ kind, pointer, anchor: 'value', message }];
}

function ambiguous(k: Walker, w: Walk, branches: SchemaNode[]): Issue {
  const names = branches.map((b, i) => branchName(b) ?? `#${i + 1}`);
  const message = `${k.where(w.ptr)} matches more than one of its allowed shapes (${names.join(', ')}); keep the properties of one`;
  return { kind: 'shape', pointer: w.ptr, anchor: 'value', message };
}

function branchName(branch: SchemaNode): string | undefined {
  if (!isRecord(branch)) return undefined;
  if (typeof branch['$ref'] === 'string') return branch['$ref'].split('/').pop();
  return Array.isArray(branch['required']) ? branch['required'].join('+') : undefined;
}

function requiredKeys(k: Walker, node: SchemaNode): string[] {
  if (!isRecord(node)) return [];
  const own = Array.isArray(node['required']) ? node['required'].map(String) : [];
  const ref = typeof node['$ref'] === 'string' ? requiredKeys(k, k.resolve(node['$ref']).node) : [];
  return [...own, ...ref, ...subschemas(node, 'allOf').flatMap((n) => requiredKeys(k, n))];
}

function isSelfOrChild(pointer: string, parent: string): boolean {
  return pointer === parent || (pointer.startsWith(`${parent}/`) && !pointer.slice(parent.length + 1).includes('/'));
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => !seen.has(`${i.pointer}\n${i.message}`) && seen.add(`${i.pointer}\n${i.message}`));
}
