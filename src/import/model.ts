// What an OpenAPI import produces before it is written out: one consumed namespace, in alpha2's terms.

export type ParamIn = 'path' | 'query' | 'header' | 'cookie' | 'body';

export interface ImportedParam {
  readonly name: string;
  readonly in: ParamIn;
  readonly type: string;
  readonly required: boolean;
  readonly description?: string;
}

export interface ImportedOutput {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

export interface ImportedOperation {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly label?: string;
  readonly description?: string;
  readonly params: readonly ImportedParam[];
  /**
   * How the JSON request body is sent: `fields` — one `in: body` parameter per property (several form the
   * object); `template` — one property, sent as `{name: value}` through a `body` template (a lone `in: body`
   * parameter would be the whole body); `whole` — a single `body` parameter is the body.
   */
  readonly body: 'none' | 'fields' | 'template' | 'whole';
  /** The 2xx response is JSON: the operation says `outputRawFormat: json`. */
  readonly json: boolean;
  readonly outputs: readonly ImportedOutput[];
}

export interface ImportedResource {
  readonly name: string;
  readonly path: string;
  readonly operations: ImportedOperation[];
}

export type ImportedAuth =
  | { readonly type: 'apikey'; readonly key: string; readonly placement: 'header' | 'query'; readonly variable: string }
  | { readonly type: 'bearer'; readonly variable: string }
  | { readonly type: 'basic' | 'digest'; readonly variables: readonly [string, string] };

export interface ImportedApi {
  readonly namespace: string;
  readonly label: string;
  readonly description: string;
  readonly baseUri: string;
  readonly auth?: ImportedAuth;
  readonly resources: readonly ImportedResource[];
  readonly warnings: readonly string[];
}
