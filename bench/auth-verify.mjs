// Cost of one inbound token check (issue 16), in-process: TokenVerifier.verify against the embedded Logto
// sandbox over loopback. Opaque token with the introspection cache hit / missed (cache off: every check is
// an RFC 7662 call), a JWT verified locally (JWKS), and a JWT with --inbound-oauth-introspect-jwts (cache hit).
// Wall µs and CPU µs per check; the sandbox runs in this process, so a miss's CPU includes the server side.
// Needs `npm run build`. Usage: node bench/auth-verify.mjs [rounds=3]

import { Buffer } from 'node:buffer';

import { TokenVerifier } from '../dist/expose/auth/verify.js';
import { startLogtoSandbox } from '../dist/sandbox/logto/index.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const CLIENT = { id: 'bench-rs', secret: 'bench-secret' };
const rounds = Number(process.argv[2] ?? 3);

const sandbox = await startLogtoSandbox({
  oauthClients: [CLIENT],
  apiResources: [{ indicator: RESOURCE, scopes: ['tokens:read'] }],
});
const base = {
  issuer: sandbox.issuer,
  audience: RESOURCE,
  validation: 'jwks',
  introspection: { clientId: CLIENT.id, clientSecret: CLIENT.secret },
  jwksCooldownMs: 30_000,
  clockSkewSeconds: 30,
  fetchTimeoutMs: 5_000,
};
const jwt = await mint();
const opaque = sandbox.issueOpaqueToken(CLIENT.id, ['tokens:read'], RESOURCE);

const cases = [
  { name: 'opaque, cache hit', n: 20_000, verifier: new TokenVerifier(base), token: opaque },
  {
    name: 'opaque, cache miss (cache off: one introspection per check)',
    n: 1_000,
    verifier: new TokenVerifier({ ...base, introspectionCache: { maxTtlMs: 0 } }),
    token: opaque,
  },
  { name: 'JWT, local JWKS verification', n: 5_000, verifier: new TokenVerifier(base), token: jwt },
  {
    name: 'JWT + introspect-jwts, cache hit',
    n: 5_000,
    verifier: new TokenVerifier({ ...base, introspectJwts: true }),
    token: jwt,
  },
];

const results = new Map();
for (let r = 0; r < rounds; r++)
  for (const c of cases) {
    // Warm: discovery, keys, the first introspection (the cache's one miss).
    for (let i = 0; i < 50; i++) await check(c);
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < c.n; i++) await check(c);
    const wall = Number(process.hrtime.bigint() - t0) / 1e3 / c.n;
    const cpu = process.cpuUsage(cpu0);
    const list = results.get(c.name) ?? [];
    list.push({ wall, cpu: (cpu.user + cpu.system) / c.n });
    results.set(c.name, list);
  }
await sandbox.close();
// The hit cases must really have been hits: a call only at the start and once per 60 s TTL.
for (const c of cases.filter((x) => x.name.includes('cache hit'))) {
  const { hits, calls } = c.verifier.cacheStats();
  console.log(`  ${c.name}: ${hits} cache hits, ${calls} introspection calls`);
  if (calls / (hits + calls) > 0.001) throw new Error(`${c.name}: too many introspection calls`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`node ${process.version}, ${rounds} rounds, median per check:`);
for (const [name, list] of results)
  console.log(
    `  ${name.padEnd(60)} ${median(list.map((x) => x.wall))
      .toFixed(1)
      .padStart(8)} µs wall ${median(list.map((x) => x.cpu))
      .toFixed(1)
      .padStart(8)} µs CPU`,
  );

async function check(c) {
  const verdict = await c.verifier.verify(c.token);
  if (!verdict.ok) throw new Error(`${c.name}: refused: ${verdict.reason}`);
}

async function mint() {
  const res = await globalThis.fetch(`${sandbox.url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
    },
    body: new globalThis.URLSearchParams({ grant_type: 'client_credentials', resource: RESOURCE }).toString(),
  });
  return (await res.json()).access_token;
}
