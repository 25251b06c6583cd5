// What our runtime logged during the run: warnings and errors, and access lines that were not 2xx.
// grep, not a JS read: a full run writes a few hundred MB of access lines.
//
// A 499 (the caller left) is expected at the end of every closed-loop run, when autocannon drops the
// connections with requests still in flight; so is a 405 to GET /mcp (the 1.x client asking for an SSE
// stream, which a stateless server does not offer). Both are counted apart from the other non-2xx answers.

import { execFileSync } from 'node:child_process';

function grep(args, file) {
  try {
    return execFileSync('grep', [...args, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  } catch (err) {
    if (err.status === 1) return ''; // no match
    throw err;
  }
}

/** The first `n` lines matching `pattern` (ERE) but not `except` (fixed string). */
function firstLines(pattern, except, file, n) {
  const script = 'grep -E -e "$1" -- "$3" | grep -v -F -e "$2" | head -n "$4"';
  const out = execFileSync('sh', ['-c', script, 'sh', pattern, except, file, String(n)], { encoding: 'utf8' });
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
  return {
    accessLines: count(access, file),
    status499: count('"status":499,', file),
    getStream405,
    non2xxOther: count(`${non2xx}.*${access}`, file) - getStream405,
    warnLines: count('"level":40', file),
    errorLines: count('"level":(50|60)', file),
    samples: firstLines(`"level":(40|50|60)|${non2xx}`, getStream, file, 5),
  };
}
