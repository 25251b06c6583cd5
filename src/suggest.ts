// "Did you mean …?" for names a user types: flags, commands, namespaces, variables.

/** The known name nearest to a mistyped one, if it is near enough to be what was meant. */
export function suggest(given: string, known: readonly string[]): string | undefined {
  const g = given.replace(/^-+/, '').toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    if (name.length === 1) continue;
    const n = name.toLowerCase();
    // A prefix (`--rest` → `--rest-port`) or the name with its words swapped (`--port-rest`) counts as near.
    const d =
      n.startsWith(g) && g.length >= 3
        ? 1
        : g.split(/[-_]/).sort().join('-') === n.split('-').sort().join('-')
          ? 1
          : distance(g, n);
    if (!best || d < best.d) best = { name, d };
  }
  if (!best) return undefined;
  return best.d <= Math.max(2, Math.floor(g.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  return (d[a.length] as number[])[b.length] as number;
}
