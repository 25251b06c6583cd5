// A JSON request body → `in: body` parameters: one per property when every property is typed and named
// as alpha2 allows; otherwise one `body` parameter that is the whole body, its fields listed in its description.

import type { ImportedOperation, ImportedParam } from './model.js';
import { inputType, isJsonMedia, PARAMETER_NAME, rec, schemaType, str } from './names.js';

type Rec = Record<string, unknown>;

export interface ImportedBody {
  readonly mode: ImportedOperation['body'];
  readonly params: ImportedParam[];
}

export function bodyOf(
  where: string,
  requestBody: Rec | undefined,
  taken: ReadonlySet<string>,
  warnings: string[],
): ImportedBody {
  const content = rec(requestBody?.['content']);
  if (!requestBody || !content || Object.keys(content).length === 0) return { mode: 'none', params: [] };
  const media = Object.keys(content).find(isJsonMedia);
  if (!media) {
    warnings.push(
      `${where}: request body (${Object.keys(content).join(', ')}) not imported: the runtime sends JSON bodies; add a body template by hand`,
    );
    return { mode: 'none', params: [] };
  }
  const schema = rec(rec(content[media])?.['schema']) ?? {};
  const required = requestBody['required'] === true;
  const props = objectProperties(schema);
  const fields = props ? Object.entries(props.properties).filter(([, p]) => rec(p)?.['readOnly'] !== true) : [];
  const untyped = fields.filter(([, p]) => schemaType(p) === undefined).map(([n]) => n);
  const clash = fields.filter(([n]) => taken.has(n) || !PARAMETER_NAME.test(n)).map(([n]) => n);
  if (!props || fields.length === 0 || untyped.length > 0 || clash.length > 0) {
    if (untyped.length > 0) {
      warnings.push(`${where}: body properties without a type (${untyped.join(', ')}): imported as one 'body' object`);
    }
    if (clash.length > 0) {
      warnings.push(
        `${where}: body properties ${clash.join(', ')} clash with a parameter or are not valid names: imported as one 'body' object`,
      );
    }
    return { mode: 'whole', params: [wholeBody(schema, requestBody, fields, required)] };
  }
  const params = fields.map(([name, p]): ImportedParam => {
    const description = str(rec(p)?.['description'])?.trim();
    return {
      name,
      in: 'body',
      type: inputType(p),
      required: props.required.has(name),
      ...(description ? { description } : {}),
    };
  });
  return { mode: params.length === 1 ? 'template' : 'fields', params };
}

function wholeBody(schema: Rec, requestBody: Rec, fields: Array<[string, unknown]>, required: boolean): ImportedParam {
  const own = str(requestBody['description'])?.trim() ?? str(schema['description'])?.trim();
  const listed = fields.map(([name, p]) => {
    const d = str(rec(p)?.['description'])?.trim();
    return d ? `${name} — ${d.replace(/\.$/, '')}` : name;
  });
  const description = [own ?? 'Request body (JSON).', ...(listed.length ? [`Fields: ${listed.join('; ')}`] : [])].join(
    ' ',
  );
  return {
    name: 'body',
    in: 'body',
    type: inputType(schema) === 'string' && !schema['type'] ? 'object' : inputType(schema),
    required,
    description,
  };
}

/** An object schema's properties and required names, `allOf` parts merged. */
function objectProperties(schema: Rec): { properties: Rec; required: Set<string> } | undefined {
  const parts = [schema, ...(Array.isArray(schema['allOf']) ? (schema['allOf'] as unknown[]).map(rec) : [])];
  const properties: Rec = {};
  const required = new Set<string>();
  for (const part of parts) {
    Object.assign(properties, rec(part?.['properties']) ?? {});
    for (const r of Array.isArray(part?.['required']) ? (part['required'] as unknown[]) : []) {
      if (typeof r === 'string') required.add(r);
    }
  }
  if (schemaType(schema) !== 'object' || Object.keys(properties).length === 0) return undefined;
  return { properties, required };
}
