// Every secret value the runtime holds (bind values, credentials, access tokens), so any text
// leaving the process — a log line, an error, a response — can be scrubbed of them.

const MASK = '[REDACTED]';

export class Secrets {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;

  /** Values shorter than 4 characters are not tracked: masking them would shred ordinary text. */
  add(...values: ReadonlyArray<string | undefined>): void {
    let changed = false;
    for (const v of values) {
      if (v && v.length >= 4 && !this.#values.has(v)) {
        this.#values.add(v);
        changed = true;
      }
    }
    if (changed) this.#pattern = undefined;
  }

  redact(text: string): string {
    if (this.#values.size === 0) return text;
    this.#pattern ??= new RegExp(
      [...this.#values]
        .sort((a, b) => b.length - a.length)
        .map(escape)
        .join('|'),
      'g',
    );
    return text.replace(this.#pattern, MASK);
  }

  /** Deep copy of a JSON value with secret substrings masked. */
  redactValue<T>(value: T): T {
    if (this.#values.size === 0 || value === undefined) return value;
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }

  get size(): number {
    return this.#values.size;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
