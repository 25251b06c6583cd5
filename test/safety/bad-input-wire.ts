// Hand-written HTTP/1.1 over node:net, for the requests fetch and undici refuse or normalise away: raw `..`,
// `%2e%2e` (WHATWG URL parsing turns it into `..`), CR, TAB, NUL or raw UTF-8 in the request target, and
// duplicated Host or Content-Length. Every response is scanned for secret canaries, as fetch's are.

import { connect } from 'node:net';
import { scan } from '../support/canary.js';

export interface RawRequest {
  readonly method: string;
  /** The request target exactly as it goes on the wire. */
  readonly target: string;
  /** Host header values, in order; default the server's own address. */
  readonly hosts?: readonly string[];
  /** Extra header lines. */
  readonly headers?: readonly string[];
  readonly body?: string;
  /** Content-Type of the body; null sends none. Default application/json when there is a body. */
  readonly contentType?: string | null;
}

export interface RawResponse {
  /** 0 when the connection closed without a status line. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  readonly json: unknown;
}

// A guard against a hang, not a timing assertion: every request here closes its connection.
const GUARD_MS = 5_000;

export function rawRequest(port: number, r: RawRequest): Promise<RawResponse> {
  const body = r.body ?? '';
  const hosts = (r.hosts ?? [`127.0.0.1:${port}`]).map((h) => `Host: ${h}`);
  const lines = [`${r.method} ${r.target} HTTP/1.1`, ...hosts, 'Connection: close'];
  const type = r.contentType === undefined ? (r.body === undefined ? null : 'application/json') : r.contentType;
  if (type !== null) lines.push(`Content-Type: ${type}`);
  const framed = (r.headers ?? []).some((h) => /^(content-length|transfer-encoding):/i.test(h));
  if (!framed && r.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  lines.push(...(r.headers ?? []));
  const wire = Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(wire, () => undefined));
    const guard = setTimeout(
      () => socket.destroy(new Error(`no answer to ${r.method} ${r.target.slice(0, 80)}`)),
      GUARD_MS,
    );
    // The server may answer and close before it has read all we sent (431): a reset after the answer is fine.
    socket.on('error', (err) => (chunks.length ? undefined : reject(err)));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // Some answers keep the connection open despite `Connection: close` (the MCP SDK's SSE): stop at the end.
      if (complete(Buffer.concat(chunks))) socket.destroy();
    });
    socket.on('close', () => {
      clearTimeout(guard);
      const res = parse(Buffer.concat(chunks));
      scan(`response of raw ${r.method} ${r.target.slice(0, 80)}`, res.text);
      resolve(res);
    });
  });
}

function complete(buf: Buffer): boolean {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = buf.subarray(0, end).toString('latin1');
  const length = /^content-length:\s*(\d+)/im.exec(head);
  if (length) return buf.length - end - 4 >= Number(length[1]);
  return /^transfer-encoding:.*chunked/im.test(head) && buf.subarray(end).includes('\r\n0\r\n\r\n');
}

function parse(buf: Buffer): RawResponse {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, text: buf.toString('utf8'), json: undefined };
  const [statusLine = '', ...headerLines] = buf.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let payload = buf.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) payload = dechunk(payload);
  const text = payload.toString('utf8');
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, text, json: parseJson(text) };
}

function dechunk(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    const size = eol < 0 ? 0 : parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** JSON, or the `data:` of the last SSE event (the 2025-era MCP answers). */
export function parseJson(text: string): unknown {
  const events = [...text.matchAll(/^data: (.*)$/gm)].map((m) => m[1] ?? '');
  try {
    return JSON.parse(events.length ? (events[events.length - 1] ?? '') : text) as unknown;
  } catch {
    return undefined;
  }
}

/** Every SSE `data:` payload, parsed (a 2025-era batch answers with one event per message). */
export function sseMessages(text: string): unknown[] {
  return [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1] ?? 'null') as unknown);
}
