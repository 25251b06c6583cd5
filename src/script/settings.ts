// The control adapter's `management.scripting` block, read once at load into plain settings with the reference
// engine's defaults (ScriptingManagementSpec: timeout 60 000 ms, statementLimit 100 000, every language allowed,
// enabled unless NAFTIKO_SCRIPTING=false). The memory and result bounds are ours: the engine has none.

export type ScriptLanguage = 'javascript' | 'python' | 'groovy';

export interface ScriptingSettings {
  /** `enabled` from the block; when the block leaves it out, NAFTIKO_SCRIPTING=false turns scripting off. */
  readonly enabled: boolean;
  /** Where `enabled` came from, so a refusal can say how to turn scripting on. */
  readonly enabledFrom: 'block' | 'env' | 'default';
  readonly defaultLocation?: string;
  readonly defaultLanguage?: string;
  /** CPU time one script call may use, in milliseconds. */
  readonly timeoutMs: number;
  /** The engine's statement budget; enforced approximately (see docs/scripts.md). */
  readonly statementLimit: number;
  /** Empty: every language the runtime supports. */
  readonly allowedLanguages: readonly string[];
  /** Heap one script call may allocate inside the sandbox. */
  readonly memoryLimitBytes: number;
  /** Largest JSON text a script may return (UTF-16 code units). */
  readonly maxResultChars: number;
}

export const SCRIPT_DEFAULTS = {
  timeoutMs: 60_000,
  statementLimit: 100_000,
  memoryLimitBytes: 64 * 1024 * 1024,
  maxResultChars: 4 * 1024 * 1024,
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the first control adapter's `management.scripting`; absent or malformed fields take the defaults. */
export function scriptingSettings(doc: unknown, env: Env = process.env): ScriptingSettings {
  const block = scriptingBlock(doc);
  const declared = typeof block?.['enabled'] === 'boolean' ? block['enabled'] : undefined;
  const envOff = env['NAFTIKO_SCRIPTING']?.toLowerCase() === 'false';
  const enabledFrom = declared !== undefined ? 'block' : envOff ? 'env' : 'default';
  const defaultLocation = nonBlank(block?.['defaultLocation']);
  const defaultLanguage = nonBlank(block?.['defaultLanguage']);
  return {
    enabled: declared ?? !envOff,
    enabledFrom,
    ...(defaultLocation !== undefined ? { defaultLocation } : {}),
    ...(defaultLanguage !== undefined ? { defaultLanguage } : {}),
    timeoutMs: positiveInt(block?.['timeout']) ?? SCRIPT_DEFAULTS.timeoutMs,
    statementLimit: positiveInt(block?.['statementLimit']) ?? SCRIPT_DEFAULTS.statementLimit,
    allowedLanguages: Array.isArray(block?.['allowedLanguages'])
      ? block['allowedLanguages'].filter((l): l is string => typeof l === 'string')
      : [],
    memoryLimitBytes: SCRIPT_DEFAULTS.memoryLimitBytes,
    maxResultChars: SCRIPT_DEFAULTS.maxResultChars,
  };
}

type Rec = Record<string, unknown>;

function rec(value: unknown): Rec | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rec) : undefined;
}

function scriptingBlock(doc: unknown): Rec | undefined {
  const exposes = rec(rec(doc)?.['capability'])?.['exposes'];
  if (!Array.isArray(exposes)) return undefined;
  for (const entry of exposes) {
    const adapter = rec(entry);
    if (adapter?.['type'] !== 'control') continue;
    const block = rec(rec(adapter['management'])?.['scripting']);
    if (block) return block;
  }
  return undefined;
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
