// RuntimeError → RFC 9457 application/problem+json. The one place REST turns kinds into statuses.

import type { ErrorKind, RuntimeError } from '../../errors.js';

export const PROBLEM_TYPE = 'application/problem+json';

const STATUS: Record<ErrorKind, number> = {
  input: 400,
  unauthorized: 401,
  forbidden: 403,
  route: 404,
  method: 405,
  too_large: 413,
  media_type: 415,
  upstream_unreachable: 502,
  upstream_invalid: 502,
  config: 503,
  not_ready: 503,
  upstream_timeout: 504,
  internal: 500,
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: ReadonlyArray<{ argument: string; message: string }>;
}

export function statusOf(err: RuntimeError): number {
  return err.code === 'NAF_ERR_CANCELLED' ? 499 : STATUS[err.kind];
}

export function toProblem(err: RuntimeError, instance: string, requestId: string): Problem {
  return {
    type: `urn:naftiko-runtime:error:${err.code}`,
    title: err.title,
    status: statusOf(err),
    detail: err.message,
    code: err.code,
    instance,
    requestId,
    ...(err.details.issues ? { errors: err.details.issues } : {}),
  };
}
