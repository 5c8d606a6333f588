import type { Hono } from 'hono';

/**
 * Route lists compared by the OpenAPI tests of each service: what a hono app serves against what its document
 * says, both as "METHOD /path/{param}".
 */
export function servedRoutes(app: Hono): string[] {
  const routes = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
  return [...new Set(routes)].sort();
}

export function documentedRoutes(doc: { paths: Record<string, object> }): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}
