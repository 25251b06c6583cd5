// deploy/kubernetes/ checked offline: every object against the Kubernetes API's JSON schemas (kubernetes-models
// ships them compiled to ajv validators), then what the schemas cannot see: the objects name each other
// correctly, the probes hit the runtime's health routes, the pod is non-root with a read-only root filesystem,
// and the container's arguments are a valid `runtime start` of the ConfigMap's files.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { describe, expect, it } from 'vitest';
import { ROOT, run } from './processes.js';

const DIR = join(ROOT, 'deploy/kubernetes');
type Obj = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown };
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

const objects: Array<{ file: string; obj: Obj }> = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
      return { file, obj: d.toJS() as Obj };
    }),
  );
const one = (kind: string) => {
  const found = objects.filter((o) => o.obj.kind === kind);
  expect(found, kind).toHaveLength(1);
  return (found[0] as { obj: Obj }).obj as Obj & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

function validate(obj: Obj): void {
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  new Model(obj as never).validate();
}

describe('deploy/kubernetes manifests', () => {
  it('ship a Deployment, Service, Secret, ConfigMap and HorizontalPodAutoscaler', () => {
    expect(objects.map((o) => o.obj.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Secret',
      'Service',
    ]);
  });

  for (const { file, obj } of objects)
    it(`${file}: ${obj.kind} ${obj.metadata.name} is valid against the Kubernetes schema`, () => validate(obj));

  it('the validator refuses a wrong type, a missing required field and an unknown kind', () => {
    const d = structuredClone(one('Deployment'));
    d.spec.replicas = 'two';
    expect(() => validate(d)).toThrow(/replicas/);
    const s = structuredClone(one('Service'));
    delete s.spec.ports[0].port;
    expect(() => validate(s)).toThrow(/port/);
    expect(() => validate({ apiVersion: 'v1', kind: 'Nope', metadata: { name: 'x' } })).toThrow(/no schema/);
  });

  it('the objects name each other: selectors, ports, Secret, ConfigMap, HPA target', () => {
    const dep = one('Deployment');
    const labels = dep.spec.template.metadata.labels;
    expect(dep.spec.selector.matchLabels).toEqual(labels);
    const svc = one('Service');
    expect(Object.entries(svc.spec.selector).every(([k, v]) => labels[k] === v)).toBe(true);
    const container = dep.spec.template.spec.containers[0];
    const portNames = container.ports.map((p: { name: string }) => p.name);
    for (const p of svc.spec.ports) expect(portNames).toContain(p.targetPort);
    expect(container.envFrom[0].secretRef.name).toBe(one('Secret').metadata.name);
    const volume = dep.spec.template.spec.volumes.find((v: { configMap?: unknown }) => v.configMap);
    expect(volume.configMap.name).toBe(one('ConfigMap').metadata.name);
    const hpa = one('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: dep.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(container.resources.requests.cpu, 'the HPA scales on CPU: it needs a request').toBeTruthy();
  });

  it('the pod is non-root, read-only, without privilege escalation, with probes on the health routes', () => {
    const pod = one('Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).not.toBe(0);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(c.securityContext.capabilities.drop).toContain('ALL');
    expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(c.livenessProbe.httpGet.path).toBe('/health/live');
    expect(c.resources.limits.memory).toBeTruthy();
  });

  it('the Secret holds the Logto credential kinds the runtime reads', () => {
    const keys = Object.keys(one('Secret').stringData);
    expect(keys).toContain('TENANT_ID');
    expect(keys.includes('LOGTO_API_KEY') || keys.includes('LOGTO_CLIENT_SECRET')).toBe(true);
  });

  it("the container's arguments name files of the ConfigMap, and that capability validates", async () => {
    const c = one('Deployment').spec.template.spec.containers[0];
    const mount = c.volumeMounts.find((m: { name: string }) => m.name === 'capability').mountPath as string;
    const data = one('ConfigMap').data as Record<string, string>;
    const args = c.args as string[];
    expect(args[0]).toBe('start');
    const files = args.filter((a) => a.startsWith(`${mount}/`));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(Object.keys(data)).toContain(f.slice(mount.length + 1));
    // The ConfigMap's own copy (scripts/k8s-configmap.mjs regenerates it from capabilities/), as the pod sees it.
    const dir = mkdtempSync(join(tmpdir(), 'runtime-k8s-'));
    try {
      for (const [name, text] of Object.entries(data)) writeFileSync(join(dir, name), text);
      const mapped = args.slice(1).map((a) => (a.startsWith(`${mount}/`) ? join(dir, a.slice(mount.length + 1)) : a));
      await run(process.execPath, [join(ROOT, 'dist/cli.js'), 'validate', mapped[0] as string], { cwd: dir });
      await run(process.execPath, [join(ROOT, 'dist/cli.js'), 'openapi', ...mapped], { cwd: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
