// The URL an access line shows: query values (emails, ids a caller searched for) are personal data and are
// dropped unless the operator asked for debug logs; the names stay, so a line still says what was asked.

/** `/x?email=ada%40example.com&page=2` → `/x?email=…&page=…` (the whole URL at debug level). */
export function accessLogUrl(url: string, debug: boolean): string {
  const q = url.indexOf('?');
  if (debug || q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? pair : `${pair.slice(0, eq)}=…`;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}
