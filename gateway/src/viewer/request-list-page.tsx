/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { RequestFacets } from '../stores/list-request-facets.ts';
import type { RequestRowPage } from '../stores/query-request-rows.ts';
import type { RunSummary } from '../stores/summarize-runs.ts';
import { formatTime } from './format-time.ts';
import type { ListQuery } from './read-list-query.ts';
import { RequestFilterForm } from './request-filter-form.tsx';
import { requestListHref } from './request-list-href.ts';
import { RunSummaryTable } from './run-summary-table.tsx';
import { ViewerLayout } from './viewer-layout.tsx';

/** The filterable request list, newest first, one page at a time. */
export function RequestListPage(props: {
  query: ListQuery;
  facets: RequestFacets;
  page: RequestRowPage;
  /** Shown when the list is filtered to one run. */
  runSummary?: RunSummary;
}) {
  const { query, page } = props;
  return (
    <ViewerLayout title="Requests" section="requests">
      <h1>Requests</h1>
      <RequestFilterForm query={query} facets={props.facets} />
      {query.problems.map((problem) => (
        <p class="error-text">{problem}</p>
      ))}
      {props.runSummary && (
        <section>
          <h2>Run {props.runSummary.run}</h2>
          <RunSummaryTable summaries={[props.runSummary]} />
        </section>
      )}
      <h2>{query.cursor ? 'Older requests' : 'Latest requests'}</h2>
      {page.rows.length === 0 ? (
        <div class="panel empty">No requests match these filters.</div>
      ) : (
        <div class="table-wrap">
          <table class="requests">
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th>Run</th>
                <th>Provider / model</th>
                <th>Template</th>
                <th>Method</th>
                <th>Cache</th>
                <th>Status</th>
                <th>Suggested action</th>
                <th class="num">Latency</th>
                <th class="num">Tokens in / out</th>
                <th class="num">Calls</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr data-id={row.id}>
                  <td class="mono nowrap">
                    <a href={`/ui/requests/${encodeURIComponent(row.id)}`}>
                      {formatTime(row.time)}
                    </a>
                  </td>
                  <td class="nowrap">{row.run ?? <span class="muted">—</span>}</td>
                  <td>
                    {row.provider ?? '—'}
                    <div class="muted">{row.model ?? ''}</div>
                  </td>
                  <td class="nowrap">{row.template ?? '—'}</td>
                  <td>{row.method ?? '—'}</td>
                  <td>
                    {row.cache ? (
                      <span class={`badge ${row.cache}`}>{row.cache}</span>
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                  <td>
                    {row.status < 300 ? (
                      <span class="badge">{String(row.status)}</span>
                    ) : (
                      <span class="badge error">
                        {row.status} {row.errorCode ?? ''}
                      </span>
                    )}
                  </td>
                  <td>
                    {row.actionLabel ?? <span class="muted">—</span>}
                    {row.plannerAction !== null && row.action !== null && (
                      <>
                        {' '}
                        <span
                          class={
                            row.plannerAction === row.action ? 'badge agree' : 'badge disagree'
                          }
                        >
                          {row.plannerAction === row.action
                            ? 'agrees'
                            : `planner ${row.plannerAction}`}
                        </span>
                      </>
                    )}
                  </td>
                  <td class="num">{`${Math.round(row.latencyMs)} ms`}</td>
                  <td class="num">
                    {row.inputTokens} / {row.outputTokens}
                  </td>
                  <td class="num">{row.upstreamCalls}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager">
        {query.cursor && <a href={requestListHref(query)}>« Newest</a>}
        {page.nextCursor && (
          <a href={requestListHref(query, page.nextCursor)} rel="next">
            Older »
          </a>
        )}
      </nav>
    </ViewerLayout>
  );
}
