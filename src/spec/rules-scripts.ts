// `type: script` steps this runtime cannot run (Python, Groovy, scripting switched off, a file missing or outside
// the capability's folder, a file that does not parse): a warning at the step, with the same reason the step
// compiler gives, because the operation or tool holding the step is then not served.

import { dirname } from 'node:path';
import { resolveScript } from '../script/resolve.js';
import { scriptingSettings } from '../script/settings.js';
import { arr, rec, str, type Findings } from './findings.js';
import type { Model } from './model.js';
import { child } from './pointer.js';

export function checkScripts(model: Model, findings: Findings): void {
  const steps = model.sites
    .filter((s) => s.kind !== 'step')
    .flatMap((site) =>
      arr(site.node['steps']).flatMap((s, i) => {
        const node = rec(s);
        return node?.['type'] === 'script' ? [{ site, node, ptr: child(site.ptr, 'steps', i) }] : [];
      }),
    );
  if (steps.length === 0) return;
  const settings = scriptingSettings(model.main.data);
  const baseDir = dirname(model.main.file);
  for (const { site, node, ptr } of steps) {
    const result = resolveScript(node, { baseDir, settings });
    if (!('refused' in result)) continue;
    const language = str(node['language']) ?? settings.defaultLanguage ?? 'no language';
    const name = str(node['name']) ?? '(unnamed)';
    const message = `script step '${name}' (${language}) of ${site.label} cannot run here: ${result.refused}; the ${site.kind === 'function' ? 'function' : site.kind === 'mcp' ? 'tool' : 'operation'} is not served`;
    findings.add(model.main, ptr, 'NAF_SPEC_UNSUPPORTED_SCRIPT', message);
  }
}
