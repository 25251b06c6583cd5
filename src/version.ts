// The runtime's own version (package.json), read once: `--version`, MCP serverInfo.version, banners.

import { readFileSync } from 'node:fs';

/** `0.1.0`: src/version.ts and dist/version.js both sit one level below package.json. */
export const RUNTIME_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
