// A bounded cache of RFC 7662 introspection answers, so a client that sends the same opaque token on every
// request costs the authorization server one call per token and TTL rather than one per request. Keys are
// SHA-256 digests of the token: the map never holds a usable credential. Concurrent misses for one token
// share a single call (single-flight). An error from the authorization server is never cached: the next
// request asks again. Least recently used entries go first once the cap is reached.

import { createHash } from 'node:crypto';
import type { IntrospectionResult } from './introspect.js';

export interface IntrospectionCacheSettings {
  /** Entries kept at most (one per distinct token); default 10,000. */
  readonly maxEntries?: number;
  /** An active answer is reused until min(its `exp`, now + this); default 60 s. 0 turns the cache off. */
  readonly maxTtlMs?: number;
  /** An inactive answer (unknown, revoked, expired token) is reused this long; default 10 s. 0: not cached. */
  readonly negativeTtlMs?: number;
}

export const CACHE_DEFAULTS = { maxEntries: 10_000, maxTtlMs: 60_000, negativeTtlMs: 10_000 } as const;

export interface CacheStats {
  /** Answers served from the cache. */
  readonly hits: number;
  /** Calls made to the authorization server (each miss that was not joined to one in flight). */
  readonly calls: number;
  /** Misses that waited for a call another request had already started. */
  readonly joined: number;
  readonly evictions: number;
  readonly size: number;
}

interface Entry {
  readonly result: IntrospectionResult;
  /** Epoch ms after which the answer is asked again. */
  readonly until: number;
}

export class IntrospectionCache {
  readonly #maxEntries: number;
  readonly #maxTtlMs: number;
  readonly #negativeTtlMs: number;
  readonly #now: () => number;
  // A Map iterates in insertion order: re-inserting on a hit keeps the least recently used entry first.
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<IntrospectionResult>>();
  #hits = 0;
  #calls = 0;
  #joined = 0;
  #evictions = 0;

  constructor(settings: IntrospectionCacheSettings = {}, now: () => number = Date.now) {
    this.#maxEntries = settings.maxEntries ?? CACHE_DEFAULTS.maxEntries;
    this.#maxTtlMs = settings.maxTtlMs ?? CACHE_DEFAULTS.maxTtlMs;
    this.#negativeTtlMs = settings.negativeTtlMs ?? CACHE_DEFAULTS.negativeTtlMs;
    if (!Number.isSafeInteger(this.#maxEntries) || this.#maxEntries < 1)
      throw new RangeError('introspection cache: maxEntries must be a positive integer');
    this.#now = now;
  }

  /** The cached answer for the token, else the one `ask` fetches (shared with concurrent callers). */
  async get(token: string, ask: () => Promise<IntrospectionResult>): Promise<IntrospectionResult> {
    const key = createHash('sha256').update(token).digest('base64url');
    const now = this.#now();
    const cached = this.#entries.get(key);
    if (cached) {
      this.#entries.delete(key);
      if (cached.until > now) {
        this.#entries.set(key, cached);
        this.#hits++;
        return cached.result;
      }
    }
    const pending = this.#inFlight.get(key);
    if (pending) {
      this.#joined++;
      return pending;
    }
    this.#calls++;
    const call = ask().then(
      (result) => {
        this.#inFlight.delete(key);
        this.#store(key, result);
        return result;
      },
      (err: unknown) => {
        // Not cached: an unreachable or failing server says nothing about the token.
        this.#inFlight.delete(key);
        throw err;
      },
    );
    this.#inFlight.set(key, call);
    return call;
  }

  stats(): CacheStats {
    return {
      hits: this.#hits,
      calls: this.#calls,
      joined: this.#joined,
      evictions: this.#evictions,
      size: this.#entries.size,
    };
  }

  #store(key: string, result: IntrospectionResult): void {
    const now = this.#now();
    const ttl = result.active ? this.#maxTtlMs : this.#negativeTtlMs;
    let until = now + ttl;
    // An active token is never trusted from the cache past its own expiry.
    if (result.active && typeof result.exp === 'number') until = Math.min(until, result.exp * 1000);
    if (ttl <= 0 || until <= now) return;
    this.#entries.delete(key);
    this.#entries.set(key, { result, until });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
      this.#evictions++;
    }
  }
}
