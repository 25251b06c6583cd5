// A small capability written to a temp folder, rewritten by the reload tests: one consumed upstream, a REST
// adapter and an MCP adapter that expose the operations named in `ops`.

import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Op {
  /** Operation, REST resource and tool name. */
  readonly name: string;
  /** Upstream path (also the REST path). */
  readonly path: string;
  readonly description?: string;
}

export interface CapabilityText {
  readonly upstream: string;
  readonly ops: readonly Op[];
  readonly restPort?: number;
}

export function capabilityYaml({ upstream, ops, restPort = 18080 }: CapabilityText): string {
  const consumed = ops
    .map(
      (o) => `    - name: ${o.name}
      path: ${o.path}
      operations:
      - name: ${o.name}
        method: GET`,
    )
    .join('\n');
  const routes = ops
    .map(
      (o) => `    - path: ${o.path}
      name: ${o.name}
      operations:
      - method: GET
        name: ${o.name}
        call: up.${o.name}`,
    )
    .join('\n');
  const tools = ops
    .map(
      (o) => `    - name: ${o.name}
      description: ${o.description ?? `Read ${o.name}.`}
      call: up.${o.name}`,
    )
    .join('\n');
  return `naftiko: 1.0.0-alpha2
info:
  label: Reload test
  description: A capability the reload tests rewrite.
capability:
  consumes:
  - type: http
    namespace: up
    baseUri: ${upstream}
    resources:
${consumed}
  exposes:
  - type: rest
    namespace: api
    port: ${restPort}
    resources:
${routes}
  - type: mcp
    namespace: tools
    port: 19090
    transport: http
    tools:
${tools}
`;
}

export interface TempCapability {
  readonly file: string;
  /** Replaces the file the way editors save: a new file renamed over the old one. */
  write(text: string): Promise<void>;
  remove(): Promise<void>;
}

export async function tempCapability(text: string): Promise<TempCapability> {
  const dir = await mkdtemp(join(tmpdir(), 'reload-'));
  const file = join(dir, 'capability.yaml');
  await writeFile(file, text);
  let n = 0;
  return {
    file,
    write: async (next) => {
      const tmp = join(dir, `.capability.yaml.${n++}.tmp`);
      await writeFile(tmp, next);
      await rename(tmp, file);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
