// Logto's optional pagination for the list endpoint (koa-pagination.ts, utils/pagination.ts; contract §3.1).
import { guardErrors } from './errors.js';
import type { Window } from './store.js';

export type Query = Record<string, string | string[] | undefined>;

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/** undefined when neither `page` nor `page_size` is given (or both are empty): return everything. */
export function parsePagination(query: Query): Window | undefined {
  const rawPage = query['page'];
  const rawSize = query['page_size'];
  // Logto calls Number() on the raw value: a repeated parameter (an array) becomes NaN unless it has one element.
  const page = rawPage ? Number(rawPage) : 1;
  const size = rawSize ? Number(rawSize) : DEFAULT_PAGE_SIZE;
  if (!(page > 0) || !(size > 0) || size > MAX_PAGE_SIZE) throw guardErrors.invalidPagination();
  if (!rawPage && !rawSize) return undefined;
  return { offset: (page - 1) * size, limit: size };
}

/**
 * `Link` values in Logto's order: first, last, then prev and next when they exist. The path is the
 * request path as koa-mount leaves it, i.e. without `/api` (contract §3.1, derived).
 */
export function buildLinks(origin: string, path: string, query: Query, window: Window, total: number): string[] {
  const lastPage = Math.ceil(total / window.limit) || 1;
  const page = Math.floor(window.offset / window.limit) + 1;
  const link = (target: number, rel: string): string => {
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params[key] = String(value);
    params['page'] = String(target);
    return `<${origin}${path}?${new URLSearchParams(params).toString()}>; rel="${rel}"`;
  };
  const links = [link(1, 'first'), link(lastPage, 'last')];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < lastPage) links.push(link(page + 1, 'next'));
  return links;
}
