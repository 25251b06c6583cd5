// Every secret value the runtime holds (bind values, credentials, access tokens), so any text
// leaving the process — a log line, an error, a response — can be scrubbed of them.

const MASK = '[REDACTED]';
const MASK_BYTES = MASK; // ASCII: the same in latin1 and UTF-8

export class Secrets {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;
  /** The same values as their UTF-8 bytes read as latin1, for scrubbing raw bytes (any body, even binary). */
  #bytePattern: RegExp | undefined;
  #byteForms: string[] = [];

  /** Values shorter than 4 characters are not tracked: masking them would shred ordinary text. */
  add(...values: ReadonlyArray<string | undefined>): void {
    let changed = false;
    for (const v of values) {
      if (v && v.length >= 4 && !this.#values.has(v)) {
        this.#values.add(v);
        changed = true;
      }
    }
    if (changed) {
      this.#pattern = undefined;
      this.#bytePattern = undefined;
    }
  }

  redact(text: string): string {
    if (this.#values.size === 0) return text;
    this.#pattern ??= alternation(this.#forms());
    return text.replace(this.#pattern, MASK);
  }

  /** Deep copy of a JSON value with secret substrings masked. */
  redactValue<T>(value: T): T {
    if (this.#values.size === 0 || value === undefined) return value;
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }

  /** Raw bytes with every secret's UTF-8 bytes masked; other bytes (binary included) are left as they are. */
  redactBytes(bytes: Buffer): Buffer {
    if (this.#values.size === 0) return bytes;
    const text = bytes.toString('latin1');
    const out = text.replace(this.#bytes(), MASK_BYTES);
    return out === text ? bytes : Buffer.from(out, 'latin1');
  }

  /**
   * A scrubber for a body sent in chunks: a secret split across two chunks is still masked, because a
   * chunk's tail that could begin a secret is held back until the next chunk (or the end) shows it.
   */
  streamRedactor(): { push(chunk: Buffer): Buffer; end(): Buffer } {
    let held = '';
    return {
      push: (chunk) => {
        if (this.#values.size === 0 && !held) return chunk;
        const text = (held + chunk.toString('latin1')).replace(this.#bytes(), MASK_BYTES);
        const keep = this.#prefixTail(text);
        held = text.slice(text.length - keep);
        return Buffer.from(text.slice(0, text.length - keep), 'latin1');
      },
      end: () => {
        const rest = Buffer.from(held.replace(this.#bytes(), MASK_BYTES), 'latin1');
        held = '';
        return rest;
      },
    };
  }

  get size(): number {
    return this.#values.size;
  }

  /** Each value as written, and as it reads inside a JSON string or a URL when that differs. */
  #forms(): string[] {
    const forms = new Set<string>();
    for (const v of this.#values) {
      forms.add(v);
      forms.add(JSON.stringify(v).slice(1, -1));
      forms.add(encodeURIComponent(v));
    }
    return [...forms];
  }

  #bytes(): RegExp {
    if (!this.#bytePattern) {
      this.#byteForms = this.#forms().map((f) => Buffer.from(f, 'utf8').toString('latin1'));
      this.#bytePattern = alternation(this.#byteForms);
    }
    return this.#bytePattern;
  }

  /** The length of the longest tail of `text` that is a proper start of some secret. */
  #prefixTail(text: string): number {
    this.#bytes();
    let longest = 0;
    for (const f of this.#byteForms)
      for (let k = Math.min(f.length - 1, text.length); k > longest; k--)
        if (text.endsWith(f.slice(0, k))) {
          longest = k;
          break;
        }
    return longest;
  }
}

function alternation(values: readonly string[]): RegExp {
  return new RegExp(
    [...values]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|'),
    'g',
  );
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
