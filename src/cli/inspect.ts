// `runtime inspect <file>`: the binding table as a person (or a script) would want to read it.

import { controlRoutes, controlSettings } from '../expose/control/settings.js';
import type { CompiledTable } from '../binding/compile.js';
import { describePlan } from '../binding/describe.js';
import type { Binding } from '../binding/table.js';
import { parseFlags } from './flags.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { loadTable } from './load-table.js';
import { oneFile } from './options.js';
import { describeForward, forwardLines } from './inspect-forward.js';
import { describePrompt, describeResource, mcpItemLines } from './inspect-mcp-items.js';
import { describeSkills, skillLines } from './inspect-skills.js';

export async function inspectCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout('Usage: runtime inspect <file> [--format text|json]\n');
    return EXIT.ok;
  }
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError(`--format must be text or json, got '${values.format}'`);
  const table = await loadTable(oneFile(positionals, 'inspect'), io);
  if (!table) return EXIT.invalid;
  io.stdout(values.format === 'json' ? `${JSON.stringify(describeTable(table), null, 2)}\n` : renderText(table));
  return EXIT.ok;
}

/** Plain data view of the table (no functions), shared by both formats. Bind values are never resolved here. */
export function describeTable(table: CompiledTable) {
  return {
    capability: table.capability,
    upstreams: table.upstreams.map((u) => ({
      namespace: u.namespace,
      baseUri: u.baseUri,
      variables: u.variables,
      auth: u.auth?.type ?? 'none',
    })),
    adapters: table.exposes.map((e) => ({
      kind: e.kind,
      namespace: e.namespace,
      transport: e.transport,
      port: e.port ?? null,
      // A control adapter serves routes, not bindings: list the ones its settings switch on.
      ...(e.kind === 'control' ? { routes: controlRoutes(controlSettings(e.raw)) } : {}),
    })),
    bindings: table.bindings.map(describeBinding),
    forwards: (table.forwards ?? []).map(describeForward),
    resources: (table.resources ?? []).map(describeResource),
    prompts: (table.prompts ?? []).map(describePrompt),
    skills: (table.skills ?? []).map(describeSkills),
    unsupported: table.unsupported,
  };
}

function describeBinding(b: Binding) {
  const upstream = describePlan(b);
  const inputs = b.input.args.map((a) => ({
    name: a.name,
    source: a.source,
    type: String(a.schema['type'] ?? 'any'),
    required: a.required,
    origin: a.origin,
  }));
  const exposed =
    b.expose.kind === 'rest'
      ? { adapter: 'rest', namespace: b.expose.namespace, route: `${b.expose.method} ${b.expose.path}` }
      : {
          adapter: 'mcp',
          namespace: b.expose.namespace,
          tool: b.expose.name,
          title: b.expose.title,
          annotations: b.expose.annotations,
        };
  return { id: b.id, ...exposed, description: b.description ?? null, inputs, upstream, idempotent: b.idempotent };
}

function renderText(table: CompiledTable): string {
  const d = describeTable(table);
  const lines = [`${d.capability.label}`, ''];
  for (const u of d.upstreams)
    lines.push(
      `upstream ${u.namespace}: ${u.baseUri}  (auth: ${u.auth}${u.variables.length ? `; variables: ${u.variables.join(', ')}` : ''})`,
    );
  for (const a of d.adapters) {
    lines.push(`adapter  ${a.namespace}: ${a.kind} over ${a.transport}${a.port !== null ? ` on port ${a.port}` : ''}`);
    if (a.routes) lines.push(`  routes  ${a.routes.join(' ')}`);
  }
  for (const b of d.bindings) {
    lines.push('', 'route' in b ? `REST ${b.route}` : `MCP tool ${b.tool}  "${b.title}"`, `  id        ${b.id}`);
    if (b.description) lines.push(`  about     ${b.description}`);
    lines.push(`  upstream  ${b.upstream}${b.idempotent ? '  (idempotent: retry-safe)' : ''}`);
    if ('annotations' in b) {
      const hints = Object.entries(b.annotations)
        .filter(([k]) => k !== 'title')
        .map(([k, v]) => `${k}=${String(v)}`);
      lines.push(`  hints     ${hints.join(' ')}`);
    }
    if (b.inputs.length === 0) lines.push('  inputs    (none)');
    for (const i of b.inputs)
      lines.push(
        `  input     ${i.name}: ${i.type}${i.required ? ' (required)' : ''} from ${i.source}${i.origin !== 'declared' ? ` [inferred: ${i.origin}]` : ''}`,
      );
  }
  lines.push(...forwardLines(d.forwards));
  lines.push(...mcpItemLines(d.resources, d.prompts));
  lines.push(...skillLines(d.skills));
  for (const u of d.unsupported) lines.push('', `not served: ${u.where}: ${u.reason}`);
  return `${lines.join('\n')}\n`;
}
