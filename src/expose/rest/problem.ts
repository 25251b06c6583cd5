// RuntimeError → RFC 9457 application/problem+json. The one place REST turns kinds into statuses.

import { httpStatusOf, type RuntimeError } from '../../errors.js';
import type { Secrets } from '../../secrets.js';
import type { WireError } from '../http-app.js';

export const PROBLEM_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: ReadonlyArray<{ argument: string; message: string }>;
  /** The orchestration step at fault, and what its upstream answered. */
  step?: string;
  upstreamStatus?: number;
}

export function toProblem(err: RuntimeError, instance: string, requestId: string): Problem {
  return {
    type: `urn:naftiko-runtime:error:${err.code}`,
    title: err.title,
    status: httpStatusOf(err),
    detail: err.message,
    code: err.code,
    instance,
    requestId,
    ...(err.details.issues ? { errors: err.details.issues } : {}),
    ...(err.details.step ? { step: err.details.step } : {}),
    ...(err.details.upstreamStatus !== undefined ? { upstreamStatus: err.details.upstreamStatus } : {}),
  };
}

/** The problem document as it goes on the wire, scrubbed of secrets. */
export function renderProblem(err: RuntimeError, instance: string, requestId: string, secrets: Secrets): WireError {
  const problem = toProblem(err, instance, requestId);
  return { status: problem.status, contentType: PROBLEM_TYPE, body: secrets.redact(JSON.stringify(problem)) };
}
