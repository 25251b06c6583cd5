// The skill catalogue of each `type: skill` exposes entry, compiled once from the table's adapters. Pure data:
// the load-time rules (src/spec/rules-skills.ts) have already checked every `from` and `instruction`, and the
// skill adapter reads the `location` folders per request. A skill proxies nothing: a derived tool only names
// the sibling adapter and action an agent should call.

import type { Binding, ExposeSpec } from './table.js';

export interface SkillInvocationRef {
  /** The sibling adapter's namespace. */
  readonly targetNamespace: string;
  /** Operation name (rest) or tool name (mcp) in it. */
  readonly action: string;
  readonly mode: 'rest' | 'mcp';
}

export type SkillTool =
  | {
      readonly name: string;
      readonly description: string;
      readonly type: 'derived';
      readonly invocationRef: SkillInvocationRef;
    }
  | { readonly name: string; readonly description: string; readonly type: 'instruction'; readonly instruction: string };

/** One skill, with the Agent Skills frontmatter fields under their spec names. */
export interface Skill {
  readonly name: string;
  readonly description: string;
  readonly license?: string;
  readonly compatibility?: string;
  readonly 'argument-hint'?: string;
  readonly 'allowed-tools'?: string;
  readonly 'user-invocable'?: boolean;
  readonly 'disable-model-invocation'?: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
  /** As written (`file:///…`); the adapter resolves it against the capability's folder at start. */
  readonly location?: string;
  readonly tools: readonly SkillTool[];
}

export interface SkillCatalogue {
  /** The skill adapter's namespace. */
  readonly namespace: string;
  readonly description?: string;
  readonly skills: readonly Skill[];
}

type Raw = Readonly<Record<string, unknown>>;

const OPTIONAL_TEXT = ['license', 'compatibility', 'argument-hint', 'allowed-tools'] as const;
const OPTIONAL_FLAG = ['user-invocable', 'disable-model-invocation'] as const;

/** One catalogue per skill adapter, in file order; sibling namespaces give each derived tool its mode. */
export function compileSkills(exposes: readonly ExposeSpec[]): SkillCatalogue[] {
  const modes = new Map<string, 'rest' | 'mcp'>();
  for (const e of exposes) if (e.kind === 'rest' || e.kind === 'mcp') modes.set(e.namespace, e.kind);
  return exposes
    .filter((e) => e.kind === 'skill')
    .map((e) => ({
      namespace: e.namespace,
      ...(e.description ? { description: e.description } : {}),
      skills: list(e.raw['skills']).map((s) => compileSkill(s, modes)),
    }));
}

function compileSkill(raw: Raw, modes: ReadonlyMap<string, 'rest' | 'mcp'>): Skill {
  const skill: Record<string, unknown> = { name: text(raw['name']), description: text(raw['description']) };
  for (const key of OPTIONAL_TEXT) if (typeof raw[key] === 'string') skill[key] = raw[key];
  for (const key of OPTIONAL_FLAG) if (typeof raw[key] === 'boolean') skill[key] = raw[key];
  const metadata = raw['metadata'];
  if (metadata && typeof metadata === 'object' && Object.keys(metadata).length > 0)
    skill['metadata'] = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)]));
  if (typeof raw['location'] === 'string') skill['location'] = raw['location'];
  skill['tools'] = list(raw['tools']).map((t) => compileTool(t, modes));
  return skill as unknown as Skill;
}

function compileTool(raw: Raw, modes: ReadonlyMap<string, 'rest' | 'mcp'>): SkillTool {
  const base = { name: text(raw['name']), description: text(raw['description']) };
  const from = raw['from'] as Raw | undefined;
  if (!from) return { ...base, type: 'instruction', instruction: text(raw['instruction']) };
  const targetNamespace = text(from['sourceNamespace']);
  // The load rules refuse a namespace that is no rest/mcp sibling, so the fallback is never served.
  const mode = modes.get(targetNamespace) ?? 'rest';
  return { ...base, type: 'derived', invocationRef: { targetNamespace, action: text(from['action']), mode } };
}

function list(value: unknown): Raw[] {
  return Array.isArray(value) ? value.filter((v): v is Raw => typeof v === 'object' && v !== null) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The catalogue of skill adapter `namespace` in the table. */
export function catalogueOf(
  table: { readonly skills?: readonly SkillCatalogue[] },
  namespace: string,
): SkillCatalogue | undefined {
  return table.skills?.find((c) => c.namespace === namespace);
}

/** Derived tools whose target this runtime does not serve (refused at load, e.g.): `skill/tool → ns.action` each. */
export function unservedTargets(catalogue: SkillCatalogue, bindings: readonly Binding[]): string[] {
  const served = new Set(
    bindings.map(
      (b) => `${b.expose.namespace}.${(b.expose.kind === 'mcp' ? b.expose.name : b.expose.operationName) ?? ''}`,
    ),
  );
  return catalogue.skills.flatMap((s) =>
    s.tools.flatMap((t) => {
      if (t.type !== 'derived') return [];
      const target = `${t.invocationRef.targetNamespace}.${t.invocationRef.action}`;
      return served.has(target) ? [] : [`${s.name}/${t.name} → ${target}`];
    }),
  );
}
