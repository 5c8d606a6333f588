import { Hono } from 'hono';
import { ROUTED_SOURCES, type AnySource, type SignKind } from '../../schemas/kinds/index.js';
import { parserFor } from '../../schemas/validate.js';
import { parseOrThrow, readJson } from '../../core/http-body.js';

/** The request a kind's route takes (its kind module's request schema, validated). */
export type RequestOf<K extends SignKind> = Extract<AnySource, { kind: K }>['request'];

/** What a route answers: 201 when the request was new, 200 for a repeat, with this JSON body. */
export interface KindAnswer {
  created: boolean;
  body: unknown;
}

/** The service behind each kind's POST route; a kind left out has no route in this app (a test of part of the API). */
export type KindSubmitters = { [K in SignKind]?: (request: RequestOf<K>) => Promise<KindAnswer> };

const parsers = new Map(ROUTED_SOURCES.map((s) => [s.kind, parserFor<unknown>(s.requestSchema)]));

/**
 * The POST route of every kind whose module declares one (schemas/kinds/<kind>.ts `route`): the body is validated
 * against the kind's request schema at the edge, then handed to its submitter. Mounted at the root. `complete`
 * (the oracle with every part): a kind with a route but no submitter is a boot error, never a silent 404.
 */
export function createKindRoutes(submitters: KindSubmitters, opts: { complete: boolean }): Hono {
  const app = new Hono();
  for (const source of ROUTED_SOURCES) {
    const submit = submitters[source.kind] as ((request: unknown) => Promise<KindAnswer>) | undefined;
    const parse = parsers.get(source.kind);
    if (!submit && opts.complete) throw new Error(`kind ${source.kind} declares the route ${source.route?.path} but the oracle has no service for it (AppDeps.kinds)`);
    if (!submit || !parse || !source.route) continue;
    app.post(source.route.path, async (c) => {
      const r = await submit(parseOrThrow(parse, await readJson(c)));
      return c.json(r.body as object, r.created ? 201 : 200);
    });
  }
  return app;
}
