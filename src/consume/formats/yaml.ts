// YAML → JSON, as the engine's Jackson YAML mapper reads it: the first document, plain scalars typed (numbers,
// booleans, null), a repeated key's last value wins. YAML 1.1's boolean words (yes/no/on/off/y/n) are booleans
// there too, so they are here. Aliases are bounded (no "billion laughs"); tags stay plain values; timestamps
// stay strings.

import { Lexer, parseAllDocuments, type ScalarTag } from 'yaml';
import { bodyText, checkDepth, checkSize, guarded, invalid, reasonOf, MAX_DEPTH, MIB, type Decoder } from './common.js';

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
// The yaml parser does about a MiB a second, and its tree pass is quadratic in flow nesting: both are bounded
// before it runs (block nesting costs its indentation, so the size bounds it).
const MAX_BYTES = MIB;

export const decodeYaml: Decoder = Object.assign(
  (body: Buffer, contentType: string | undefined): unknown => {
    checkSize('YAML', body, MAX_BYTES);
    return parseYaml('YAML', bodyText('YAML', body, contentType));
  },
  { accept: 'application/yaml, text/yaml;q=0.9, */*;q=0.1' },
);

/** The first document of `text` as JSON; shared with Markdown front matter. Empty → undefined. */
export function parseYaml(format: string, text: string): unknown {
  const value = guarded(format, () => {
    checkFlowDepth(format, text);
    const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, customTags: [yaml11Booleans] });
    if (!Array.isArray(docs)) return undefined;
    const first = docs[0];
    if (!first) return undefined;
    const error = first.errors[0];
    if (error) throw invalid(format, reasonOf(error));
    return first.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
  });
  checkDepth(format, value);
  return value;
}

/** Flow collections (`[`, `{`) nested deeper than MAX_DEPTH, found by the linear lexer before the parser runs. */
function checkFlowDepth(format: string, text: string): void {
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') depth++;
    else if (token === ']' || token === '}') depth--;
    if (depth > MAX_DEPTH) throw invalid(format, `nested more than ${MAX_DEPTH} levels deep`);
  }
}
