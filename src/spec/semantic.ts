// The semantic pass: every rule over the indexed document, each reporting into one Findings list.

import { Findings, type Finding } from './findings.js';
import type { Model } from './model.js';
import { checkAdapters } from './rules-adapters.js';
import { checkAggregateSemantics } from './rules-aggregates.js';
import { checkBinds } from './rules-binds.js';
import { checkCalls } from './rules-calls.js';
import { checkConsumes } from './rules-consumes.js';
import { checkFormats } from './rules-formats.js';
import { checkLint } from './rules-lint.js';
import { checkOutputs } from './rules-outputs.js';
import { checkScripts } from './rules-scripts.js';
import { checkSkills } from './rules-skills.js';
import { checkWithValues } from './rules-with.js';

export function checkSemantics(model: Model, findings = new Findings()): readonly Finding[] {
  checkConsumes(model.entries, findings);
  checkFormats(model, findings);
  checkAdapters(model, findings);
  checkCalls(model, findings);
  checkWithValues(model, findings);
  checkOutputs(model, findings);
  checkBinds(model, findings);
  checkScripts(model, findings);
  checkSkills(model, findings);
  checkAggregateSemantics(model, findings);
  checkLint(model, findings);
  return findings.list;
}
