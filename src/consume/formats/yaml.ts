// YAML → JSON, as the engine's Jackson YAML mapper reads it: the first document, plain scalars typed (numbers,
// booleans, null), a repeated key's last value wins. YAML 1.1's boolean words (yes/no/on/off/y/n) are booleans
// there too, so they are here. Aliases are bounded (no "billion laughs"); tags stay plain values; timestamps
// stay strings.

import { parseAllDocuments, type ScalarTag } from 'yaml';
import { bodyText, checkDepth, guarded, invalid, type Decoder } from './common.js';

const TRUE_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);

const yaml11Booleans: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  identify: (v) => typeof v === 'boolean',
  test: /^(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)$/,
  resolve: (s) => TRUE_WORDS.has(s),
};

// An alias re-used this often is an expansion attack, not data.
const MAX_ALIASES = 100;

export const decodeYaml: Decoder = Object.assign(
  (body: Buffer, contentType: string | undefined): unknown => parseYaml('YAML', bodyText('YAML', body, contentType)),
  { accept: 'application/yaml, text/yaml;q=0.9, */*;q=0.1' },
);

/** The first document of `text` as JSON; shared with Markdown front matter. Empty → undefined. */
export function parseYaml(format: string, text: string): unknown {
  const value = guarded(format, () => {
    const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, customTags: [yaml11Booleans] });
    if (!Array.isArray(docs)) return undefined;
    const first = docs[0];
    if (!first) return undefined;
    const error = first.errors[0];
    if (error) throw invalid(format, error.message);
    return first.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
  });
  checkDepth(format, value);
  return value;
}
