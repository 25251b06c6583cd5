// The MCP `instructions` a model reads at connect time: what the server is for, an index of its tools, whose
// credentials the calls use, and which capability (label, version) it serves. Built once per adapter.
// What it is for comes from the upstream's own contract when one is attached (its tag descriptions): a
// capability file's descriptions are often written for its maintainers, not for a model.

import { toolSummary } from '../../binding/describe.js';
import type { Binding, BindingTable, McpExposure } from '../../binding/table.js';

/** An index past this many tools stops helping a model: tools/list has them all anyway. */
const MAX_LISTED = 40;

const CREDENTIALS =
  "Tools reach the upstream API with this server's own credentials, never the caller's: an upstream refusal " +
  'of them (NAF_ERR_UPSTREAM_CREDENTIALS_REFUSED) is for the operator to fix, not something to retry.';

export function instructionsFor(
  table: BindingTable,
  bindings: readonly Binding[],
  adapterDescription: string | undefined,
): string {
  const { label, description, version } = table.capability;
  const topics = [...new Set(bindings.map((b) => b.topic).filter((t): t is string => Boolean(t)))];
  const purpose = topics.join('\n') || adapterDescription?.trim() || description.trim() || label;
  const listed = bindings.slice(0, MAX_LISTED).map((b) => {
    const expose = b.expose as McpExposure;
    const summary = toolSummary(b);
    return `- ${expose.name}${summary ? `: ${summary}` : ''}`;
  });
  const more = bindings.length > MAX_LISTED ? [`- … and ${bindings.length - MAX_LISTED} more (see tools/list)`] : [];
  return [
    purpose,
    ...(listed.length ? ['', 'Tools:', ...listed, ...more] : []),
    ...(bindings.some((b) => b.plan.kind !== 'mock') ? ['', CREDENTIALS] : []),
    '',
    `Capability: ${label} (version ${version}).`,
  ].join('\n');
}
