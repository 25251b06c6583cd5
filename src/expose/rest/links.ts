// Upstream `Link` headers point at the upstream's own paths; rewrite them to the route the
// caller used, keeping the upstream query (page, page_size, filters) and the rel.

export function rewriteLinks(link: string, publicBase: string): string {
  return link
    .split(/,(?=\s*<)/)
    .map((entry) => {
      const m = /^\s*<([^>]*)>(.*)$/s.exec(entry);
      if (!m) return entry.trim();
      const [, target = '', params = ''] = m;
      let search: string;
      try {
        search = new URL(target, 'http://upstream.invalid').search;
      } catch {
        return entry.trim();
      }
      return `<${publicBase}${search}>${params}`;
    })
    .join(', ');
}
