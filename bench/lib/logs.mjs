// What our runtime logged during the run: warnings and errors, and access lines that were not 2xx.
// grep, not a JS read: a full run writes a few hundred MB of access lines.
//
// A 499 (the caller left) is expected at the end of every closed-loop run, when autocannon drops the
// connections with requests still in flight; so is a 405 to GET /mcp (the 1.x client asking for an SSE
// stream, which a stateless server does not offer), and the one 400 of the as-shipped check (a refused input).
// They are counted apart from the other non-2xx answers.

import { execFileSync } from 'node:child_process';
import { BAD_INPUT_PATH } from './rounds.mjs';

function grep(args, file) {
  try {
    return execFileSync('grep', [...args, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  } catch (err) {
    if (err.status === 1) return ''; // no match
    throw err;
  }
}

/** The first `n` lines matching `pattern` (ERE) but neither of `except` (fixed strings). */
function firstLines(pattern, [except1, except2], file, n) {
  const script = 'grep -E -e "$1" -- "$4" | grep -v -F -e "$2" -e "$3" | head -n "$5"';
  const args = ['-c', script, 'sh', pattern, except1, except2, file, String(n)];
  const out = execFileSync('sh', args, { encoding: 'utf8' });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(0, 400));
}

const count = (pattern, file) => Number(grep(['-c', '-E', pattern], file).trim() || 0);

export function scanLog(file) {
  const access = '"msg":"request"';
  const non2xx = '"status":(1|3|4[0-8]|49[0-8]|5)[0-9]*,';
  const getStream = '"method":"GET","url":"/mcp","status":405,';
  const getStream405 = count(getStream, file);
  // The as-shipped check's refused input (bench/lib/rounds.mjs), asked for once on purpose. Access lines
  // show query names only (`?page=…`), so the match is on the path and the name.
  const badInputUrl = `"url":"${BAD_INPUT_PATH.slice(0, BAD_INPUT_PATH.indexOf('=') + 1)}`;
  const badInput400 = count(`${badInputUrl.replace(/[.?*+^$()[\]{}|\\]/g, '\\$&')}[^"]*","status":400,`, file);
  return {
    accessLines: count(access, file),
    status499: count('"status":499,', file),
    getStream405,
    badInput400,
    non2xxOther: count(`${non2xx}.*${access}`, file) - getStream405 - badInput400,
    warnLines: count('"level":40', file),
    errorLines: count('"level":(50|60)', file),
    samples: firstLines(`"level":(40|50|60)|${non2xx}`, [getStream, badInputUrl], file, 5),
  };
}
