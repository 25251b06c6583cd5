// The capability and upstream contract the contracts tests serve.

import { resolve } from 'node:path';

export const OPENAPI = resolve(import.meta.dirname, '../../capabilities/logto-one-time-tokens.openapi.json');
