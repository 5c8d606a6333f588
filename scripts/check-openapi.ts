/**
 * Fails (exit 1) when a service's OpenAPI document and the routes its hono app serves disagree: a route served but
 * not documented, or documented but not served. Each app is built with every optional part present (its routes are
 * only registered, never called), so the comparison covers everything the running service can answer.
 * Services with an OpenAPI document: the oracle, a committee signer and the relayer's status API.
 */
import type { Hono } from 'hono';
import { pino } from 'pino';
import { createApp, type AppDeps } from '../oracle/api/app.js';
import { openApiDocument } from '../oracle/api/openapi.js';
import { createMetrics } from '../oracle/metrics.js';
import { createSignerApp } from '../committee/http.js';
import { signerOpenApi } from '../committee/openapi.js';
import { createSignerMetrics } from '../committee/metrics.js';
import { createStatusApp } from '../relayer/http.js';
import { relayerOpenApi } from '../relayer/openapi.js';
import { createMetrics as createRelayerMetrics } from '../relayer/metrics.js';
import { ROUTED_SOURCES } from '../schemas/kinds/index.js';
import { documentedRoutes, servedRoutes } from '../common/openapi-routes.js';

const silent = pino({ level: 'silent' });
// Registered, never called: no dependency is used while the routes are listed.
const unused = {} as never;

/** The oracle app with every optional part (admin, moves, redemptions, a submitter per routed kind). */
export function fullOracleApp(): Hono {
  return createApp({
    service: unused,
    store: unused,
    destinations: unused,
    registry: unused,
    metrics: createMetrics(),
    logger: silent,
    dids: { members: unused, hubChainId: 1n, registryAddress: '0x0000000000000000000000000000000000000001', publicUrl: undefined },
    admin: unused,
    moves: unused,
    redemptions: { fulfilments: unused, acceptances: unused, disclosures: unused, view: unused },
    brakes: unused,
    kinds: Object.fromEntries(ROUTED_SOURCES.map((s) => [s.kind, unused])),
  } satisfies AppDeps);
}

export const fullSignerApp = (): Hono => createSignerApp({ service: unused, metrics: createSignerMetrics(), logger: silent, ready: async () => undefined });

/** The relayer's status API (its routes do not depend on the outbox or the chains they report on). */
export const fullRelayerApp = (): Hono => createStatusApp(unused, createRelayerMetrics(), [1]);

export interface RouteGaps {
  /** Served by the app, absent from the document ("METHOD /path/{param}"). */
  undocumented: string[];
  /** In the document, not served by the app. */
  unserved: string[];
}

export function routeGaps(app: Hono, doc: { paths: Record<string, object> }): RouteGaps {
  const served = servedRoutes(app);
  const documented = documentedRoutes(doc);
  return { undocumented: served.filter((r) => !documented.includes(r)), unserved: documented.filter((r) => !served.includes(r)) };
}

/** Each service with its app and document, built fresh (the documents derive from the kind list). */
export const SERVICES: readonly { name: string; source: string; app: () => Hono; doc: () => { paths: Record<string, object> } }[] = [
  { name: 'oracle', source: 'oracle/api/openapi.ts', app: fullOracleApp, doc: openApiDocument },
  { name: 'committee signer', source: 'committee/openapi.ts', app: fullSignerApp, doc: signerOpenApi },
  { name: 'relayer', source: 'relayer/openapi.ts', app: fullRelayerApp, doc: relayerOpenApi },
];

/** One line per disagreement, naming the service, the route and the file to fix; empty when all agree. */
export function openApiProblems(services = SERVICES): string[] {
  return services.flatMap((s) => {
    const gaps = routeGaps(s.app(), s.doc());
    return [
      ...gaps.undocumented.map((r) => `${s.name}: serves ${r} but ${s.source} does not document it`),
      ...gaps.unserved.map((r) => `${s.name}: ${s.source} documents ${r} but the app does not serve it`),
    ];
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = openApiProblems();
  if (problems.length > 0) {
    console.error('OpenAPI documents and served routes disagree:');
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(`OpenAPI documents list every served route (${SERVICES.map((s) => s.name).join(', ')})`);
}
