// The catalogue compiled from the engine's skill-capability.yaml: what SkillServerSpecRoundTripTest and
// SkillToolSpecDeserializationTest (naftiko/ikanos v1.0.0-alpha2) read from it, as this runtime's table holds it.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CapabilityDocument } from '../spec/types.js';
import { exposeSpecs } from './context.js';
import { compileSkills, unservedTargets } from './skills.js';

const doc = parse(
  readFileSync(new URL('../../test/fixtures/engine/skill-capability.yaml', import.meta.url), 'utf8'),
) as CapabilityDocument;
const [catalogue] = compileSkills(exposeSpecs(doc.capability?.exposes ?? []));

describe('compileSkills on the engine fixture', () => {
  it('makes one catalogue for the skill adapter, with its description and both skills in order', () => {
    expect(catalogue?.namespace).toBe('orders-skills');
    expect(catalogue?.description).toBe('Order management skills catalog');
    expect(catalogue?.skills.map((s) => s.name)).toEqual(['order-management', 'onboarding-guide']);
  });

  it('keeps the hyphenated frontmatter fields and the location as written', () => {
    expect(catalogue?.skills[0]).toMatchObject({
      description: 'Tools for managing orders',
      'allowed-tools': 'list-orders',
      'argument-hint': 'Use for order operations',
      location: 'file:///tmp/naftiko-test-skills/order-management',
    });
  });

  it('compiles both tool variants: derived (with the sibling mode) and instruction', () => {
    expect(catalogue?.skills[0]?.tools).toEqual([
      {
        name: 'list-orders',
        description: 'List all orders in the system',
        type: 'derived',
        invocationRef: { targetNamespace: 'orders-rest', action: 'list-orders', mode: 'rest' },
      },
      {
        name: 'order-guide',
        description: 'Guide for working with orders',
        type: 'instruction',
        instruction: 'order-guide.md',
      },
    ]);
    expect(catalogue?.skills[1]?.tools).toEqual([]);
  });

  it('names derived tools whose target is not among the served bindings', () => {
    if (!catalogue) throw new Error('no catalogue');
    expect(unservedTargets(catalogue, [])).toEqual(['order-management/list-orders → orders-rest.list-orders']);
  });
});
