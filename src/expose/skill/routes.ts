// The skill adapter's routes, with the reference engine's JSON shapes. Errors are problem+json with stable codes:
// unknown skill or file 404, unsafe file path 400, other methods 405 + Allow. Access lines and metrics name
// `<namespace>.catalog` or `<namespace>.<skill>.<route>` (bounded by the catalogue; an unknown skill names none).

import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Skill, SkillCatalogue } from '../../binding/skills.js';
import { RuntimeError } from '../../errors.js';
import { resolveInside } from '../../safe-path.js';
import type { Secrets } from '../../secrets.js';
import { fromFastifyError } from '../http-errors.js';
import { renderProblem } from '../rest/problem.js';
import { mediaTypeOf } from '../../media-types.js';
import { contentTypeOf, listFiles, zipFolder } from './files.js';

export interface SkillRoutesOptions {
  readonly catalogue: SkillCatalogue;
  /** Skill name → real path of its folder (skills without a usable location are absent). */
  readonly roots: ReadonlyMap<string, string>;
  readonly secrets: Secrets;
}

type Route = 'detail' | 'download' | 'contents' | 'file';
type Params = { name: string; '*'?: string };

const OTHER_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
const ALLOW = 'GET, HEAD';
// A file opened in a browser straight from this origin runs nothing and is not sniffed into another type.
const FILE_HEADERS = { 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; sandbox" };

export function registerSkillRoutes(app: FastifyInstance, options: SkillRoutesOptions): void {
  const { catalogue, roots, secrets } = options;
  const skills = new Map(catalogue.skills.map((s) => [s.name, s]));
  const ns = catalogue.namespace;
  const json = (reply: FastifyReply, body: unknown) =>
    reply
      .type('application/json; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .send(secrets.redact(JSON.stringify(body)));

  /** The skill a per-skill route names, labelled for the access line before anything else runs. */
  const skillOf = (req: FastifyRequest): Skill => {
    const { name } = req.params as Params;
    const skill = skills.get(name);
    if (!skill) throw new RuntimeError('NAF_ERR_SKILL_NOT_FOUND', `No skill named '${name}' in '${ns}'`);
    return skill;
  };
  const rootOf = (skill: Skill): string => {
    const root = roots.get(skill.name);
    if (root !== undefined) return root;
    const why = skill.location === undefined ? 'has no location' : 'has no readable location folder';
    throw new RuntimeError('NAF_ERR_SKILL_FILE_NOT_FOUND', `Skill '${skill.name}' ${why}`);
  };
  const label = (route: Route) => async (req: FastifyRequest) => {
    const name = (req.params as Params).name;
    if (skills.has(name)) req.binding = `${ns}.${name}.${route}`;
  };

  get(
    app,
    '/skills',
    async (req) => void (req.binding = `${ns}.catalog`),
    async (_req, reply) => json(reply, catalogueBody(catalogue)),
  );
  get(app, '/skills/:name', label('detail'), async (req, reply) => json(reply, detailBody(skillOf(req))));
  get(app, '/skills/:name/contents', label('contents'), async (req, reply) => {
    const skill = skillOf(req);
    const files = await listFiles(rootOf(skill));
    const entries = files.map((f) => ({
      name: basename(f.path),
      path: f.path,
      size: f.size,
      type: mediaTypeOf(f.path),
    }));
    return json(reply, { name: skill.name, files: entries });
  });
  get(app, '/skills/:name/contents/*', label('file'), async (req, reply) => {
    const skill = skillOf(req);
    const relative = (req.params as Params)['*'] ?? '';
    const found = resolveInside(rootOf(skill), relative);
    if (!found.ok && found.problem !== 'missing')
      throw new RuntimeError('NAF_ERR_UNSAFE_PATH', `File path '${relative}' is refused: ${found.reason}`, {
        argument: 'file',
      });
    if (!found.ok)
      throw new RuntimeError('NAF_ERR_SKILL_FILE_NOT_FOUND', `Skill '${skill.name}' has no file '${relative}'`);
    return reply
      .headers(FILE_HEADERS)
      .type(contentTypeOf(found.path))
      .header('content-length', found.size)
      .send(createReadStream(found.path));
  });
  get(app, '/skills/:name/download', label('download'), async (req, reply) => {
    const skill = skillOf(req);
    const archive = await zipFolder(await listFiles(rootOf(skill)));
    return reply
      .headers(FILE_HEADERS)
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${skill.name}.zip"`)
      .send(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength));
  });

  app.setNotFoundHandler(async (req) => {
    throw new RuntimeError('NAF_ERR_ROUTE_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`);
  });
  app.setErrorHandler(async (err, req, reply) => {
    const e = fromFastifyError(err);
    req.errorCode = e.code;
    const wire = renderProblem(e, req.url.split('?')[0] ?? '/', req.id, secrets);
    if (e.details.allow) reply.header('allow', e.details.allow.join(', '));
    return reply.code(wire.status).type(wire.contentType).send(wire.body);
  });
}

/** GET (and HEAD) on `url`, 405 + Allow for the other methods, 204 + Allow for OPTIONS. */
function get(
  app: FastifyInstance,
  url: string,
  onRequest: (req: FastifyRequest) => Promise<void>,
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>,
): void {
  app.route({ method: 'GET', url, onRequest, handler });
  app.route({
    method: [...OTHER_METHODS],
    url,
    onRequest,
    handler: async (req) => {
      throw new RuntimeError(
        'NAF_ERR_METHOD_NOT_ALLOWED',
        `${req.method} is not allowed on ${url}; allowed: ${ALLOW}`,
        {
          allow: ALLOW.split(', '),
        },
      );
    },
  });
  app.route({
    method: 'OPTIONS',
    url,
    onRequest,
    handler: async (_req, reply) => reply.code(204).header('allow', `${ALLOW}, OPTIONS`).send(),
  });
}

/** `GET /skills`: every skill with its tool names. */
function catalogueBody(catalogue: SkillCatalogue) {
  const skills = catalogue.skills.map((s) => ({
    name: s.name,
    description: s.description,
    ...(s.license !== undefined ? { license: s.license } : {}),
    tools: s.tools.map((t) => t.name),
  }));
  return { count: skills.length, skills };
}

/** `GET /skills/{name}`: the frontmatter fields and each tool, with where to invoke a derived one. */
function detailBody(skill: Skill) {
  const { location: _location, tools, ...fields } = skill;
  return {
    ...fields,
    tools: tools.map((t) =>
      t.type === 'derived'
        ? { name: t.name, description: t.description, type: t.type, invocationRef: t.invocationRef }
        : { name: t.name, description: t.description, type: t.type, instruction: t.instruction },
    ),
  };
}
