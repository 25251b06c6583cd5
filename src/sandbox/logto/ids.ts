// Random identifiers in Logto's formats (`@logto/shared` id.ts, contract §2), drawn from node:crypto.
import { randomInt } from 'node:crypto';

const LOWER_ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const NANOID = 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict';

function randomString(alphabet: string, size: number): string {
  let out = '';
  // randomInt is unbiased, unlike `byte % alphabet.length`.
  for (let i = 0; i < size; i++) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}

/** `generateStandardId`: 21 chars of [0-9a-z]. */
export const generateId = (): string => randomString(LOWER_ALNUM, 21);

/** `generateStandardSecret`: 32 chars of [0-9A-Za-z]. */
export const generateSecret = (): string => randomString(ALNUM, 32);

/** `Logto-Core-Request-Id`: a 16-char nanoid. */
export const generateRequestId = (): string => randomString(NANOID, 16);
