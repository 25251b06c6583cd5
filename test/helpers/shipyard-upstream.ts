/**
 * A stand-in for the tutorial's consumed APIs: the Microcks mocks of the Maritime Registry (JSON, bearer)
 * and the legacy Dockyard (XML, X-Dock-Key), answered from the examples of their OpenAPI documents (copied
 * in test/fixtures/shipyard/, see its README) with the documents' own Microcks dispatcher rules. Each API
 * is a recording upstream (test/helpers/recording-upstream.ts), so tests also see the exact requests.
 *
 *   const yard = await startShipyard();              // credentials default to tutorial shared/secrets.yaml
 *   startRuntime({ ..., baseUris: yard.baseUris });  // { registry: url, legacy: url }
 *   yard.registry.requests; yard.legacy.requests;    // RecordedRequest[]
 *   yard.clear();                                    // forget requests, keep answering
 *   yard.registry.script({ status: 500 });           // a one-off answer still wins over the examples
 *   yard.override('registry', (req) => (req.path === '/crew' ? { status: 503 } : undefined)); // until clear()
 *   await yard.close();
 *
 * How an example is chosen, as Microcks does (microcks.io, "OpenAPI conventions" and "dispatchers"):
 *   URI_PARTS  rules `a`        → the example named `/a=<path value>`
 *   URI_PARAMS rules `a`        → `?a=<query value>`
 *   SCRIPT     `return 'name'`  → `name` (the only script form these documents use)
 *   FALLBACK   {dispatcher, dispatcherRules, fallback} → the inner dispatcher's example, else `fallback`
 *   no dispatcher              → the operation's one example
 * A response example's `{{ request.body/x }}` is replaced by the request body's `x` (Microcks templating).
 * When no example matches, the operation's documented 404 example answers (what the real API says for an
 * unknown id); with none, 400 as Microcks does. A request without the expected credential gets 401: Microcks
 * checks none, but the tutorial's files bind one, and a test must see it arrive.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import {
  startRecordingUpstream,
  type RecordedRequest,
  type RecordingUpstream,
  type Responder,
  type UpstreamAnswer,
} from './recording-upstream.js';

export const SHIPYARD_DIR = resolve(import.meta.dirname, '../fixtures/shipyard');
export const REGISTRY_DOC = resolve(SHIPYARD_DIR, 'naftiko-shipyard-maritime-registry-api.yaml');
export const LEGACY_DOC = resolve(SHIPYARD_DIR, 'naftiko-shipyard-legacy-dockyard-api.yaml');

/** The values the tutorial's `shared/secrets.yaml` binds (REGISTRY_TOKEN, DOCKYARD_API_KEY). */
export const TUTORIAL_SECRETS = {
  registryToken: 'dummy-token',
  registryVersion: '1.0.0-alpha2',
  dockyardKey: 'dummy-dockyard-key',
  mcpServerToken: 'sk-mcp-YYYYYYYYYYYY',
} as const;

export interface Shipyard {
  readonly registry: RecordingUpstream;
  readonly legacy: RecordingUpstream;
  /** For RuntimeOptions.baseUris: each consumed namespace of the tutorial → its stand-in. */
  readonly baseUris: { readonly registry: string; readonly legacy: string };
  /** Answers before the examples for as long as it returns an answer (undefined: the examples answer). */
  override(api: 'registry' | 'legacy', answer: (req: RecordedRequest) => UpstreamAnswer | undefined): void;
  /** Forgets recorded requests, scripted answers and overrides; the examples keep answering. */
  clear(): void;
  close(): Promise<void>;
}

export interface ShipyardOptions {
  /** The bearer token the registry accepts. */
  readonly registryToken?: string;
  /** The X-Dock-Key the dockyard accepts. */
  readonly dockyardKey?: string;
}

export async function startShipyard(options: ShipyardOptions = {}): Promise<Shipyard> {
  const registry = await startMicrocksStandIn(REGISTRY_DOC, options.registryToken ?? TUTORIAL_SECRETS.registryToken);
  const legacy = await startMicrocksStandIn(LEGACY_DOC, options.dockyardKey ?? TUTORIAL_SECRETS.dockyardKey);
  return {
    registry: registry.upstream,
    legacy: legacy.upstream,
    baseUris: { registry: registry.upstream.url, legacy: legacy.upstream.url },
    override: (api, answer) => (api === 'registry' ? registry : legacy).override(answer),
    clear: () => {
      registry.clear();
      legacy.clear();
    },
    close: async () => {
      await Promise.all([registry.upstream.close(), legacy.upstream.close()]);
    },
  };
}

/** One mocked API: a recording upstream answering from `document`'s examples, requiring `credential`. */
export async function startMicrocksStandIn(
  document: string,
  credential: string,
): Promise<{ upstream: RecordingUpstream; override(answer: Override): void; clear(): void }> {
  const examples = microcksResponder(parse(readFileSync(document, 'utf8')) as OpenApi, credential);
  let override: Override | undefined;
  const responder: Responder = (req) => override?.(req) ?? examples(req);
  const upstream = await startRecordingUpstream();
  upstream.respond(responder);
  return {
    upstream,
    override: (answer) => {
      override = answer;
    },
    clear: () => {
      override = undefined;
      upstream.reset();
      upstream.respond(responder);
    },
  };
}

type Override = (req: RecordedRequest) => UpstreamAnswer | undefined;

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  security?: Array<Record<string, unknown>>;
  components?: { securitySchemes?: Record<string, SecurityScheme> };
}
interface Operation {
  'x-microcks-operation'?: { dispatcher?: string; dispatcherRules?: string };
  responses?: Record<string, { content?: Record<string, { examples?: Record<string, { value?: unknown }> }> }>;
}
interface SecurityScheme {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly pick: (req: RecordedRequest, pathValues: Readonly<Record<string, string>>) => string | undefined;
  readonly examples: ReadonlyMap<string, UpstreamAnswer>;
  readonly notFound?: UpstreamAnswer;
}

function microcksResponder(doc: OpenApi, credential: string): Responder {
  const authorized = credentialCheck(doc, credential);
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => compileRoute(path, method.toUpperCase(), op)),
  );
  return (req) => {
    if (!authorized(req))
      return { status: 401, body: { error: 'unauthorized', message: 'missing or wrong credential' } };
    for (const route of routes) {
      const m = route.method === req.method ? route.pattern.exec(req.path) : null;
      if (!m) continue;
      const values = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
      const name = route.pick(req, values);
      const answer = name === undefined ? undefined : route.examples.get(name);
      if (answer) return render(answer, req);
      return route.notFound ?? { status: 400, body: `no example of ${req.method} ${req.path} matches` };
    }
    return { status: 404, body: `no operation ${req.method} ${req.path} in the document` };
  };
}

function compileRoute(path: string, method: string, op: Operation): Route {
  const names: string[] = [];
  const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, n: string) => {
    names.push(n);
    return '([^/]+)';
  });
  const examples = new Map<string, UpstreamAnswer>();
  let notFound: UpstreamAnswer | undefined;
  for (const [code, response] of Object.entries(op.responses ?? {})) {
    for (const [type, media] of Object.entries(response.content ?? {})) {
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        const answer = answerOf(Number(code), type, example.value);
        if (Number(code) === 404) notFound ??= answer;
        else examples.set(name, answer);
      }
    }
  }
  return {
    method,
    pattern: new RegExp(`^${source}$`),
    names,
    pick: dispatcher(op, examples),
    examples,
    ...(notFound ? { notFound } : {}),
  };
}

function answerOf(status: number, type: string, value: unknown): UpstreamAnswer {
  if (type.includes('json')) return { status, body: value as object };
  return { status, headers: { 'content-type': `${type}; charset=utf-8` }, body: String(value) };
}

type Pick = Route['pick'];

function dispatcher(op: Operation, examples: ReadonlyMap<string, UpstreamAnswer>): Pick {
  const x = op['x-microcks-operation'];
  if (!x?.dispatcher) {
    const [only] = examples.keys();
    return () => only;
  }
  return dispatcherOf(x.dispatcher, x.dispatcherRules ?? '', examples);
}

function dispatcherOf(kind: string, rules: string, examples: ReadonlyMap<string, UpstreamAnswer>): Pick {
  switch (kind) {
    case 'URI_PARTS': {
      const parts = rules.split('&&').map((s) => s.trim());
      return (_req, values) => parts.map((p) => `/${p}=${values[p] ?? ''}`).join('');
    }
    case 'URI_PARAMS': {
      const params = rules.split('&&').map((s) => s.trim());
      return (req) => {
        const q = new URLSearchParams(req.query);
        const present = params.filter((p) => q.has(p));
        return present.length ? present.map((p) => `?${p}=${q.get(p) ?? ''}`).join('') : undefined;
      };
    }
    case 'SCRIPT': {
      const m = /^\s*return\s+'([^']*)'\s*;?\s*$/.exec(rules);
      if (!m) throw new Error(`stand-in: only \`return 'name'\` scripts are supported, got ${rules}`);
      const name = m[1] as string;
      return () => name;
    }
    case 'FALLBACK': {
      const f = JSON.parse(rules) as { dispatcher: string; dispatcherRules: string; fallback: string };
      const inner = dispatcherOf(f.dispatcher, f.dispatcherRules, examples);
      return (req, values) => {
        const name = inner(req, values);
        return name !== undefined && examples.has(name) ? name : f.fallback;
      };
    }
    default:
      throw new Error(`stand-in: dispatcher ${kind} is not supported`);
  }
}

/** `{{ request.body/a/b }}` in string values → the request body's value at that pointer. */
function render(answer: UpstreamAnswer, req: RecordedRequest): UpstreamAnswer {
  if (typeof answer.body !== 'object' || Buffer.isBuffer(answer.body)) return answer;
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replace(/\{\{\s*request\.body\/([^\s}]+)\s*\}\}/g, (_m, ptr: string) => {
        const got = ptr
          .split('/')
          .reduce<unknown>(
            (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
            req.json,
          );
        return got === undefined || got === null ? '' : String(got);
      });
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return { ...answer, body: fill(answer.body) as object };
}

/** The document's global security requirement, checked against the one credential the stand-in accepts. */
function credentialCheck(doc: OpenApi, credential: string): (req: RecordedRequest) => boolean {
  const [requirement] = doc.security ?? [];
  const scheme = requirement && doc.components?.securitySchemes?.[Object.keys(requirement)[0] ?? ''];
  if (!scheme) return () => true;
  if (scheme.type === 'http' && scheme.scheme === 'bearer')
    return (req) => req.headers.authorization === `Bearer ${credential}`;
  if (scheme.type === 'apiKey' && scheme.in === 'header' && scheme.name)
    return (req) => req.headers[scheme.name?.toLowerCase() ?? ''] === credential;
  throw new Error(`stand-in: security scheme ${JSON.stringify(scheme)} is not supported`);
}
