// How `runtime inspect` shows MCP resources and prompts: what each serves and from where. Static files are
// listed as written (`location`); which files of a folder are served is decided when the adapter starts.

import { describePlan } from '../binding/describe.js';
import type { McpPromptItem, McpResourceItem } from '../binding/mcp-items.js';

export function describeResource(r: McpResourceItem) {
  return {
    adapter: 'mcp',
    namespace: r.namespace,
    resource: r.name,
    title: r.title,
    uri: r.uri,
    template: r.kind === 'dynamic' && r.params.length > 0,
    mimeType: r.mimeType ?? null,
    description: r.description ?? null,
    ...(r.kind === 'static'
      ? { source: `file ./${r.location}` }
      : { id: r.binding.id, source: describePlan(r.binding), params: r.params }),
  };
}

export function describePrompt(p: McpPromptItem) {
  return {
    adapter: 'mcp',
    namespace: p.namespace,
    prompt: p.name,
    title: p.title,
    description: p.description ?? null,
    arguments: p.arguments.map((a) => ({ name: a.name, required: a.required })),
    source: p.location ? `file ./${p.location}` : `${p.messages?.length ?? 0} message(s)`,
  };
}

export function mcpItemLines(
  resources: ReadonlyArray<ReturnType<typeof describeResource>>,
  prompts: ReadonlyArray<ReturnType<typeof describePrompt>>,
): string[] {
  return [
    ...resources.flatMap((r) => [
      '',
      `MCP ${r.template ? 'resource template' : 'resource'} ${r.uri}  "${r.title}"`,
      `  name      ${r.resource}${r.mimeType ? `  (${r.mimeType})` : ''}`,
      ...(r.description ? [`  about     ${r.description}`] : []),
      `  from      ${r.source}`,
    ]),
    ...prompts.flatMap((p) => [
      '',
      `MCP prompt ${p.prompt}  "${p.title}"`,
      ...(p.description ? [`  about     ${p.description}`] : []),
      `  from      ${p.source}`,
      ...(p.arguments.length === 0 ? ['  arguments (none)'] : []),
      ...p.arguments.map((a) => `  argument  ${a.name}${a.required ? ' (required)' : ''}`),
    ]),
  ];
}
