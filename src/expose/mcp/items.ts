// Resources and prompts on the per-request server: catalogs built once (at start), handlers wired per
// request. Capabilities are advertised only for what the adapter really serves, so a client never sees
// `resources` or `prompts` it would get -32601 for, and a tools-only adapter looks as it did before.

import { randomUUID } from 'node:crypto';
import type { Server, ServerCapabilities, ServerContext } from '@modelcontextprotocol/server';
import type { McpPromptItem, McpResourceItem } from '../../binding/mcp-items.js';
import type { Invoke, InvokeContext } from '../../invoke.js';
import type { Secrets } from '../../secrets.js';
import { preparePrompts, type PromptCatalog } from './prompts.js';
import { prepareResources, type ResourceCatalog } from './resources.js';
import type { CallScope } from './server.js';

export interface ItemOptions {
  readonly resources?: readonly McpResourceItem[];
  readonly prompts?: readonly McpPromptItem[];
  /** The capability's folder; static locations and prompt files are relative to it. */
  readonly baseDir?: string;
  readonly invoke: Invoke;
  readonly secrets: Secrets;
  readonly log: InvokeContext['log'];
}

export interface Items {
  readonly resources?: ResourceCatalog;
  readonly prompts?: PromptCatalog;
  readonly capabilities: Pick<ServerCapabilities, 'resources' | 'prompts'>;
  readonly cacheHints: Record<string, { ttlMs: number; cacheScope: 'private' }>;
}

export function prepareItems(o: ItemOptions, listCache: { ttlMs: number; cacheScope: 'private' }): Items {
  const baseDir = o.baseDir ?? process.cwd();
  const res = o.resources?.length
    ? prepareResources({ items: o.resources, baseDir, invoke: o.invoke, secrets: o.secrets, log: o.log })
    : undefined;
  const pro = o.prompts?.length ? preparePrompts({ items: o.prompts, baseDir, log: o.log }) : undefined;
  const resources = res && res.resources.length + res.templates.length > 0 ? res : undefined;
  const prompts = pro && pro.prompts.length > 0 ? pro : undefined;
  return {
    ...(resources ? { resources } : {}),
    ...(prompts ? { prompts } : {}),
    capabilities: {
      // No subscribe: a stateless server has no stream to notify on. The lists never change while it runs.
      ...(resources ? { resources: { listChanged: false } } : {}),
      ...(prompts ? { prompts: { listChanged: false } } : {}),
    },
    cacheHints: {
      ...(resources ? { 'resources/list': listCache, 'resources/templates/list': listCache } : {}),
      ...(prompts ? { 'prompts/list': listCache } : {}),
    },
  };
}

/** The handlers for what `items` serves (the SDK refuses a handler whose capability is not declared). */
export function registerItems(
  server: Server,
  items: Items,
  scope: () => CallScope | undefined,
  log: InvokeContext['log'],
): void {
  const { resources, prompts } = items;
  if (resources) {
    server.setRequestHandler('resources/list', () => ({ resources: [...resources.resources] }));
    server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: [...resources.templates] }));
    // A missing uri or name never gets here (params.ts).
    server.setRequestHandler('resources/read', (req, ctx) =>
      resources.read(req.params.uri, readContext(ctx, scope(), log)),
    );
  }
  if (prompts) {
    server.setRequestHandler('prompts/list', () => ({ prompts: [...prompts.prompts] }));
    server.setRequestHandler('prompts/get', (req) => prompts.get(req.params.name, req.params.arguments));
  }
}

function readContext(ctx: ServerContext, scope: CallScope | undefined, log: InvokeContext['log']) {
  // 2025: notifications/cancelled aborts ctx.mcpReq.signal; 2026: the closed HTTP response aborts ours.
  const signal = scope?.signal ? AbortSignal.any([ctx.mcpReq.signal, scope.signal]) : ctx.mcpReq.signal;
  return {
    signal,
    log: scope?.log ?? log,
    requestId: scope?.requestId ?? randomUUID(),
    ...(scope?.settled ? { settled: scope.settled } : {}),
  };
}
