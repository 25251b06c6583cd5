// Avro and Protobuf with the engine's test schemas (test-records.avsc / .proto). The engine's AvroIntegrationTest
// and ProtobufIntegrationTest check the schemas load and ConverterTest that a missing schema is refused; here the
// bodies are encoded by avsc and protobufjs themselves and decoded by ours, to the exact JSON.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decoderFor } from './index.js';
import { decoder, failure, sample, SCHEMAS } from './test-support.js';

const RECORDS = {
  records: [
    { id: 'r1', title: 'First', description: 'one' },
    { id: 'r2', title: 'Second', description: null },
  ],
};

describe('avro decoder', () => {
  const type = avro.Type.forSchema(JSON.parse(sample('test-records.avsc').toString('utf8')) as avro.Schema);
  const decode = decoder('avro', 'test-records.avsc');

  it('reads a RecordsList written with test-records.avsc', () => {
    expect(decode(type.toBuffer(RECORDS), 'application/avro')).toEqual(RECORDS);
    expect(decode(type.toBuffer({ records: [] }), undefined)).toEqual({ records: [] });
  });

  it('maps every Avro type to JSON', () => {
    const schema = {
      type: 'record',
      name: 'All',
      fields: [
        { name: 'b', type: 'boolean' },
        { name: 'i', type: 'int' },
        { name: 'l', type: 'long' },
        { name: 'f', type: 'float' },
        { name: 'd', type: 'double' },
        { name: 'by', type: 'bytes' },
        { name: 'fx', type: { type: 'fixed', name: 'F2', size: 2 } },
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } },
        { name: 'm', type: { type: 'map', values: 'int' } },
        { name: 'u', type: ['null', 'int', 'string'] },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), 'naf-avro-'));
    writeFileSync(join(dir, 'all.avsc'), JSON.stringify(schema));
    const all = avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true });
    const value = {
      b: true,
      i: -7,
      l: 2 ** 40,
      f: 1.5,
      d: -0.25,
      by: Buffer.from('hi'),
      fx: Buffer.from([1, 2]),
      e: 'B',
      m: JSON.parse('{"x":1,"__proto__":2}') as Record<string, number>,
      u: { string: 'text' },
    };
    const json = decoder('avro', 'all.avsc', dir)(all.toBuffer(value), undefined);
    expect(JSON.stringify(json)).toBe(
      '{"b":true,"i":-7,"l":1099511627776,"f":1.5,"d":-0.25,"by":"aGk=","fx":"AQI=","e":"B","m":{"x":1,"__proto__":2},"u":"text"}',
    );
  });

  it('refuses truncated data, trailing bytes and an out-of-range union branch', () => {
    const body = type.toBuffer(RECORDS);
    expect(failure(() => decode(body.subarray(0, body.length - 3), undefined))).toMatch(/^Avro body is not valid: /);
    expect(failure(() => decode(Buffer.concat([body, Buffer.from([0])]), undefined))).toBe(
      "Avro body is not valid: 1 bytes left after the 'io.naftiko.test.RecordsList' datum",
    );
    // records: 1 item, id "", title "", description branch 5 (zig-zag 10).
    expect(failure(() => decode(Buffer.from([2, 0, 0, 10, 0]), undefined))).toMatch(
      /union branch index 5 is out of range/,
    );
  });

  it('refuses a block count far beyond the body, quickly (no allocation of 2^31 items)', () => {
    const huge = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x0f]); // zig-zag 2^31 - 1 records
    const started = Date.now();
    expect(failure(() => decode(huge, undefined))).toMatch(
      /^Avro body is not valid: more than 1000000 array or map items/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(
      failure(() => decode(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), undefined)),
    ).toMatch(/longer than 10 bytes/);
  });

  it('is refused without a readable schema (ConverterTest)', () => {
    expect(decoderFor('Avro', { baseDir: SCHEMAS, outputSchema: '' })).toEqual({
      refused: 'avro needs outputSchema: the path of its schema file, relative to the capability file',
    });
    expect(decoderFor('avro', { baseDir: SCHEMAS, outputSchema: 'does-not-exist.avsc' })).toEqual({
      refused: expect.stringMatching(/^avro outputSchema 'does-not-exist.avsc' cannot be read/),
    });
    expect(decoderFor('avro', { baseDir: SCHEMAS, outputSchema: 'sample-users.csv' })).toEqual({
      refused: expect.stringMatching(/^avro outputSchema 'sample-users.csv' is not an Avro schema/),
    });
  });
});

describe('protobuf decoder', () => {
  const root = protobuf.parse(sample('test-records.proto').toString('utf8'), { keepCase: true }).root;
  const RecordsList = root.lookupType('test.records.RecordsList');
  const decode = decoder('protobuf', 'test-records.proto');
  const encode = (value: object): Buffer => Buffer.from(RecordsList.encode(RecordsList.fromObject(value)).finish());

  it('reads a RecordsList (the first message of test-records.proto)', () => {
    const value = {
      records: [
        { id: 'r1', title: 'First', description: 'one' },
        { id: 'r2', title: 'Second', description: 'two' },
      ],
    };
    expect(decode(encode(value), 'application/x-protobuf')).toEqual(value);
    expect(decode(Buffer.from(''), undefined)).toEqual({});
  });

  it('maps enums by name, bytes to base64, 64-bit integers to numbers, maps to objects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'naf-proto-'));
    const proto = `syntax = "proto3";
package t;
enum Kind { K_NONE = 0; K_SHIP = 1; }
message Top { Kind kind = 1; bytes raw = 2; int64 big = 3; map<string, int32> counts = 4; repeated int32 nums = 5; string snake_name = 6; }`;
    writeFileSync(join(dir, 't.proto'), proto);
    const Top = protobuf.parse(proto, { keepCase: true }).root.lookupType('t.Top');
    const body = Buffer.from(
      Top.encode(
        Top.fromObject({
          kind: 'K_SHIP',
          raw: Buffer.from('hi'),
          big: 2 ** 40,
          counts: { a: 2 },
          nums: [1, 2],
          snake_name: 's',
        }),
      ).finish(),
    );
    expect(decoder('protobuf', 't.proto', dir)(body, undefined)).toEqual({
      kind: 'K_SHIP',
      raw: 'aGk=',
      big: 2 ** 40,
      counts: { a: 2 },
      nums: [1, 2],
      snake_name: 's',
    });
  });

  it('refuses bytes that are not the message', () => {
    expect(failure(() => decode(Buffer.from([0x0a, 0xff, 0xff, 0x01, 0x00]), undefined))).toMatch(
      /^Protobuf body is not valid: /,
    );
    expect(failure(() => decode(Buffer.from([0x0f, 0x01]), undefined))).toMatch(/^Protobuf body is not valid: /);
  });

  it('is refused without a readable schema, with imports, or with no message (ConverterTest)', () => {
    expect(decoderFor('Protobuf', { baseDir: SCHEMAS })).toEqual({
      refused: 'protobuf needs outputSchema: the path of its schema file, relative to the capability file',
    });
    expect(decoderFor('protobuf', { baseDir: SCHEMAS, outputSchema: 'does-not-exist.proto' })).toEqual({
      refused: expect.stringMatching(/^protobuf outputSchema 'does-not-exist.proto' cannot be read/),
    });
    const dir = mkdtempSync(join(tmpdir(), 'naf-proto-'));
    writeFileSync(join(dir, 'imp.proto'), 'syntax = "proto3";\nimport "other.proto";\nmessage A { string a = 1; }\n');
    writeFileSync(join(dir, 'none.proto'), 'syntax = "proto3";\nenum E { X = 0; }\n');
    expect(decoderFor('protobuf', { baseDir: dir, outputSchema: 'imp.proto' })).toEqual({
      refused: "protobuf outputSchema 'imp.proto' imports other files, which is not supported",
    });
    expect(decoderFor('protobuf', { baseDir: dir, outputSchema: 'none.proto' })).toEqual({
      refused: "protobuf outputSchema 'none.proto' declares no message type",
    });
  });
});
