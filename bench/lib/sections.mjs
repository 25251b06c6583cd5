// Sections of bench/RESULTS.md that a full `npm run bench` (which rewrites the file) carries over: each sits
// between `<!-- NAME: begin -->` and `<!-- NAME: end -->` markers. bench/contracts.mjs writes one with its own
// measurements; notes written by hand (what a change did, with its before/after figures) can use any NAME.

export const CONTRACTS_BEGIN = '<!-- bench/contracts.mjs: begin -->';
export const CONTRACTS_END = '<!-- bench/contracts.mjs: end -->';

/** `text` with its contracts section replaced by `section` (appended when there is none). */
export function spliceSection(text, section) {
  const start = text.indexOf(CONTRACTS_BEGIN);
  const end = text.indexOf(CONTRACTS_END);
  if (start < 0 || end < start) return `${text.replace(/\n*$/, '\n')}\n${section}\n`;
  return `${text.slice(0, start)}${section}${text.slice(end + CONTRACTS_END.length)}`;
}

/** Every marked section of `text`, in order, joined by a blank line ('' when there is none). */
export function keptSections(text) {
  const out = [];
  for (const m of text.matchAll(/<!-- (.+?): begin -->/g)) {
    const endMarker = `<!-- ${m[1]}: end -->`;
    const end = text.indexOf(endMarker, m.index);
    if (end > m.index) out.push(text.slice(m.index, end + endMarker.length));
  }
  return out.join('\n\n');
}
