// The one-time-token row as Logto stores and returns it (contract §2).

export const TOKEN_STATUSES = ['active', 'consumed', 'revoked', 'expired'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export const INTERACTION_EVENTS = ['SignIn', 'Register', 'ForgotPassword'] as const;
export type InteractionEvent = (typeof INTERACTION_EVENTS)[number];

export interface TokenContext {
  jitOrganizationIds?: string[];
  interactionEvent?: InteractionEvent;
}

/** Keys are declared in the order Logto's response guard emits them. */
export interface OneTimeToken {
  tenantId: string;
  id: string;
  email: string;
  token: string;
  context: TokenContext;
  status: TokenStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type Clock = () => number;
