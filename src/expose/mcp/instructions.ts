// The MCP `instructions` a model reads at connect time: what the server is for, in the file's own words, an
// index of its tools, and which capability (label, version) it serves. Built once per adapter.

import { toolSummary } from '../../binding/describe.js';
import type { Binding, BindingTable, McpExposure } from '../../binding/table.js';

/** An index past this many tools stops helping a model: tools/list has them all anyway. */
const MAX_LISTED = 40;

export function instructionsFor(
  table: BindingTable,
  bindings: readonly Binding[],
  adapterDescription: string | undefined,
): string {
  const { label, description, version } = table.capability;
  const purpose = adapterDescription?.trim() || description.trim() || label;
  const listed = bindings.slice(0, MAX_LISTED).map((b) => {
    const expose = b.expose as McpExposure;
    const summary = toolSummary(b);
    return `- ${expose.name}${summary ? `: ${summary}` : ''}`;
  });
  const more = bindings.length > MAX_LISTED ? [`- … and ${bindings.length - MAX_LISTED} more (see tools/list)`] : [];
  return [
    purpose,
    ...(listed.length ? ['', 'Tools:', ...listed, ...more] : []),
    '',
    `Capability: ${label} (version ${version}).`,
  ].join('\n');
}
