// Where JSON log lines go: a buffer written to the fd with one write(2) per batch instead of one per line
// (a write per access line cost 29–40 µs of CPU per REST request, issue 14). Every line is written within
// FLUSH_AFTER_MS of being logged (an unref'd timer armed by the first line of a batch, so an idle process
// wakes for nothing), at once when a batch reaches FLUSH_AT_CHARS, on pino's fatal (it calls flushSync), and
// on 'exit' — process.exit, an uncaught exception, the natural end after a drain — synchronously, since no
// event loop is left then. Writes stay synchronous (no thread pool, no write in flight to lose at exit).
// A reader that goes away (EPIPE, any error but EAGAIN) ends logging, not the process. Not sonic-boom's
// asynchronous mode: its flushSync retries EPIPE forever, so a fatal line on a closed pipe hung the process.

import { writeSync } from 'node:fs';

const FLUSH_AT_CHARS = 4096;
const FLUSH_AFTER_MS = 100;

const live = new Set<LineBuffer>();
let exitHooked = false;

export class LineBuffer {
  readonly #fd: number;
  #pending = '';
  #timer: NodeJS.Timeout | undefined;
  #broken = false;

  constructor(fd: number) {
    this.#fd = fd;
    live.add(this);
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', () => {
        for (const b of live) b.flushSync();
      });
    }
  }

  write(line: string): boolean {
    if (this.#broken) return true;
    this.#pending += line;
    if (this.#pending.length >= FLUSH_AT_CHARS) this.flushSync();
    else this.#timer ??= setTimeout(() => this.flushSync(), FLUSH_AFTER_MS).unref();
    return true;
  }

  /** pino's logger.flush(cb) lands here. */
  flush(cb?: (err?: Error) => void): void {
    this.flushSync();
    cb?.();
  }

  flushSync(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#pending) return;
    const bytes = Buffer.from(this.#pending);
    this.#pending = '';
    let done = 0;
    while (done < bytes.length) {
      try {
        done += writeSync(this.#fd, bytes, done);
      } catch (err) {
        // A reader slower than us (a non-blocking pipe is full): wait for it, as the synchronous writer did.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(SLEEP, 0, 0, 1);
          continue;
        }
        this.#broken = true;
        live.delete(this);
        return;
      }
    }
  }
}

const SLEEP = new Int32Array(new SharedArrayBuffer(4));
