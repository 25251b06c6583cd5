// `npm run build`, second step (after tsc): bundles the CLI (src/cli.ts and everything `runtime start` imports,
// dependencies included) into dist/cli.js plus code-split chunks dist/cli-*.js, replacing tsc's dist/cli.js.
//
// Why: start-up spent ~40 % in Node's module loader (resolving, stat-ing, reading and compiling ~830 files of
// fastify, undici, ajv, zod, the MCP SDK, yaml…); one ESM graph of a few dozen chunks loads in a fraction of that
// (issue 14, bench/RESULTS.md). The rest of dist/ stays as tsc wrote it (bench/contracts.mjs and test helpers
// import from it); only the CLI entry changes.
//
// What is not bundled (EXTERNAL): packages start-up never loads (format decoders, the script engine, the
// OpenAPI importer, OpenTelemetry) — they stay lazily imported from node_modules, exactly as tsc's output loads
// them, so bundling changes nothing on their paths — and packages resolved by file path at run time.
//
// Each module keeps the `import.meta.url` it had in tsc's output (dist/<same path>.js): version.ts, the control
// adapter's status, the schema check and the REST docs find package.json, schemas/ and node_modules relative to
// it. That holds because every chunk is written to dist/ itself, where dist/cli.js already was.

import { build } from 'esbuild';
import { readdir, readFile, rm } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = `${ROOT}src${sep}`;

/** Loaded only when a file or a flag asks for them, or resolved by path: left to node_modules. */
const EXTERNAL = [
  // format decoders (src/consume/formats: an outputRawFormat other than json)
  'avsc',
  'css-select',
  'csv-parse',
  'domhandler',
  'fflate',
  'mdast-util-from-markdown',
  'mdast-util-gfm-table',
  'micromark-extension-gfm-table',
  'parse5',
  'parse5-htmlparser2-tree-adapter',
  'protobufjs',
  'protobufjs/*',
  'saxes',
  // the QuickJS script engine (resolved by path for its worker thread)
  '@jitl/quickjs-wasmfile-release-sync',
  'quickjs-emscripten-core',
  // `runtime import openapi` and --openapi contracts
  '@apidevtools/json-schema-ref-parser',
  // OTEL_* set: one copy of the API for the SDK and us
  '@opentelemetry/*',
  // a terminal's log format, and the docs page's static files (both resolved at run time)
  'pino-pretty',
  'swagger-ui-dist',
];

/** Rewrites `import.meta.url` in src/<path>.ts to the URL of dist/<path>.js, relative to the chunk (in dist/). */
const keepModuleUrl = {
  name: 'keep-module-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!args.path.startsWith(SRC) || !text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const own = `./${relative(SRC, args.path).split(sep).join('/').replace(/\.ts$/, '.js')}`;
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

// Chunks are named by content hash: those of an earlier build would otherwise pile up in dist/ (and in the package).
for (const name of await readdir(`${ROOT}dist`).catch(() => []))
  if (/^cli-.*\.js(\.map)?$/.test(name)) await rm(`${ROOT}dist${sep}${name}`);

/**
 * `undici` in the bundle: the dispatchers the runtime uses, from their own modules. undici's index loads all of
 * undici (fetch, WebSocket, EventSource, caches, mocks, proxies…): ~30 ms of CPU at every start for code the
 * runtime never calls. What the index does besides exporting is repeated here (the request/stream/… methods on
 * Dispatcher.prototype); `request` (OAuth2 token calls, --openapi from a URL) loads the full index on its first
 * call. An import of anything else from 'undici' fails the build, which is the point: add it here.
 */
const UNDICI_LEAN = `
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
export { default as Agent } from 'undici/lib/dispatcher/agent.js';
export { default as Pool } from 'undici/lib/dispatcher/pool.js';
Object.assign(Dispatcher.prototype, api);
export async function request(url, options) {
  // A CommonJS module imported: its exports are the namespace's default.
  const undici = (await import('undici/index.js')).default;
  return undici.request(url, options);
}
`;
const leanUndici = {
  name: 'lean-undici',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'lean-undici' }));
    b.onLoad({ filter: /.*/, namespace: 'lean-undici' }, () => ({
      contents: UNDICI_LEAN,
      loader: 'js',
      resolveDir: ROOT,
    }));
  },
};

await build({
  absWorkingDir: ROOT,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  chunkNames: 'cli-[name]-[hash]',
  external: EXTERNAL,
  // Whitespace and syntax only (names stay, for stack traces; the linked source maps map lines back): V8 keeps
  // every module's source text in the heap, and the smaller text is ~3 MB less RSS at ready.
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS (fastify, undici, ajv…) requires Node built-ins: an ESM chunk has no `require` of its own.
  banner: {
    js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [keepModuleUrl, leanUndici],
});
