// REST ↔ MCP twins, read from the compiled binding table: a REST binding and an MCP tool are twins when
// they call the same consumed operation, so the parity suite can demand cases for every pair it finds.

import type { BindingTable, Binding, McpExposure, RestExposure } from '../../src/binding/table.js';
import { ERRORS, type ErrorCode } from '../../src/errors.js';
import type { ParityCase } from './cases.js';

export interface Twins {
  /** The consumed operation both call, e.g. `GET /api/one-time-tokens/{id}`. */
  readonly op: string;
  readonly rest: Binding & { readonly expose: RestExposure };
  readonly mcp: Binding & { readonly expose: McpExposure };
}

export function operationOf(b: Binding): string {
  return b.request ? `${b.request.method} ${b.request.pathTemplate}` : b.id;
}

const calls = (b: Binding) => (b.request ? `${b.request.upstream} ${operationOf(b)}` : b.id);
const isRest = (b: Binding): b is Twins['rest'] => b.expose.kind === 'rest';
const isMcp = (b: Binding): b is Twins['mcp'] => b.expose.kind === 'mcp';

/** Every (REST binding, MCP tool) pair that calls the same upstream operation. */
export function findTwins(table: BindingTable): Twins[] {
  const tools = table.bindings.filter(isMcp);
  return table.bindings
    .filter(isRest)
    .flatMap((rest) =>
      tools.filter((mcp) => calls(mcp) === calls(rest)).map((mcp) => ({ op: operationOf(rest), rest, mcp })),
    );
}

/** The twin pair a case exercises, or undefined when its route and tool are not twins. */
export function twinsOf(c: ParityCase, twins: readonly Twins[]): Twins | undefined {
  return twins.find(
    (t) =>
      t.rest.expose.method === c.rest.method && t.rest.expose.path === c.rest.route && t.mcp.expose.name === c.mcp.tool,
  );
}

export type CaseKind = 'success' | 'upstream-error' | 'bad-input' | 'upstream-failure';

export function kindOf(c: ParityCase): CaseKind {
  if (c.raises) return kindOfCode(c.raises.code) === 'input' ? 'bad-input' : 'upstream-failure';
  return (c.upstream?.status ?? 200) >= 400 ? 'upstream-error' : 'success';
}

function kindOfCode(code: ErrorCode): string {
  return ERRORS[code].kind;
}

/** What each pair must have a case for; bad input only where the binding takes an argument to get wrong. */
export function requiredKinds(t: Twins): CaseKind[] {
  const kinds: CaseKind[] = ['success', 'upstream-error', 'upstream-failure'];
  return t.rest.input.args.length ? [...kinds, 'bad-input'] : kinds;
}
