// Reading a Dockerfile and a .dockerignore the way the image build does, for the replay test: instructions with
// their line continuations and comments, stages, JSON-array commands, ENV pairs, and the context's file list.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  readonly op: string;
  readonly args: string;
}
export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly steps: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let acc = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue; // comments, also between continued lines (as BuildKit does)
    if (line.endsWith('\\')) {
      acc += line.slice(0, -1) + ' ';
      continue;
    }
    acc += line;
    if (acc.trim()) logical.push(acc.trim());
    acc = '';
  }
  const stages: Stage[] = [];
  for (const l of logical) {
    const m = /^(\w+)\s+(.*)$/s.exec(l);
    if (!m) throw new Error(`Dockerfile: cannot read ${l}`);
    const op = (m[1] as string).toUpperCase();
    const args = (m[2] as string).trim();
    if (op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!f) throw new Error(`Dockerfile: FROM ${args}`);
      stages.push({ from: f[1] as string, name: f[2], steps: [] });
    } else {
      const current = stages.at(-1);
      if (!current) throw new Error(`Dockerfile: ${op} before FROM`);
      current.steps.push({ op, args });
    }
  }
  return stages;
}

/** A JSON-array (exec form) argument; the replay refuses the shell form where the image would add `sh -c`. */
export function execForm(args: string): string[] {
  const v = JSON.parse(args) as unknown;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`not an exec form: ${args}`);
  return v;
}

/** `K=V K2="v w"` (ENV, LABEL), with `$X`/`${X}` expanded from `env`. */
export function pairs(args: string, env: Record<string, string> = {}): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const re = /([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (const m of args.matchAll(re)) {
    let v = m[2] as string;
    if (v.startsWith('"')) v = JSON.parse(v) as string;
    v = v.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => env[(a ?? b) as string] ?? '');
    out.push([m[1] as string, v]);
  }
  return out;
}

/** HEALTHCHECK [options] CMD [...]: the options and the command. */
export function healthcheck(args: string): { options: Record<string, string>; cmd: string[] } {
  const m = /^((?:--[\w-]+=\S+\s+)*)CMD\s+(.*)$/s.exec(args);
  if (!m) throw new Error(`HEALTHCHECK ${args}`);
  const options = Object.fromEntries(
    [...(m[1] as string).matchAll(/--([\w-]+)=(\S+)/g)].map((o) => [o[1] as string, o[2] as string]),
  );
  return { options, cmd: execForm(m[2] as string) };
}

// .dockerignore: one pattern a line, the last pattern that matches a path (or one of its parent folders) decides,
// `!` re-includes; `*` and `?` stay inside a path segment, `**` spans segments.
function globToRegExp(pattern: string): RegExp {
  let re = '';
  const p = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '*' && p[i + 1] === '*') {
      if (p[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) =>
      l.startsWith('!') ? { keep: true, re: globToRegExp(l.slice(1)) } : { keep: false, re: globToRegExp(l) },
    );
  return (path: string) => {
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const r of rules) if (prefixes.some((p) => r.re.test(p))) excluded = !r.keep;
    return excluded;
  };
}

/** The build context's files (paths relative to `root`), honouring the ignore rules; skips .git and node_modules
 * folders the rules exclude wholesale (nothing is re-included below them). */
export function contextFiles(root: string, excluded: (path: string) => boolean, ignoreText: string): string[] {
  const reincluded = ignoreText
    .split('\n')
    .filter((l) => l.trim().startsWith('!'))
    .map((l) => l.trim().slice(1).split('/')[0] as string);
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (excluded(p) && !reincluded.some((r) => r === e.name || r.includes('*'))) continue;
        walk(p);
      } else if (!excluded(p) && statSync(join(root, p)).isFile()) out.push(p);
    }
  };
  walk('');
  return out.sort();
}
