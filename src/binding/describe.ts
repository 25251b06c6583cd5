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
 * when that is short ("Get one-time token by ID"); else the title made from the name ("Get one time token id").
 */
export function toolTitle(b: Binding): string {
  const expose = b.expose as McpExposure;
  if (expose.title !== titleFromName(expose.name)) return expose.title;
  return toolSummary(b) ?? expose.title;
}

/** The first sentence of the tool's description, when short enough to be a title or an index line. */
export function toolSummary(b: Binding): string | undefined {
  const expose = b.expose as McpExposure;
  const text = (expose.description ?? b.description)?.trim();
  if (!text) return undefined;
  const first = (/^(.+?[.!?])(\s|$)/s.exec(text)?.[1] ?? text).replace(/\s+/g, ' ').replace(/\.$/, '');
  return first.length <= MAX_TITLE ? first : undefined;
}
