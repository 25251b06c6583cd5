// Rules on `type: skill` adapters: every derived tool's `from` names a sibling rest/mcp adapter and one of its
// operations/tools; every instruction file exists inside its skill's `location` folder (no `..`, no absolute
// path, no symbolic link out of it); the folder exists and does not hold a binds file (it would be published).
// Checked here, at load, so the catalogue never advertises something that fails when an agent asks for it.

import { dirname, resolve } from 'node:path';
import { arr, listOf, rec, str, type Findings, type Rec } from './findings.js';
import type { Adapter, Model } from './model.js';
import { child, valueAt } from './pointer.js';
import { isInside, locationDir, realDir, resolveInside } from '../safe-path.js';
import { realpathSync } from 'node:fs';

interface Sibling {
  kind: 'rest' | 'mcp';
  actions: Set<string>;
}

export function checkSkills(model: Model, findings: Findings): void {
  const skillAdapters = model.adapters.filter((a) => a.kind === 'skill');
  if (skillAdapters.length === 0) return;
  const siblings = siblingsOf(model.adapters);
  const secrets = bindFiles(model);
  for (const adapter of skillAdapters) {
    const names = new Map<string, number>();
    for (const [i, s] of arr(adapter.data['skills']).entries()) {
      const skill = rec(s);
      if (!skill) continue;
      const ptr = child(adapter.ptr, 'skills', i);
      const name = str(skill['name']);
      if (name !== undefined) {
        const first = names.get(name);
        if (first === undefined) names.set(name, i);
        else {
          const message = `skill name '${name}' is already used by skills[${first}] of this adapter; skill names must be unique (they are the /skills/{name} routes)`;
          findings.add(model.main, child(ptr, 'name'), 'NAF_SPEC_SKILL_DUPLICATE', message);
        }
      }
      const root = checkLocation(model, skill, ptr, secrets, findings);
      checkTools(model, skill, ptr, { siblings, root }, findings);
    }
  }
}

/** Sibling rest/mcp adapters by namespace, with the names a `from.action` may use. */
function siblingsOf(adapters: readonly Adapter[]): Map<string, Sibling> {
  const out = new Map<string, Sibling>();
  for (const a of adapters) {
    if (a.namespace === undefined || (a.kind !== 'rest' && a.kind !== 'mcp')) continue;
    const items =
      a.kind === 'mcp' ? arr(a.data['tools']) : arr(a.data['resources']).flatMap((r) => arr(rec(r)?.['operations']));
    out.set(a.namespace, { kind: a.kind, actions: new Set(items.flatMap((x) => actionName(rec(x)))) });
  }
  return out;
}

/** An item's name, or for a `ref` without one, the aggregate function's name it takes (as the engine does). */
function actionName(item: Rec | undefined): string[] {
  const name = str(item?.['name']);
  if (name !== undefined) return [name];
  const ref = str(item?.['ref']);
  return ref?.includes('.') ? [ref.slice(ref.lastIndexOf('.') + 1)] : [];
}

/** Real paths of the binds files the capability reads: a skill folder must not publish them. */
function bindFiles(model: Model): string[] {
  const dir = dirname(model.main.file);
  return model.binds.flatMap((b) => {
    const location = str(valueAt(model.main.data, child(b.ptr, 'location')));
    if (location === undefined) return [];
    const path = location.startsWith('file:') ? locationDir(location, dir) : resolve(dir, location);
    if (path === undefined) return [];
    try {
      return [realpathSync(path)];
    } catch {
      return [];
    }
  });
}

/** The skill folder's real path when it is usable; undefined (reported or absent) otherwise. */
function checkLocation(
  model: Model,
  skill: Rec,
  ptr: string,
  secrets: readonly string[],
  findings: Findings,
): string | undefined {
  const location = str(skill['location']);
  if (location === undefined) return undefined;
  const at = child(ptr, 'location');
  const dir = locationDir(location, dirname(model.main.file));
  const root = dir === undefined ? undefined : realDir(dir);
  if (root === undefined) {
    // The engine loads such a file and answers 404 until the folder is provisioned: so do we, saying so.
    const where = dir === undefined ? 'is not a usable file:/// URI' : `names ${dir}, which is not an existing folder`;
    const message = `skill location '${location}' ${where}: its contents, download and instruction files answer 404 until it exists (file:///./x is relative to the capability file)`;
    findings.add(model.main, at, 'NAF_SPEC_SKILL_LOCATION', message);
    return undefined;
  }
  const leaked = secrets.find((file) => isInside(root, file));
  if (leaked !== undefined) {
    const message = `skill location '${location}' holds the binds file ${leaked}: its contents and download routes would publish it; keep secrets outside skill folders`;
    findings.add(model.main, at, 'NAF_SPEC_SKILL_LOCATION_SECRETS', message);
    return undefined;
  }
  return root;
}

interface ToolScope {
  siblings: Map<string, Sibling>;
  root: string | undefined;
}

function checkTools(model: Model, skill: Rec, ptr: string, scope: ToolScope, findings: Findings): void {
  const names = new Map<string, number>();
  const skillName = str(skill['name']) ?? '?';
  for (const [j, t] of arr(skill['tools']).entries()) {
    const tool = rec(t);
    if (!tool) continue;
    const at = child(ptr, 'tools', j);
    const name = str(tool['name']);
    if (name !== undefined) {
      const first = names.get(name);
      if (first === undefined) names.set(name, j);
      else {
        const message = `tool name '${name}' is already used by tools[${first}] of skill '${skillName}'; tool names must be unique within a skill`;
        findings.add(model.main, child(at, 'name'), 'NAF_SPEC_SKILL_DUPLICATE', message);
      }
    }
    const from = rec(tool['from']);
    if (from) checkFrom(model, from, child(at, 'from'), scope.siblings, findings);
    const instruction = str(tool['instruction']);
    if (instruction !== undefined)
      checkInstruction(model, skill, instruction, child(at, 'instruction'), scope, findings);
  }
}

function checkFrom(model: Model, from: Rec, ptr: string, siblings: Map<string, Sibling>, findings: Findings): void {
  const namespace = str(from['sourceNamespace']);
  const action = str(from['action']);
  if (namespace === undefined || action === undefined) return;
  const sibling = siblings.get(namespace);
  if (!sibling) {
    const known = [...siblings.entries()].map(([ns, s]) => `${ns} (${s.kind})`);
    const message = `from.sourceNamespace '${namespace}' names no rest or mcp exposes entry of this capability; known: ${listOf(known)}`;
    findings.add(model.main, child(ptr, 'sourceNamespace'), 'NAF_SPEC_SKILL_FROM_NAMESPACE', message);
    return;
  }
  if (sibling.actions.has(action)) return;
  const what = sibling.kind === 'rest' ? 'operation' : 'tool';
  const message = `from.action '${action}' names no ${what} of the ${sibling.kind} adapter '${namespace}'; known: ${listOf(sibling.actions)}`;
  findings.add(model.main, child(ptr, 'action'), 'NAF_SPEC_SKILL_FROM_ACTION', message);
}

function checkInstruction(
  model: Model,
  skill: Rec,
  instruction: string,
  ptr: string,
  scope: ToolScope,
  findings: Findings,
): void {
  if (skill['location'] === undefined) {
    const message = `instruction '${instruction}' needs the skill's location (the folder it is read from); add location: file:///./<folder>`;
    findings.add(model.main, ptr, 'NAF_SPEC_SKILL_INSTRUCTION_LOCATION', message);
    return;
  }
  // An unusable location is reported on its own line; nothing to resolve against.
  if (scope.root === undefined) return;
  const found = resolveInside(scope.root, instruction);
  if (found.ok) return;
  if (found.problem === 'missing') {
    const message = `instruction file '${instruction}' is not in the skill's location ${scope.root} (${found.reason})`;
    findings.add(model.main, ptr, 'NAF_SPEC_SKILL_INSTRUCTION_MISSING', message);
    return;
  }
  const message = `instruction '${instruction}' cannot be served: ${found.reason}; give a path inside the skill's location, e.g. guides/usage.md`;
  findings.add(model.main, ptr, 'NAF_SPEC_SKILL_INSTRUCTION_PATH', message);
}
