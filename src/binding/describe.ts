// One line saying what a binding runs, for people (inspect, OpenAPI descriptions, logs).

import type { Binding, Step } from './table.js';

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
