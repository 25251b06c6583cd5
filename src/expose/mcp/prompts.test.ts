// Placeholder filling, ported as facts from the engine's PromptHandlerTest / ResourcesPromptsIntegrationTest
// (PromptHandler.substitute), naftiko/ikanos v1.0.0-alpha2.

import { describe, expect, it } from 'vitest';
import { fill } from './prompts.js';

const values = (o: Record<string, string>) => new Map(Object.entries(o));

describe('fill', () => {
  it('fills every placeholder', () => {
    expect(fill('Name: {{first}} {{last}}, Age: {{age}}', values({ first: 'John', last: 'Doe', age: '30' }))).toBe(
      'Name: John Doe, Age: 30',
    );
  });

  it('leaves a placeholder without a value as written', () => {
    expect(fill('Hello {{name}} from {{team}}!', values({ name: 'Alice' }))).toBe('Hello Alice from {{team}}!');
  });

  it('never fills a placeholder that comes from a value', () => {
    expect(fill('{{greeting}} there', values({ greeting: 'Hi {{admin}}', admin: 'root' }))).toBe('Hi {{admin}} there');
  });

  it('keeps $ and backslashes literal', () => {
    expect(fill('Path: {{value}}', values({ value: 'C:\\Users\\$HOME $& $1' }))).toBe('Path: C:\\Users\\$HOME $& $1');
  });

  it('reads names with - and * (IdentifierExtended), and no spaces inside the braces', () => {
    expect(fill('{{product-name}} {{ name }}', values({ 'product-name': 'Naftiko', name: 'x' }))).toBe(
      'Naftiko {{ name }}',
    );
  });
});
