// Output projection of a declared array whose path has one match (found running the tutorial: the legacy
// Dockyard answers `?status=active` with one <vessel>, which XML → JSON leaves as an object).

import { describe, expect, it } from 'vitest';
import type { OutputParameter } from '../spec/types.js';
import { compileOutput } from './output.js';

const vessels = (mapping: string): OutputParameter[] => [
  {
    type: 'array',
    mapping,
    items: { type: 'object', properties: { code: { type: 'string', mapping: '$.vesselCode' } } },
  } as OutputParameter,
];

describe('a declared array', () => {
  it('projects every element of a list', () => {
    const body = { vessel: [{ vesselCode: 'A' }, { vesselCode: 'B' }] };
    expect(compileOutput(vessels('$.vessel'))(body)).toEqual([{ code: 'A' }, { code: 'B' }]);
  });

  it('holds a lone element (one XML <vessel>) as a list of one', () => {
    expect(compileOutput(vessels('$.vessel'))({ vessel: { vesselCode: 'A' } })).toEqual([{ code: 'A' }]);
  });

  it('holds the single match of a wildcard path as a list of one', () => {
    expect(compileOutput(vessels('$.vessel[*]'))({ vessel: [{ vesselCode: 'A' }] })).toEqual([{ code: 'A' }]);
  });

  it('is null when the path matches nothing, or when the whole document is an object', () => {
    expect(compileOutput(vessels('$.ships'))({ vessel: [] })).toBeNull();
    expect(compileOutput(vessels('$.'))({ vessel: [{ vesselCode: 'A' }] })).toBeNull();
  });
});
