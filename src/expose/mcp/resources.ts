// MCP resources from the binding table: resources/list, resources/templates/list and resources/read.
// Static resources are files inside the capability's folder, listed once at start and read at call time
// (files.ts); dynamic ones run their binding through invoke, like a tool. An unknown URI is the SDK's
// ResourceNotFoundError: -32602 with data {uri} on both eras (the SDK never emits 2025's -32002; see docs/mcp.md).

import { mediaTypeOf } from '../../media-types.js';
import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType,
} from '@modelcontextprotocol/server';
import type { DynamicResourceItem, McpResourceItem } from '../../binding/mcp-items.js';
import { isRuntimeError } from '../../errors.js';
import type { Invoke, InvokeContext } from '../../invoke.js';
import type { Secrets } from '../../secrets.js';
import { DEFAULT_MAX_FILE_BYTES, FileReadError, readServedFile, scanLocation, type ServedFile } from './files.js';

export interface ResourceCatalog {
  /** resources/list: static files and fixed-URI dynamic resources, in file order. */
  readonly resources: readonly Resource[];
  /** resources/templates/list: dynamic resources with a `{param}` URI. */
  readonly templates: readonly ResourceTemplateType[];
  read(uri: string, call: ReadContext): Promise<ReadResourceResult>;
}

export interface ReadContext extends InvokeContext {
  /** Told which binding a dynamic read ran, for the access line. */
  settled?(
    binding: DynamicResourceItem['binding'],
    upstreamStatus: number | undefined,
    errorCode: string | undefined,
  ): void;
}

export interface ResourceOptions {
  readonly items: readonly McpResourceItem[];
  /** The capability's folder: static locations are relative to it. */
  readonly baseDir: string;
  readonly invoke: Invoke;
  readonly secrets: Secrets;
  readonly log: Pick<InvokeContext['log'], 'warn'>;
  readonly maxFileBytes?: number;
}

interface StaticEntry {
  readonly file: ServedFile;
  readonly mimeType: string;
}

/** Scans the static locations (once) and returns what the handlers serve. */
export function prepareResources(options: ResourceOptions): ResourceCatalog {
  const { log, secrets } = options;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const resources: Resource[] = [];
  const templates: ResourceTemplateType[] = [];
  const files = new Map<string, StaticEntry>();
  const dynamic: DynamicResourceItem[] = [];

  for (const item of options.items) {
    const meta = {
      name: item.name,
      title: item.title,
      ...(item.description ? { description: item.description } : {}),
    };
    if (item.kind === 'dynamic') {
      dynamic.push(item);
      const mimeType = item.mimeType ?? 'application/json';
      if (item.params.length) templates.push({ uriTemplate: item.uri, ...meta, mimeType });
      else resources.push({ uri: item.uri, ...meta, mimeType });
      continue;
    }
    const scan = scanLocation(options.baseDir, item.location);
    const where = `${item.namespace} resource ${item.name}`;
    if ('problem' in scan) {
      log.warn({ where }, `not served: ${scan.problem}`);
      continue;
    }
    for (const s of scan.skipped) log.warn({ where }, `not served: ${s}`);
    for (const file of scan.files) {
      const uri = file.relative ? `${item.uri}/${file.relative}` : item.uri;
      if (files.has(uri)) {
        log.warn({ where }, `not served: ${uri} is already served by an earlier resource`);
        continue;
      }
      const mimeType = item.mimeType ?? mediaTypeOf(file.path);
      files.set(uri, { file, mimeType });
      resources.push({ uri, ...meta, mimeType });
    }
  }

  return {
    resources,
    templates,
    read: async (uri, call) => {
      const entry = files.get(uri);
      if (entry) return readStatic(uri, entry, maxBytes, call);
      for (const item of dynamic) {
        const params = item.match(uri);
        if (params) return readDynamic(uri, item, params, call, options.invoke, secrets);
      }
      throw new ResourceNotFoundError(uri, `Resource not found: ${clip(uri)}`);
    },
  };
}

async function readStatic(
  uri: string,
  entry: StaticEntry,
  maxBytes: number,
  call: ReadContext,
): Promise<ReadResourceResult> {
  let bytes: Buffer;
  try {
    bytes = await readServedFile(entry.file, maxBytes);
  } catch (err) {
    // The client learns only that the resource cannot be read; the log says why.
    const why = err instanceof FileReadError ? err.message : ((err as NodeJS.ErrnoException).code ?? 'read error');
    call.log.warn({ uri, why }, 'resources/read: file not served');
    if (err instanceof FileReadError && /over the/.test(err.message))
      throw new ProtocolError(ProtocolErrorCode.InternalError, `Resource ${clip(uri)} is too large to serve (${why})`);
    throw new ResourceNotFoundError(uri, `Resource not found: ${clip(uri)}`);
  }
  const text = isTextual(entry.mimeType) ? utf8(bytes) : undefined;
  return {
    contents: [
      text !== undefined
        ? { uri, mimeType: entry.mimeType, text }
        : { uri, mimeType: entry.mimeType, blob: bytes.toString('base64') },
    ],
  };
}

async function readDynamic(
  uri: string,
  item: DynamicResourceItem,
  params: Readonly<Record<string, string>>,
  call: ReadContext,
  invoke: Invoke,
  secrets: Secrets,
): Promise<ReadResourceResult> {
  const { binding } = item;
  let status: number | undefined;
  try {
    const outcome = await invoke(
      binding,
      { ...params },
      { ...(call.signal ? { signal: call.signal } : {}), log: call.log, requestId: call.requestId },
    );
    status = outcome.status;
    call.settled?.(binding, outcome.upstreamStatus, undefined);
    if (status === 404 || status === 410)
      throw new ResourceNotFoundError(uri, `Resource not found: ${clip(uri)} (upstream HTTP ${status})`);
    if (status >= 400)
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        upstreamSummary(status, secrets.redactValue(outcome.body)),
      );
    const body = secrets.redactValue(outcome.body);
    const text = body === undefined ? '' : JSON.stringify(body);
    return { contents: [{ uri, mimeType: item.mimeType ?? 'application/json', text }] };
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    const code = isRuntimeError(err) ? err.code : 'NAF_ERR_INTERNAL';
    call.settled?.(binding, status, code);
    if (!isRuntimeError(err)) {
      call.log.warn(
        { binding: binding.id, err: secrets.redact(String((err as Error)?.stack ?? err)) },
        'resources/read failed',
      );
      throw new ProtocolError(ProtocolErrorCode.InternalError, 'Internal error (NAF_ERR_INTERNAL)');
    }
    const message = secrets.redact(err.message);
    if (err.kind === 'input')
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid resource URI ${clip(uri)}: ${message}`);
    throw new ProtocolError(ProtocolErrorCode.InternalError, `${message} (${err.code})`);
  }
}

function upstreamSummary(status: number, body: unknown): string {
  const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const parts = [b['code'], b['message']].filter((v) => typeof v === 'string' || typeof v === 'number');
  return `Upstream returned HTTP ${status}${parts.length ? `: ${parts.join(' — ')}` : ''}`;
}

/** Text goes out as `text`, anything else base64 as `blob`. */
function isTextual(mimeType: string): boolean {
  const essence = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    essence.startsWith('text/') ||
    /^application\/(json|xml|yaml|x-yaml|javascript|toml|x-ndjson|graphql)$/.test(essence) ||
    /\+(json|xml|yaml)$/.test(essence)
  );
}

/** Valid UTF-8 as a string; undefined for bytes that are not (served as a blob instead). */
function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A URI echoed in a message is the caller's own input; keep it short. */
function clip(uri: string): string {
  return uri.length > 200 ? `${uri.slice(0, 200)}…` : uri;
}
