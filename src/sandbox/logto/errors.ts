// Logto's RequestError as the sandbox raises it: status, code, English message, optional data/details
// (contract §1.2-§1.4). `toBody()` keeps Logto's key order {code, data?, details?, message}.

export interface LogtoErrorBody {
  code: string;
  data?: unknown;
  details?: string;
  message: string;
}

export class LogtoError extends Error {
  override readonly name = 'LogtoError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly data?: unknown,
    readonly details?: string,
  ) {
    super(message);
  }

  toBody(): LogtoErrorBody {
    return {
      code: this.code,
      ...(this.data !== undefined && { data: this.data }),
      ...(this.details !== undefined && { details: this.details }),
      message: this.message,
    };
  }
}

export type GuardTarget = 'query' | 'body' | 'params';

export const authErrors = {
  headerMissing: () => new LogtoError(401, 'auth.authorization_header_missing', 'Authorization header is missing.'),
  typeNotSupported: () =>
    new LogtoError(401, 'auth.authorization_token_type_not_supported', 'Authorization type is not supported.', {
      supportedTypes: ['Bearer'],
    }),
  unauthorized: (data: unknown) =>
    new LogtoError(401, 'auth.unauthorized', 'Unauthorized. Please check credentials and its scope.', data),
  forbidden: () => new LogtoError(403, 'auth.forbidden', 'Forbidden. Please check your user roles and permissions.'),
};

export const guardErrors = {
  invalidInput: (target: GuardTarget, data: unknown, details: string) =>
    new LogtoError(400, 'guard.invalid_input', `The request ${target} is invalid.`, data, details),
  invalidPagination: () => new LogtoError(400, 'guard.invalid_pagination', 'The request pagination value is invalid.'),
};

export const entityErrors = {
  notExistsWithId: (id: string) =>
    new LogtoError(404, 'entity.not_exists_with_id', `The one_time_tokens with ID \`${id}\` does not exist.`),
  notFound: () => new LogtoError(404, 'entity.not_found', 'The resource does not exist.'),
};

export const tokenErrors = {
  notFound: (token: string) => new LogtoError(404, 'one_time_token.token_not_found', `Token ${token} not found.`),
  emailMismatch: () => new LogtoError(400, 'one_time_token.email_mismatch', 'Email mismatch with given token.'),
  expired: () => new LogtoError(400, 'one_time_token.token_expired', 'The token is expired.'),
  consumed: () => new LogtoError(400, 'one_time_token.token_consumed', 'The token has been consumed.'),
  revoked: () => new LogtoError(400, 'one_time_token.token_revoked', 'The token has been revoked.'),
  cannotReactivate: () => new LogtoError(400, 'one_time_token.cannot_reactivate_token', 'Cannot reactivate the token.'),
};

/** Errors Logto raises outside RequestError: they carry only a message (contract §1.3). */
export class PlainError extends Error {
  override readonly name = 'PlainError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
