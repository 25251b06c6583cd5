// In-memory one_time_tokens table of one tenant, with Logto's state machine (contract §3, §4).
// Rows keep their *stored* status; reads compute the *displayed* one at read time (§4.2).
import { entityErrors, PlainError, tokenErrors } from './errors.js';
import { generateId, generateSecret } from './ids.js';
import type { Clock, OneTimeToken, TokenContext, TokenStatus } from './types.js';

export interface CreateInput {
  email: string;
  expiresIn?: number;
  context?: TokenContext;
}

export interface ListFilter {
  email?: string;
  status?: TokenStatus;
}

export interface Window {
  offset: number;
  limit: number;
}

const DEFAULT_EXPIRES_IN_SECONDS = 600;
/** Beyond ±8.64e15 ms a JS Date is invalid; Logto then fails at the DB layer with a 500. */
const MAX_DATE_MS = 8.64e15;

interface Row extends OneTimeToken {
  /** Insertion order: breaks createdAt ties so "newest first" is stable under a frozen clock. */
  seq: number;
}

export class TokenStore {
  readonly #rows = new Map<string, Row>();
  #seq = 0;

  constructor(
    readonly tenantId: string,
    readonly now: Clock,
  ) {}

  create(input: CreateInput): OneTimeToken {
    const now = this.now();
    this.#sweepExpired(input.email, now);
    // date-fns addSeconds truncates the amount to an integer.
    const expiresAt = now + Math.trunc(input.expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000;
    if (!Number.isFinite(expiresAt) || expiresAt > MAX_DATE_MS) throw new PlainError(500, 'Internal server error.');
    const row: Row = {
      tenantId: this.tenantId,
      id: this.#uniqueId(),
      email: input.email,
      token: this.#uniqueToken(),
      context: input.context ?? {},
      status: 'active',
      createdAt: now,
      expiresAt,
      seq: this.#seq++,
    };
    this.#rows.set(row.id, row);
    return toToken(row);
  }

  /** Filters on the stored status (§4.3 quirk); `total` counts the whole tenant, unfiltered (§3.1 quirk). */
  list(filter: ListFilter, window?: Window): { items: OneTimeToken[]; total: number } {
    const matching = [...this.#rows.values()]
      .filter(
        (r) =>
          (filter.email === undefined || r.email === filter.email) &&
          (filter.status === undefined || r.status === filter.status),
      )
      .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
    // PostgreSQL rounds a fractional LIMIT/OFFSET (page and page_size need not be integers).
    const page = window
      ? matching.slice(Math.round(window.offset), Math.round(window.offset) + Math.round(window.limit))
      : matching;
    const now = this.now();
    return { items: page.map((r) => this.#display(r, now)), total: this.#rows.size };
  }

  get(id: string): OneTimeToken {
    const row = this.#rows.get(id);
    if (!row) throw entityErrors.notExistsWithId(id);
    return this.#display(row, this.now());
  }

  /** Logto's `checkOneTimeToken` order: not found, email, expiry, consumed, revoked (§3.3). */
  verify(token: string, email: string): OneTimeToken {
    const row = this.#findByToken(token);
    if (!row) throw tokenErrors.notFound(token);
    if (row.email !== email) throw tokenErrors.emailMismatch();
    if (row.expiresAt <= this.now() || row.status === 'expired') {
      if (row.status === 'active') row.status = 'expired';
      throw tokenErrors.expired();
    }
    if (row.status === 'consumed') throw tokenErrors.consumed();
    if (row.status === 'revoked') throw tokenErrors.revoked();
    row.status = 'consumed';
    return toToken(row);
  }

  /** Any state may move to consumed/revoked/expired; nothing goes back to active (§3.6). */
  setStatus(id: string, status: TokenStatus): OneTimeToken {
    const row = this.#rows.get(id);
    if (!row) throw entityErrors.notExistsWithId(id);
    if (status === 'active') throw tokenErrors.cannotReactivate();
    row.status = status;
    return toToken(row);
  }

  delete(id: string): void {
    if (!this.#rows.delete(id)) throw entityErrors.notFound();
  }

  /** Simulates an end user redeeming a magic link through the Experience API (§4.1). */
  consumeOutOfBand(token: string): boolean {
    const row = this.#findByToken(token);
    if (!row) return false;
    row.status = 'consumed';
    return true;
  }

  /** Stored rows, newest first, as the database holds them (no computed status). */
  snapshot(): OneTimeToken[] {
    return [...this.#rows.values()].sort((a, b) => b.seq - a.seq).map(toToken);
  }

  clear(): void {
    this.#rows.clear();
  }

  #display(row: Row, now: number): OneTimeToken {
    const token = toToken(row);
    if (row.status === 'active' && row.expiresAt < now) token.status = 'expired';
    return token;
  }

  #sweepExpired(email: string, now: number): void {
    for (const row of this.#rows.values()) {
      if (row.email === email && row.status === 'active' && row.expiresAt <= now) row.status = 'expired';
    }
  }

  #findByToken(token: string): Row | undefined {
    for (const row of this.#rows.values()) if (row.token === token) return row;
    return undefined;
  }

  #uniqueId(): string {
    let id = generateId();
    while (this.#rows.has(id)) id = generateId();
    return id;
  }

  #uniqueToken(): string {
    let token = generateSecret();
    while (this.#findByToken(token)) token = generateSecret();
    return token;
  }
}

/** A detached copy in the response key order (§2). */
function toToken(row: OneTimeToken): OneTimeToken {
  const context: TokenContext = {};
  if (row.context.jitOrganizationIds) context.jitOrganizationIds = [...row.context.jitOrganizationIds];
  if (row.context.interactionEvent) context.interactionEvent = row.context.interactionEvent;
  return {
    tenantId: row.tenantId,
    id: row.id,
    email: row.email,
    token: row.token,
    context,
    status: row.status,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}
