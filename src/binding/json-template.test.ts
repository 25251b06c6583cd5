// A JSON `body:` template (the tutorial's shared/registry-consumes.yaml create-voyage body) rendered as JSON.

import { describe, expect, it } from 'vitest';
import { compileJsonTemplate } from './json-template.js';

const VOYAGE = `{
  "shipImo": "{{shipImo}}",
  "crewIds": {{crewIds}},
  "cargoIds": {{cargoIds}}
}`;

describe('a JSON body template', () => {
  const render = compileJsonTemplate(VOYAGE);

  it('renders arrays as JSON and strings inside their quotes', () => {
    const text = render({ shipImo: 'IMO-9321483', crewIds: ['CREW-001'], cargoIds: ['CARGO-1'] });
    expect(JSON.parse(text)).toEqual({ shipImo: 'IMO-9321483', crewIds: ['CREW-001'], cargoIds: ['CARGO-1'] });
  });

  it('sends an absent optional argument as null, so the body stays JSON', () => {
    expect(JSON.parse(render({ shipImo: 'IMO-9321483', crewIds: ['CREW-001'] }))).toEqual({
      shipImo: 'IMO-9321483',
      crewIds: ['CREW-001'],
      cargoIds: null,
    });
  });

  it('escapes a quote in a string slot: a caller cannot add keys', () => {
    const text = render({ shipImo: 'X", "status": "cancelled', crewIds: [], cargoIds: [] });
    expect(JSON.parse(text)).toEqual({ shipImo: 'X", "status": "cancelled', crewIds: [], cargoIds: [] });
  });

  it('keeps numbers, booleans and JSON-valued strings in value slots; other strings are quoted', () => {
    const t = compileJsonTemplate('{"n": {{n}}, "b": {{b}}, "s": {{s}}, "j": {{j}}}');
    expect(JSON.parse(t({ n: 5, b: true, s: 'a, "x": 1', j: '7' }))).toEqual({ n: 5, b: true, s: 'a, "x": 1', j: 7 });
  });

  it('renders a template that is not JSON as plain text', () => {
    expect(compileJsonTemplate('name={{name}}&x=1')({ name: 'ada' })).toBe('name=ada&x=1');
    expect(compileJsonTemplate('SELECT ?s WHERE { ?s ?p "{{q}}" }')({ q: 'a' })).toBe('SELECT ?s WHERE { ?s ?p "a" }');
  });
});
