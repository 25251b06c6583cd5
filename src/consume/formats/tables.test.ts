// HTML and Markdown → the engine's table contract. Scenarios from the engine's HtmlIntegrationTest,
// MarkdownIntegrationTest and ConverterTest (convertHtmlAndMarkdownShouldProduceSameTableContract,
// convertHtmlToJsonShouldApplyCssSelectorScoping, convertMarkdownToJsonShouldExtractFrontMatterTablesAndSections,
// convertToJsonShouldSupportHtmlAndMarkdownFormats, convertHtmlToJsonShouldSkipRowsContainingThElements,
// convertMarkdownToJsonShouldFilterSectionsByHeadingPrefix, convertMarkdownToJsonWithNullFilterShouldReturnAllSections).

import { describe, expect, it } from 'vitest';
import { decoderFor } from './index.js';
import { decode, failure, sample, SCHEMAS } from './test-support.js';

const PRODUCTS = [
  { Name: 'Widget', Price: '$42', Stock: '150' },
  { Name: 'Gadget', Price: '$99', Stock: '30' },
];

describe('html decoder', () => {
  it('reads sample-products.html scoped by outputSchema', () => {
    expect(decode('html', sample('sample-products.html'), 'table.products')).toEqual({ tables: [PRODUCTS] });
    expect(decode('html', sample('sample-products.html'), 'section.inventory')).toEqual({ tables: [PRODUCTS] });
    expect(decode('html', sample('sample-products.html'), 'table.other')).toEqual({ tables: [] });
  });

  it('gives the same tables as Markdown for the same data', () => {
    const html = `<table>
      <thead><tr><th>Name</th><th>Price</th><th>Stock</th></tr></thead>
      <tbody><tr><td>Widget</td><td>$42</td><td>150</td></tr><tr><td>Gadget</td><td>$99</td><td>30</td></tr></tbody>
    </table>`;
    const markdown =
      '| Name | Price | Stock |\n|------|-------|-------|\n| Widget | $42 | 150 |\n| Gadget | $99 | 30 |\n';
    expect(decode('html', html)).toEqual({ tables: [PRODUCTS] });
    expect((decode('markdown', markdown) as { tables: unknown }).tables).toEqual([PRODUCTS]);
  });

  it('keeps only the selected table', () => {
    const html = `<div>
      <table class="ignored"><tr><th>Name</th><th>Stock</th></tr><tr><td>Ignored</td><td>0</td></tr></table>
      <table class="products"><tr><th>Name</th><th>Stock</th></tr><tr><td>Kept</td><td>42</td></tr></table>
    </div>`;
    expect(decode('html', html, 'table.products')).toEqual({ tables: [[{ Name: 'Kept', Stock: '42' }]] });
    expect(decode('html', html)).toEqual({
      tables: [[{ Name: 'Ignored', Stock: '0' }], [{ Name: 'Kept', Stock: '42' }]],
    });
  });

  it('reads a table without thead or tbody, skipping rows that hold a th', () => {
    expect(decode('html', '<table><tr><th>Name</th></tr><tr><td>Alice</td></tr></table>')).toEqual({
      tables: [[{ Name: 'Alice' }]],
    });
    const html = `<table><tr><th>Name</th><th>Price</th></tr><tr><th>Widget</th><td>$42</td></tr>
      <tr><td>Gadget</td><td>$99</td></tr></table>`;
    expect(decode('html', html)).toEqual({ tables: [[{ Name: 'Gadget', Price: '$99' }]] });
  });

  it('normalises cell text; a missing cell is ""; a table without headers is skipped', () => {
    const html = `<table><tr><th> Full&nbsp; name </th><th>Note</th></tr>
      <tr><td>  Ada <b>King</b><br>Lovelace </td></tr></table><table><tr><td>x</td></tr></table>`;
    expect(decode('html', html)).toEqual({ tables: [[{ 'Full name': 'Ada King Lovelace', Note: '' }]] });
  });

  it('refuses a selector that is not CSS, when the decoder is made', () => {
    const made = decoderFor('html', { baseDir: SCHEMAS, outputSchema: 'table[' });
    expect(made).toEqual({ refused: expect.stringMatching(/^html outputSchema 'table\[' is not a CSS selector: /) });
  });

  it('refuses nesting deeper than 512 elements and binary garbage', () => {
    expect(failure(() => decode('html', '<div>'.repeat(20_000)))).toBe(
      'HTML body is not valid: elements nested more than 512 levels deep',
    );
    expect(failure(() => decode('html', Buffer.from([0xc3, 0x28, 0xa0, 0xa1])))).toBe(
      'HTML body is not valid: the bytes are not utf-8 text',
    );
  });
});

describe('markdown decoder', () => {
  it('reads sample-readme.md', () => {
    expect(decode('markdown', sample('sample-readme.md'))).toEqual({
      frontMatter: { title: 'Product Release Notes', version: '2.1.0' },
      tables: [
        [
          { Feature: 'HTML support', Status: 'GA' },
          { Feature: 'Markdown support', Status: 'Beta' },
        ],
      ],
      sections: [{ heading: 'Overview', level: 2, content: 'This release introduces table extraction for markdown.' }],
    });
  });

  it('extracts front matter, tables and sections, dropping markup', () => {
    const markdown = `---
title: Release Notes
version: 2.1.0
---

## Overview
This **release** introduces [new features](https://example.com).

| Feature | Status |
|---------|--------|
| Search  | GA     |
`;
    expect(decode('markdown', markdown)).toEqual({
      frontMatter: { title: 'Release Notes', version: '2.1.0' },
      tables: [[{ Feature: 'Search', Status: 'GA' }]],
      sections: [{ heading: 'Overview', level: 2, content: 'This release introduces new features.' }],
    });
  });

  it('joins blocks with newlines, soft breaks with spaces; inline code kept, code blocks and HTML dropped', () => {
    const markdown =
      '# Title\nfirst line\nsecond `line`  \nhard\n\n- item one\n- item ![alt](x.png)\n\n```\ncode\n```\n\n<div>html</div>\n\n# Empty\n';
    expect((decode('markdown', markdown) as { sections: unknown }).sections).toEqual([
      // A list is one block: its items' text runs together, as the engine's visitor collects it.
      { heading: 'Title', level: 1, content: 'first line second line\nhard\nitem oneitem alt' },
      { heading: 'Empty', level: 1, content: '' },
    ]);
  });

  it('filters sections by heading prefix; without a filter every section is kept', () => {
    const markdown =
      '## Overview\nGeneral introduction.\n\n## API Reference\nDetails about the API.\n\n## API Usage\nHow to use the API.\n';
    const headings = (schema?: string): unknown =>
      (decode('markdown', markdown, schema) as { sections: Array<{ heading: string }> }).sections.map((s) => s.heading);
    expect(headings('API')).toEqual(['API Reference', 'API Usage']);
    expect(headings()).toEqual(['Overview', 'API Reference', 'API Usage']);
    // The schema's own example form: `## ` names the level too.
    expect(headings('## API U')).toEqual(['API Usage']);
    expect(headings('# API')).toEqual([]);
  });

  it('reads no front matter when the block is not closed, and refuses malformed front matter', () => {
    expect((decode('markdown', '---\ntitle: x\n# Head\n') as { frontMatter: unknown }).frontMatter).toEqual({});
    expect(failure(() => decode('markdown', '---\ntitle: [x\n---\nbody\n'))).toMatch(
      /^Markdown front matter body is not valid: /,
    );
  });

  it('refuses blockquotes nested deeper than 128 levels', () => {
    expect(failure(() => decode('markdown', `${'>'.repeat(5_000)} deep\n`))).toMatch(
      /^Markdown body is not valid: (blocks )?nested more than 128 levels deep/,
    );
  });
});
