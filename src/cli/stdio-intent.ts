// Whether a capability file will speak MCP on stdout (`transport: stdio` on an MCP adapter). The CLI
// must know before it creates the logger: with stdio, stdout carries JSON-RPC frames only, so every
// log line — the load warnings included — goes to stderr, flag or no flag.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** True when the file declares an MCP adapter with `transport: stdio`. Unreadable or invalid → false (the loader reports it). */
export function declaresMcpStdio(file: string): boolean {
  let doc: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    // Parsing the whole file a second time is start-up time; without the word (or an escape that could spell
    // it in a quoted scalar) it cannot say stdio.
    if (!text.includes('stdio') && !text.includes('\\')) return false;
    doc = parse(text);
  } catch {
    return false;
  }
  const exposes = (doc as { capability?: { exposes?: unknown } } | null)?.capability?.exposes;
  if (!Array.isArray(exposes)) return false;
  return exposes.some(
    (e) =>
      typeof e === 'object' &&
      e !== null &&
      (e as Record<string, unknown>)['type'] === 'mcp' &&
      (e as Record<string, unknown>)['transport'] === 'stdio',
  );
}
