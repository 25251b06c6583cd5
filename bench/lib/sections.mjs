// Sections of bench/RESULTS.md written by other bench scripts (bench/contracts.mjs), kept between markers
// so that a full `npm run bench`, which rewrites the file, carries them over.

export const CONTRACTS_BEGIN = '<!-- bench/contracts.mjs: begin -->';
export const CONTRACTS_END = '<!-- bench/contracts.mjs: end -->';

/** `text` with its marked section replaced by `section` (appended when there is none). */
export function spliceSection(text, section) {
  const start = text.indexOf(CONTRACTS_BEGIN);
  const end = text.indexOf(CONTRACTS_END);
  if (start < 0 || end < start) return `${text.replace(/\n*$/, '\n')}\n${section}\n`;
  return `${text.slice(0, start)}${section}${text.slice(end + CONTRACTS_END.length)}`;
}

/** The marked section of `text`, or '' (for a full run to keep). */
export function sectionOf(text) {
  const start = text.indexOf(CONTRACTS_BEGIN);
  const end = text.indexOf(CONTRACTS_END);
  return start < 0 || end < start ? '' : text.slice(start, end + CONTRACTS_END.length);
}
