#!/usr/bin/env node
// The `runtime` executable. Kept to this: the compile cache must be on before the rest of the CLI is loaded, so
// everything else is imported after it (in the bundle, dist/cli.js is this file and the rest are its chunks).
import { enableCompileCache } from './cli/compile-cache.js';

enableCompileCache();
const { main } = await import('./cli/main.js');
const { processIO } = await import('./cli/io.js');

process.exitCode = await main(process.argv.slice(2), processIO());
