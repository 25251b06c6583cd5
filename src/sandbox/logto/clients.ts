// The sandbox's OAuth clients: the machine-to-machine apps it was started with (client credentials), and
// the interactive apps — pre-registered, or registered by the client itself at /oidc/reg (RFC 7591), as the
// MCP Inspector and the SDK clients do. A public client (`token_endpoint_auth_method: none`) has no secret
// and proves itself with PKCE alone; redirect URIs are matched exactly.
import { randomBytes } from 'node:crypto';

import type { FastifyRequest } from 'fastify';

import { sameSecret } from './auth.js';

export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

export interface RegisteredClient {
  readonly id: string;
  /** Absent for a public client. */
  readonly secret?: string;
  readonly authMethod: TokenEndpointAuthMethod;
  readonly redirectUris: readonly string[];
  readonly grantTypes: readonly string[];
  readonly name?: string;
  /** Seconds since the epoch (RFC 7591 `client_id_issued_at`). */
  readonly issuedAt: number;
}

/** A client the sandbox is started with for the interactive flow (no secret: a public client). */
export interface InteractiveClient {
  id: string;
  redirectUris: string[];
  secret?: string;
}

/** Bounds what a loop of registrations can make the sandbox hold. */
const MAX_REGISTERED = 1000;

export class ClientRegistry {
  readonly #clients = new Map<string, RegisteredClient>();

  constructor(
    m2m: ReadonlyArray<{ id: string; secret: string }>,
    interactive: readonly InteractiveClient[],
    now: () => number,
  ) {
    const issuedAt = Math.floor(now() / 1000);
    for (const c of m2m)
      this.#clients.set(c.id, {
        id: c.id,
        secret: c.secret,
        authMethod: 'client_secret_basic',
        redirectUris: [],
        grantTypes: ['client_credentials'],
        issuedAt,
      });
    for (const c of interactive)
      this.#clients.set(c.id, {
        id: c.id,
        ...(c.secret === undefined ? {} : { secret: c.secret }),
        authMethod: c.secret === undefined ? 'none' : 'client_secret_basic',
        redirectUris: [...c.redirectUris],
        grantTypes: ['authorization_code', 'refresh_token'],
        issuedAt,
      });
  }

  get(id: string): RegisteredClient | undefined {
    return this.#clients.get(id);
  }

  get size(): number {
    return this.#clients.size;
  }

  register(client: Omit<RegisteredClient, 'id' | 'secret'>): RegisteredClient | undefined {
    if (this.#clients.size >= MAX_REGISTERED) return undefined;
    // Logto's app ids are 21 lowercase alphanumerics; a random one is all a client needs.
    const id = randomBytes(16).toString('hex').slice(0, 21);
    const registered: RegisteredClient = {
      ...client,
      id,
      ...(client.authMethod === 'none' ? {} : { secret: randomBytes(24).toString('base64url') }),
    };
    this.#clients.set(id, registered);
    return registered;
  }

  /**
   * Who is calling the token or introspection endpoint: a confidential client by `Authorization: Basic` or
   * form fields, a public one by `client_id` alone. `missing` when the request names no client at all.
   */
  authenticate(request: FastifyRequest, form: URLSearchParams): RegisteredClient | 'missing' | 'failed' {
    const given = presented(request, form);
    if (!given) return 'missing';
    const client = this.#clients.get(given.id);
    if (!client) return 'failed';
    if (client.secret === undefined) return given.secret === undefined ? client : 'failed';
    return given.secret !== undefined && sameSecret(given.secret, client.secret) ? client : 'failed';
  }
}

/** `Authorization: Basic` (form-urlencoded id and secret, RFC 6749 §2.3.1), else the form fields. */
function presented(request: FastifyRequest, form: URLSearchParams): { id: string; secret?: string } | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  }
  const id = form.get('client_id');
  if (!id) return undefined;
  const secret = form.get('client_secret');
  return secret === null ? { id } : { id, secret };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
