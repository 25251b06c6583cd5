import { describe, expect, it } from 'vitest';
import { describePointer } from './pointer.js';
import { parseSource } from './source.js';

const TEXT = `naftiko: 1.0.0-alpha2
capability:
  exposes:
    - type: rest
      port: 8080
      resources:
        - path: /a/b
`;

describe('source positions', () => {
  const { source } = parseSource('/x.yaml', TEXT);

  it('locates values (default) and keys, 1-based', () => {
    expect(source?.locate('/capability/exposes/0/port')).toEqual({ line: 5, col: 13 });
    expect(source?.locate('/capability/exposes/0/port', 'key')).toEqual({ line: 5, col: 7 });
    expect(source?.locate('/capability/exposes/0/resources/0/path')).toEqual({ line: 7, col: 17 });
  });

  it('points a missing property at its parent object', () => {
    expect(source?.locate('/capability/exposes/0/tools')).toEqual({ line: 4, col: 7 });
    expect(source?.locate('')).toEqual({ line: 1, col: 1 });
  });

  it('describes pointers for messages, with the object type', () => {
    expect(describePointer(source?.data, '/capability/exposes/0')).toBe('capability.exposes[0] (rest)');
    expect(describePointer(source?.data, '/capability/exposes/0/resources/0/path')).toBe(
      'capability.exposes[0].resources[0].path',
    );
  });

  it('reports only the first YAML syntax error, with its position', () => {
    const { source: none, diagnostics } = parseSource('/bad.yaml', 'a: [1,\nb: 2\n');
    expect(none).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'NAF_SPEC_YAML', severity: 'error', file: '/bad.yaml' });
    expect(diagnostics[0]?.line).toBeGreaterThan(0);
  });
});
