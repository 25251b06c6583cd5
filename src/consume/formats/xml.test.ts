// XML as the engine's Jackson XmlMapper reads it. Scenarios from the engine's XmlIntegrationTest,
// ConverterTest.convertToJsonShouldSupportXmlYamlAndCsvFormats, RestXmlOutputFormatIntegrationTest and
// McpXmlOutputIntegrationTest (ikanos v1.0.0-alpha2), plus hostile bodies.

import { describe, expect, it } from 'vitest';
import { decode, decoder, failure, sample } from './test-support.js';

const xml = (body: string | Buffer): unknown => decode('xml', body);

describe('xml decoder', () => {
  it('drops the root and turns repeated elements into an array (sample-users.xml)', () => {
    expect(xml(sample('sample-users.xml'))).toEqual({
      user: [
        { id: '1', name: 'Alice Smith', email: 'alice@example.com' },
        { id: '2', name: 'Bob Johnson', email: 'bob@example.com' },
        { id: '3', name: 'Carol White', email: 'carol@example.com' },
      ],
    });
  });

  it('maps the legacy vessel list so $.vessel is the array (RestXmlOutputFormatIntegrationTest)', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<vessels>
  <vessel>
    <vesselCode>V001</vesselCode>
    <vesselName>Sea Eagle</vesselName>
  </vessel>
  <vessel>
    <vesselCode>V002</vesselCode>
    <vesselName>Harbor Star</vesselName>
  </vessel>
</vessels>
`;
    expect(xml(body)).toEqual({
      vessel: [
        { vesselCode: 'V001', vesselName: 'Sea Eagle' },
        { vesselCode: 'V002', vesselName: 'Harbor Star' },
      ],
    });
  });

  it('reads a one-field document (ConverterTest)', () => {
    expect(xml('<root><name>Alice</name></root>')).toEqual({ name: 'Alice' });
  });

  it('keeps numbers as strings, a single element as an object, an empty one as ""', () => {
    expect(xml('<r><n>42</n><one><a>1</a></one><e/><f></f></r>')).toEqual({ n: '42', one: { a: '1' }, e: '', f: '' });
  });

  it('maps attributes to plain keys and text beside them to the key ""', () => {
    expect(xml('<r id="7"><price currency="USD">9.99</price><tag kind="x"/></r>')).toEqual({
      id: '7',
      price: { currency: 'USD', '': '9.99' },
      tag: { kind: 'x' },
    });
  });

  it('groups a repeated name at its first position, whatever comes between', () => {
    expect(xml('<r><a>1</a><b>x</b><a>2</a><a>3</a></r>')).toEqual({ a: ['1', '2', '3'], b: 'x' });
    expect(Object.keys(xml('<r><a>1</a><b>x</b><a>2</a></r>') as object)).toEqual(['a', 'b']);
  });

  it('keeps mixed-content text under "" and the root text of a text-only document', () => {
    expect(xml('<p>Hello <b>bold</b> world</p>')).toEqual({ '': ['Hello ', ' world'], b: 'bold' });
    expect(xml('<r>only text</r>')).toEqual({ '': 'only text' });
    expect(xml('<r/>')).toEqual({});
  });

  it('drops namespace prefixes and xmlns declarations; xsi:nil="true" is null', () => {
    const body =
      '<s:Envelope xmlns:s="urn:soap" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<s:Body s:id="b1"><m:Item xmlns:m="urn:m">A</m:Item><m:None xmlns:m="urn:m" xsi:nil="true"/></s:Body>' +
      '</s:Envelope>';
    expect(xml(body)).toEqual({ Body: { id: 'b1', Item: 'A', None: null } });
  });

  it('decodes entities, character references and CDATA as text', () => {
    expect(xml('<r><a>x &amp; y &#65;&#x42;</a><c><![CDATA[<not-a-tag> & ]]></c></r>')).toEqual({
      a: 'x & y AB',
      c: '<not-a-tag> & ',
    });
  });

  it('reads the charset of the Content-Type, else the XML declaration', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><r><city>Zürich</city></r>', 'latin1');
    expect(decoder('xml')(latin1, undefined)).toEqual({ city: 'Zürich' });
    const utf16 = Buffer.from('\ufeff<r><a>ü</a></r>', 'utf16le');
    expect(decoder('xml')(utf16, 'application/xml; charset=utf-16le')).toEqual({ a: 'ü' });
  });

  it('treats __proto__ and constructor as plain keys', () => {
    const value = xml('<r><__proto__><polluted>yes</polluted></__proto__><constructor>c</constructor></r>') as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(value))).toEqual(JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":"c"}'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses an entity the document defines: billion laughs is not expanded', () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const body = `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]><lolz>&lol9;</lolz>`;
    const started = Date.now();
    expect(failure(() => xml(body))).toMatch(/^XML body is not valid: .*undefined entity/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses an external entity (nothing is read from disk)', () => {
    const body = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    expect(failure(() => xml(body))).toMatch(/undefined entity/);
  });

  it('refuses malformed XML with the position', () => {
    expect(failure(() => xml('<a><b></a>'))).toBe('XML body is not valid: 1:10: unexpected close tag.');
    expect(failure(() => xml('<a><b>'))).toMatch(/^XML body is not valid: .*unclosed tag: b/);
    expect(failure(() => xml('just text'))).toMatch(/^XML body is not valid: /);
    expect(failure(() => xml('<a></a><b></b>'))).toMatch(/^XML body is not valid: /);
  });

  it('refuses bytes that are not text', () => {
    const garbage = Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x00, 0x80, 0x3c, 0x2f, 0x61, 0x3e]);
    expect(failure(() => xml(garbage))).toBe('XML body is not valid: the bytes are not utf-8 text');
  });

  it('refuses nesting deeper than 128 levels, quickly', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    expect(failure(() => xml(deep))).toBe('XML body is not valid: nested more than 128 levels deep');
    const ok = '<a>'.repeat(128) + 'x' + '</a>'.repeat(128);
    expect(() => xml(ok)).not.toThrow();
  });

  it('asks for XML when the operation sets no Accept header', () => {
    expect(decoder('xml').accept).toMatch(/^application\/xml/);
  });
});
