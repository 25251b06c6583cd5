import { describe, expect, it } from 'vitest';
import { bracketVariables, mustacheNames, pathPlaceholders, routeShape, templateProblem } from './templates.js';

describe('templates', () => {
  it('reads {x} and {{x}} as the same placeholder, remembering which form was used', () => {
    expect(pathPlaceholders('/a/{id}/b/{{ key }}')).toEqual([
      { name: 'id', single: true },
      { name: 'key', single: false },
    ]);
  });

  it('finds Mustache names, section sigils removed', () => {
    expect(mustacheNames('Bearer {{env.TOKEN}} {{#list}}')).toEqual(['env.TOKEN', 'list']);
  });

  it.each([
    ['{{id}}', undefined],
    ['a {{b}} c {{d.e}}', undefined],
    ['{{id', "has 1 '{{' but 0 '}}'"],
    ['{{}}', 'has an empty {{}}'],
    ['{{a b}}', "names 'a b', which is not a variable name"],
  ])('templateProblem(%j) = %j', (text, problem) => {
    expect(templateProblem(text)).toBe(problem);
  });

  it('finds [name] variables in a base URI', () => {
    expect(bracketVariables('https://[tenant_id].logto.app/[region]')).toEqual(['tenant_id', 'region']);
  });

  it('shapes routes so that placeholder names and trailing slashes do not distinguish them', () => {
    expect(routeShape('/items/{id}/')).toBe(routeShape('/items/{{key}}'));
    expect(routeShape('/')).toBe('/');
  });
});
