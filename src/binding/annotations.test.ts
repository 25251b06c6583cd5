import { describe, expect, it } from 'vitest';
import { annotationsFor, isIdempotent } from './annotations.js';

describe('isIdempotent (what may be retried)', () => {
  it.each([
    ['GET', undefined, true],
    ['PUT', undefined, true],
    ['DELETE', undefined, true],
    ['POST', undefined, false],
    ['PATCH', undefined, false],
    ['POST', { idempotent: true }, true],
    ['POST', { idempotent: false }, false],
    // A hint cannot make a method less safe than HTTP says it is.
    ['GET', { idempotent: false }, true],
  ] as const)('%s with hints %j → %s', (method, hints, expected) => {
    expect(isIdempotent(method, hints)).toBe(expected);
  });
});

describe('annotationsFor', () => {
  it('hints win; the method fills what is absent; every tool is open-world unless told', () => {
    expect(annotationsFor('DELETE', undefined, 'Delete')).toEqual({
      title: 'Delete',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(annotationsFor('POST', { destructive: true, openWorld: false }, 'Send')).toEqual({
      title: 'Send',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: false,
    });
  });
});
