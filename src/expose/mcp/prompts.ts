// MCP prompts from the binding table: prompts/list and prompts/get. `{{arg}}` placeholders are filled in
// one pass (a value that itself holds `{{x}}` is not filled again); a placeholder with no value stays as
// written, as the engine does. Unlike the engine, a missing required argument is an invalid-params error
// naming it. File-based prompts are read once at start.

import { ProtocolError, ProtocolErrorCode, type GetPromptResult, type Prompt } from '@modelcontextprotocol/server';
import type { McpPromptItem } from '../../binding/mcp-items.js';
import type { InvokeContext } from '../../invoke.js';
import { readServedFileSync, scanLocation } from './files.js';

export interface PromptCatalog {
  readonly prompts: readonly Prompt[];
  get(name: string, args: Readonly<Record<string, unknown>> | undefined): GetPromptResult;
}

export interface PromptOptions {
  readonly items: readonly McpPromptItem[];
  readonly baseDir: string;
  readonly log: Pick<InvokeContext['log'], 'warn'>;
}

/** A prompt file is at most this many bytes. */
export const MAX_PROMPT_FILE_BYTES = 256 * 1024;
// Argument names are IdentifierExtended in the schema (letters, digits, `_`, `-`, `*`).
const PLACEHOLDER = /\{\{([A-Za-z0-9_*-]+)\}\}/g;

interface Ready {
  readonly item: McpPromptItem;
  readonly messages: ReadonlyArray<{ readonly role: 'user' | 'assistant'; readonly content: string }>;
}

export function preparePrompts(options: PromptOptions): PromptCatalog {
  const byName = new Map<string, Ready>();
  for (const item of options.items) {
    const messages = item.messages ?? fileMessage(item, options);
    if (messages) byName.set(item.name, { item, messages });
  }
  const prompts = [...byName.values()].map(({ item }) => toPrompt(item));
  return {
    prompts,
    get: (name, args) => {
      const ready = byName.get(name);
      if (!ready) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${clip(name)}`);
      const values = new Map<string, string>();
      for (const [k, v] of Object.entries(args ?? {})) if (v !== undefined && v !== null) values.set(k, String(v));
      const missing = ready.item.arguments.filter((a) => a.required && !values.has(a.name)).map((a) => a.name);
      if (missing.length)
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `Missing required argument${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} for prompt '${name}'`,
          { missing },
        );
      return {
        ...(ready.item.description ? { description: ready.item.description } : {}),
        messages: ready.messages.map((m) => ({
          role: m.role,
          content: { type: 'text' as const, text: fill(m.content, values) },
        })),
      };
    },
  };
}

/** One pass over the template; values are inserted as they are, never re-read as placeholders. */
export function fill(template: string, values: ReadonlyMap<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => values.get(name) ?? whole);
}

function fileMessage(item: McpPromptItem, options: PromptOptions): Ready['messages'] | undefined {
  const where = `${item.namespace} prompt ${item.name}`;
  const scan = scanLocation(options.baseDir, item.location ?? '');
  const file =
    'problem' in scan
      ? undefined
      : scan.files.length === 1 && scan.files[0]?.relative === ''
        ? scan.files[0]
        : undefined;
  if (!file) {
    options.log.warn(
      { where },
      `not served: ${'problem' in scan ? scan.problem : `location '${item.location}' is a folder, not a file`}`,
    );
    return undefined;
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readServedFileSync(file, MAX_PROMPT_FILE_BYTES));
    return [{ role: 'user', content: text }];
  } catch (err) {
    options.log.warn({ where }, `not served: cannot read '${item.location}': ${(err as Error).message}`);
    return undefined;
  }
}

function toPrompt(item: McpPromptItem): Prompt {
  return {
    name: item.name,
    title: item.title,
    ...(item.description ? { description: item.description } : {}),
    ...(item.arguments.length
      ? {
          arguments: item.arguments.map((a) => ({
            name: a.name,
            ...(a.title ? { title: a.title } : {}),
            ...(a.description ? { description: a.description } : {}),
            required: a.required,
          })),
        }
      : {}),
  };
}

function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
