// `GET /docs`: an interactive reference of this adapter's /openapi.json (Swagger UI from the swagger-ui-dist
// package, served from node_modules: no CDN, works offline), and `GET /`: where the docs and the document are.
// Both sit behind the adapter's inbound auth like every route but health (http-app.ts).

import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const DIST = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The package files the page loads, by the name it asks for them under /docs/. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// No inline script: the page's only code is the package's bundle and init.js below, so script-src stays 'self'.
// Swagger UI styles elements inline (React style attributes), hence 'unsafe-inline' for styles only.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const INIT_JS = `// Starts Swagger UI on the document named by the page (data-spec), with nothing fetched from elsewhere.
window.addEventListener('DOMContentLoaded', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

export interface DocsOptions {
  /** The page title: the adapter's or the capability's label. */
  readonly title: string;
}

/** Registers /docs, its assets and / unless the capability itself serves those paths (its routes win). */
export function registerDocsRoutes(app: FastifyInstance, options: DocsOptions): void {
  const has = (url: string) => app.hasRoute({ method: 'GET', url });
  if (!has('/docs')) {
    app.get('/docs', async (req, reply) => page(req, reply, options.title));
    app.get('/docs/init.js', async (_req, reply) => asset(reply, 'text/javascript; charset=utf-8').send(INIT_JS));
    for (const [name, type] of Object.entries(ASSETS)) {
      app.get(`/docs/${name}`, async (_req, reply) => asset(reply, type).send(createReadStream(join(DIST, name))));
    }
  }
  if (!has('/')) {
    app.get('/', async (req, reply) => {
      const q = querySuffix(req);
      reply.header('link', `</docs${q}>; rel="service-doc", </openapi.json${q}>; rel="service-desc"`);
      return { title: options.title, docs: `/docs${q}`, openapi: `/openapi.json${q}` };
    });
  }
}

function page(req: FastifyRequest, reply: FastifyReply, title: string): FastifyReply {
  // The query string travels to every asset and to the document, so a query-string API key keeps working.
  const q = escapeHtml(querySuffix(req));
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css${q}">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png${q}">
</head>
<body>
<div id="swagger-ui" data-spec="/openapi.json${q}"></div>
<script src="/docs/swagger-ui-bundle.js${q}"></script>
<script src="/docs/init.js${q}"></script>
</body>
</html>
`;
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(html);
}

function asset(reply: FastifyReply, type: string): FastifyReply {
  // 'private': behind inbound auth, shared caches must not hand the files out.
  return reply
    .header('content-type', type)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=3600');
}

function querySuffix(req: FastifyRequest): string {
  const i = req.url.indexOf('?');
  return i < 0 ? '' : req.url.slice(i);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
