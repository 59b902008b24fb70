/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { GatewayEnv } from '../app-env.ts';
import type { GatewayConfig } from '../config/config-schema.ts';
import type { AuditLog } from '../stores/audit-log.ts';
import type { LogQueries } from '../stores/log-queries.ts';
import type { TokenPricing } from '../stores/summarize-runs.ts';
import { readListQuery } from './read-list-query.ts';
import { RequestDetailPage } from './request-detail-page.tsx';
import { RequestListPage } from './request-list-page.tsx';
import { RunSummaryPage } from './run-summary-page.tsx';
import { ViewerLayout } from './viewer-layout.tsx';

export interface ViewerDependencies {
  config: GatewayConfig;
  logQueries: LogQueries;
  auditLog: AuditLog;
}

/**
 * `GET /ui` (the request list), `GET /ui/requests/:id` (one request) and `GET /ui/runs` (per-run
 * summaries): server-rendered pages over the audit log, with no script and no build step.
 * (The `@jsx` pragmas above let tsx run these files whichever tsconfig it finds.)
 *
 * @example
 * app.route('/', createViewerRoutes({ config, logQueries, auditLog }))
 */
export function createViewerRoutes(dependencies: ViewerDependencies): Hono<GatewayEnv> {
  const { logQueries, auditLog } = dependencies;
  const pricing = new Map<string, TokenPricing>(
    dependencies.config.providers.flatMap((provider) =>
      provider.pricing ? [[provider.id, provider.pricing] as const] : [],
    ),
  );
  const app = new Hono<GatewayEnv>();
  app.get('/ui', async (c) => {
    const query = readListQuery(c.req.query());
    const page = await logQueries.requestRows(query.filter, query.limit, query.cursor);
    const run = query.filter.run;
    const runSummary = run === undefined ? undefined : (await logQueries.summarizeRuns({ pricing, run }))[0];
    const facets = await logQueries.facets();
    return render(
      c,
      <RequestListPage
        query={query}
        facets={facets}
        page={page}
        {...(runSummary ? { runSummary } : {})}
      />,
    );
  });
  app.get('/ui/runs', async (c) =>
    render(c, <RunSummaryPage summaries={await logQueries.summarizeRuns({ pricing })} />),
  );
  app.get('/ui/requests/:id', async (c) => {
    const id = c.req.param('id');
    const entry = await auditLog.get(id);
    if (!entry) {
      return render(
        c,
        <ViewerLayout title="Not found" section="requests">
          <h1>Not found</h1>
          <p>{`No audit-log entry "${id}": it may have been pruned.`}</p>
          <p>
            <a href="/ui">« All requests</a>
          </p>
        </ViewerLayout>,
        404,
      );
    }
    return render(c, <RequestDetailPage entry={entry} />);
  });
  return app;
}

async function render(
  c: Context<GatewayEnv>,
  page: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: 200 | 404 = 200,
): Promise<Response> {
  // Log content is model output: JSX escapes it, and this policy keeps anything that slipped
  // through from running script or loading from elsewhere.
  c.header(
    'content-security-policy',
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  );
  c.header('x-content-type-options', 'nosniff');
  c.header('referrer-policy', 'no-referrer');
  c.header('cache-control', 'no-store');
  return c.html(`<!doctype html>${String(await page)}`, status);
}
