// Lines saying what a binding runs or does, for people and models (inspect, OpenAPI, tool titles, instructions).

import { titleFromName } from './annotations.js';
import type { Binding, McpExposure, Step } from './table.js';

export function describePlan(b: Binding): string {
  const plan = b.plan;
  switch (plan.kind) {
    case 'call':
      return `${plan.step.request.method} {${plan.step.request.upstream}}${plan.step.request.pathTemplate}`;
    case 'mock':
      return 'mock (no upstream call)';
    case 'steps':
      return `steps: ${plan.steps.map(describeStep).join(' → ')}`;
  }
}

function describeStep(s: Step): string {
  switch (s.kind) {
    case 'call':
      return `${s.name} (${s.request.method} {${s.request.upstream}}${s.request.pathTemplate})`;
    case 'lookup':
      return `${s.name} (lookup in ${s.index} by ${s.match})`;
    case 'script':
      return `${s.name} (script ${s.file})`;
  }
}

/** A title is a short phrase: longer first sentences stay in the description. */
const MAX_TITLE = 80;

/**
 * The tool's display title: the file's `label` when it gives one; else the first sentence of its description
 * when that is short ("Get one-time token by ID"), else the upstream contract's summary; else the title made
 * from the name ("Get one time token id").
 */
export function toolTitle(b: Binding): string {
  const expose = b.expose as McpExposure;
  if (expose.title !== titleFromName(expose.name)) return expose.title;
  return toolSummary(b) ?? expose.title;
}

/**
 * A title-length phrase for the tool: the first sentence of its description when short enough, else the upstream
 * contract's summary (src/contracts) when one matched.
 */
export function toolSummary(b: Binding): string | undefined {
  const expose = b.expose as McpExposure;
  return firstSentence(expose.description ?? b.description) ?? firstSentence(b.summary);
}

function firstSentence(text: string | undefined): string | undefined {
  const t = text?.trim();
  if (!t) return undefined;
  const first = (/^(.+?[.!?])(\s|$)/s.exec(t)?.[1] ?? t).replace(/\s+/g, ' ').replace(/\.$/, '');
  return first.length <= MAX_TITLE ? first : undefined;
}
