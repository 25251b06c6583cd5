// GET /docs in a real headless Chromium: the page renders the six Logto operations from /openapi.json with
// nothing fetched from outside the adapter, no console errors under its CSP, and inbound auth guards it.

import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../support/chromium.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const available = chromiumAvailable('docs-page.test.ts');

const OPERATIONS = [
  'GET /v1/api/one-time-tokens',
  'POST /v1/api/one-time-tokens',
  'POST /v1/api/one-time-tokens/verify',
  'GET /v1/api/one-time-tokens/{id}',
  'DELETE /v1/api/one-time-tokens/{id}',
  'PUT /v1/api/one-time-tokens/{id}/status',
];

let browser: Browser;
beforeAll(async () => {
  if (available) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the docs page and returns the operations it lists as `METHOD path`, plus what went wrong on the way. */
async function render(
  page: Page,
  url: string,
): Promise<{ operations: string[]; problems: string[]; origins: Set<string> }> {
  const problems: string[] = [];
  const origins = new Set<string>();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => origins.add(new URL(r.url()).origin));
  const res = await page.goto(url);
  expect(res?.status()).toBe(200);
  await page
    .locator('.opblock')
    .nth(OPERATIONS.length - 1)
    .waitFor({ timeout: 30_000 });
  const operations = await page.locator('.opblock-summary').evaluateAll((els) =>
    els.map((el) => {
      const method = el.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
      const path = el.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
      return `${method} ${path}`;
    }),
  );
  return { operations, problems, origins };
}

describe.skipIf(!available)('GET /docs (headless Chromium)', () => {
  describe('without inbound auth', () => {
    let rt: TestRuntime;
    beforeAll(async () => {
      rt = await startTestRuntime({ baseUris: { 'logto-one-time-tokens': 'http://127.0.0.1:9' } });
    });
    afterAll(() => rt?.close());

    it('renders the six operations, loads only from the adapter, and logs no console error', async () => {
      const page = await browser.newPage();
      try {
        const { operations, problems, origins } = await render(page, `${rt.restUrl}/docs`);
        expect([...operations].sort()).toEqual([...OPERATIONS].sort());
        expect(problems).toEqual([]);
        expect([...origins]).toEqual([new URL(rt.restUrl).origin]);
        await expect(page.title()).resolves.toMatch(/One-time tokens — API reference/);
      } finally {
        await page.close();
      }
    });

    it('the page carries a CSP without inline script; / points to /docs and /openapi.json', async () => {
      const docs = await rt.rest('/docs');
      expect(docs.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
      expect(await docs.text()).not.toMatch(/<script>(?!<\/)/);
      const root = await rt.rest('/');
      expect(root.status).toBe(200);
      expect(await root.json()).toMatchObject({ docs: '/docs', openapi: '/openapi.json' });
      expect(root.headers.get('link')).toBe('</docs>; rel="service-doc", </openapi.json>; rel="service-desc"');
      const asset = await rt.rest('/docs/swagger-ui-bundle.js');
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    });
  });

  describe('behind bearer inbound auth', () => {
    const TOKEN = 'docs-page-inbound-token';
    let rt: TestRuntime;
    beforeAll(async () => {
      rt = await startTestRuntime({
        file: resolve(import.meta.dirname, '../fixtures/capabilities/inbound-bearer-apikey-header.yaml'),
        baseUris: { 'logto-one-time-tokens': 'http://127.0.0.1:9' },
        env: { INBOUND_TOKEN: TOKEN, MCP_API_KEY: 'docs-page-mcp-key' },
      });
    });
    afterAll(() => rt?.close());

    it('without the token: 401 for the page, its assets, its document and /', async () => {
      for (const path of ['/docs', '/docs/init.js', '/docs/swagger-ui-bundle.js', '/openapi.json', '/']) {
        const res = await rt.rest(path);
        expect(res.status, path).toBe(401);
        await res.body?.cancel();
      }
    });

    it('with the token (sent by the browser on every request): the six operations render', async () => {
      const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
      try {
        const { operations, problems } = await render(await context.newPage(), `${rt.restUrl}/docs`);
        expect([...operations].sort()).toEqual([...OPERATIONS].sort());
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
