// `runtime inspect`: the skill catalogues, each skill with its folder and tools (a derived tool names the
// sibling adapter and action it points at).

import type { SkillCatalogue } from '../binding/skills.js';

export function describeSkills(catalogue: SkillCatalogue) {
  return {
    namespace: catalogue.namespace,
    skills: catalogue.skills.map((s) => ({
      name: s.name,
      description: s.description,
      location: s.location ?? null,
      tools: s.tools.map((t) =>
        t.type === 'derived'
          ? {
              name: t.name,
              type: t.type,
              target: `${t.invocationRef.mode} ${t.invocationRef.targetNamespace}.${t.invocationRef.action}`,
            }
          : { name: t.name, type: t.type, instruction: t.instruction },
      ),
    })),
  };
}

export function skillLines(catalogues: ReadonlyArray<ReturnType<typeof describeSkills>>): string[] {
  const lines: string[] = [];
  for (const c of catalogues)
    for (const s of c.skills) {
      lines.push('', `SKILL ${s.name}  (${c.namespace}: GET /skills/${s.name})`, `  about     ${s.description}`);
      if (s.location) lines.push(`  folder    ${s.location}`);
      if (s.tools.length === 0) lines.push('  tools     (none: descriptive)');
      for (const t of s.tools)
        lines.push(`  tool      ${t.name}: ${'target' in t ? `→ ${t.target}` : `instruction ${t.instruction}`}`);
    }
  return lines;
}
