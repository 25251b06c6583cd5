// A handful of validators that report problems exactly as zod 3.24 (the version Logto core pins)
// does: same issue codes, key order and default messages, so `data.issues` and `details` of a
// `guard.invalid_input` error match the real server (contract §1.3). zod 4 words them differently.

export type Path = ReadonlyArray<string | number>;
export type Issue = { code: string; path: Array<string | number>; message: string } & Record<string, unknown>;

/** Parses `input`, appending issues; the returned value is meaningful only when no issue was added. */
export type Validator<T> = (input: unknown, path: Path, issues: Issue[]) => T;

function parsedType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
  return typeof value;
}

// zod 3 builds `{...issueData, path, message}`: a `message: undefined` key in issueData keeps its slot.
function issue(issues: Issue[], path: Path, data: Record<string, unknown>, message: string): void {
  issues.push({ ...data, path: [...path], message } as Issue);
}

function invalidType(issues: Issue[], path: Path, expected: string, value: unknown): void {
  const received = parsedType(value);
  const message = received === 'undefined' ? 'Required' : `Expected ${expected}, received ${received}`;
  issue(issues, path, { code: 'invalid_type', expected, received }, message);
}

export function string(rules: { min?: number; max?: number; regex?: RegExp } = {}): Validator<string> {
  return (input, path, issues) => {
    if (typeof input !== 'string') {
      invalidType(issues, path, 'string', input);
      return '';
    }
    const bounds = { type: 'string', inclusive: true, exact: false, message: undefined };
    if (rules.min !== undefined && input.length < rules.min) {
      const message = `String must contain at least ${rules.min} character(s)`;
      issue(issues, path, { code: 'too_small', minimum: rules.min, ...bounds }, message);
    }
    if (rules.max !== undefined && input.length > rules.max) {
      const message = `String must contain at most ${rules.max} character(s)`;
      issue(issues, path, { code: 'too_big', maximum: rules.max, ...bounds }, message);
    }
    if (rules.regex && !rules.regex.test(input)) {
      issue(issues, path, { validation: 'regex', code: 'invalid_string', message: undefined }, 'Invalid');
    }
    return input;
  };
}

export function number(rules: { min?: number } = {}): Validator<number> {
  return (input, path, issues) => {
    if (typeof input !== 'number' || Number.isNaN(input)) {
      invalidType(issues, path, 'number', input);
      return 0;
    }
    if (rules.min !== undefined && input < rules.min) {
      const data = { code: 'too_small', minimum: rules.min, type: 'number', inclusive: true, exact: false };
      issue(issues, path, { ...data, message: undefined }, `Number must be greater than or equal to ${rules.min}`);
    }
    return input;
  };
}

/** zod 3 `nativeEnum` over string values. */
export function enumOf<const T extends string>(values: readonly T[]): Validator<T> {
  const joined = values.map((v) => `'${v}'`).join(' | ');
  return (input, path, issues) => {
    if (typeof input !== 'string' && typeof input !== 'number') {
      invalidType(issues, path, joined, input);
      return values[0]!;
    }
    if (!(values as readonly unknown[]).includes(input)) {
      const message = `Invalid enum value. Expected ${joined}, received '${String(input)}'`;
      issue(issues, path, { received: input, code: 'invalid_enum_value', options: [...values] }, message);
    }
    return input as T;
  };
}

export function array<T>(item: Validator<T>): Validator<T[]> {
  return (input, path, issues) => {
    if (!Array.isArray(input)) {
      invalidType(issues, path, 'array', input);
      return [];
    }
    return input.map((element: unknown, index) => item(element, [...path, index], issues));
  };
}

export function optional<T>(inner: Validator<T>): Validator<T | undefined> {
  return (input, path, issues) => (input === undefined ? undefined : inner(input, path, issues));
}

type Shape = Record<string, Validator<unknown>>;
type Out<V> = V extends Validator<infer T> ? T : never;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Out<S[K]> ? K : never }[keyof S];
type Output<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Out<S[K]> } & {
  [K in OptionalKeys<S>]?: Exclude<Out<S[K]>, undefined>;
};

/** A non-strict zod object: unknown keys are stripped, keys come out in shape order, absent optionals are left out. */
export function object<S extends Shape>(shape: S): Validator<Output<S>> {
  return (input, path, issues) => {
    if (parsedType(input) !== 'object') {
      invalidType(issues, path, 'object', input);
      return {} as Output<S>;
    }
    const source = input as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, validate] of Object.entries(shape)) {
      const value = validate(source[key], [...path, key], issues);
      if (value !== undefined) out[key] = value;
    }
    return out as Output<S>;
  };
}

/** zod 3 issues as Logto's `formatZodError` renders them into `details`. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((i) => {
      const base = `Error in key path "${i.path.map(String).join('.')}": (${i.code}) `;
      return i.code === 'invalid_type'
        ? `${base}Expected ${String(i.expected)} but received ${String(i.received)}.`
        : base + i.message;
    })
    .join('\n');
}
