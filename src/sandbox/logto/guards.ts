// The request guards of Logto's one-time-token routes (contract §3), and the 400 they raise.
import { guardErrors, type GuardTarget } from './errors.js';
import { INTERACTION_EVENTS, TOKEN_STATUSES } from './types.js';
import { array, enumOf, formatIssues, number, object, optional, string, type Issue, type Validator } from './zod3.js';

/** `emailRegEx` of `@logto/core-kit`; only the list filter applies it, create and verify do not. */
const EMAIL_REGEX = /^\S+@\S+\.\S+$/;

const contextGuard = object({
  jitOrganizationIds: optional(array(string())),
  interactionEvent: optional(enumOf(INTERACTION_EVENTS)),
});

export const createBodyGuard = object({
  email: string({ min: 1, max: 128 }),
  expiresIn: optional(number({ min: 1 })),
  context: optional(contextGuard),
});

export const verifyBodyGuard = object({
  token: string({ min: 1, max: 256 }),
  email: string({ min: 1, max: 128 }),
});

export const statusBodyGuard = object({ status: enumOf(TOKEN_STATUSES) });

export const listQueryGuard = object({
  email: optional(string({ regex: EMAIL_REGEX })),
  status: optional(enumOf(TOKEN_STATUSES)),
});

/** Runs a guard the way koa-guard does: any issue is a 400 `guard.invalid_input` carrying the ZodError. */
export function guard<T>(target: GuardTarget, validator: Validator<T>, input: unknown): T {
  const issues: Issue[] = [];
  const value = validator(input, [], issues);
  if (issues.length > 0) throw guardErrors.invalidInput(target, { issues, name: 'ZodError' }, formatIssues(issues));
  return value;
}
