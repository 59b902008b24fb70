/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { RunSummary } from '../stores/summarize-runs.ts';
import { formatTime } from './format-time.ts';
import { requestListHref } from './request-list-href.ts';

/** One row per run: traffic, cache use, tokens and their cost, errors and teacher agreement. */
export function RunSummaryTable(props: { summaries: RunSummary[] }) {
  if (props.summaries.length === 0) return <div class="panel empty">No requests recorded yet.</div>;
  return (
    <div class="table-wrap">
      <table class="runs">
        <thead>
          <tr>
            <th>Run</th>
            <th>Time (UTC)</th>
            <th>Providers</th>
            <th class="num">Requests</th>
            <th class="num" title="upstream calls">
              Calls
            </th>
            <th class="num">Cache hits</th>
            <th class="num">Tokens in / out</th>
            <th class="num">Est. cost</th>
            <th class="num">Cache savings</th>
            <th>Errors</th>
            <th class="num" title="suggested action = plannerAction tag">
              Agreement
            </th>
          </tr>
        </thead>
        <tbody>
          {props.summaries.map((summary) => (
            <tr data-run={summary.run ?? ''}>
              <td class="nowrap">
                {summary.run === null ? (
                  <span class="muted">(no run tag)</span>
                ) : (
                  <a href={requestListHref({ values: { run: summary.run }, limit: 50 })}>
                    {summary.run}
                  </a>
                )}
              </td>
              <td class="mono nowrap">
                {formatTime(summary.firstTime)}
                <br />
                {formatTime(summary.lastTime)}
              </td>
              <td>{summary.providers.join(', ')}</td>
              <td class="num">{summary.requests.toLocaleString('en-US')}</td>
              <td class="num">{summary.upstreamCalls.toLocaleString('en-US')}</td>
              <td
                class="num"
                title={`hit ${summary.cache.hit}, replayed ${summary.cache.replayed}, coalesced ${summary.cache.coalesced}, miss ${summary.cache.miss}`}
              >
                {percent(summary.hitRate)}
                <div class="muted">
                  {summary.cache.hit + summary.cache.replayed + summary.cache.coalesced} of{' '}
                  {summary.requests - summary.errors}
                </div>
              </td>
              <td class="num">
                {summary.tokens.input.toLocaleString('en-US')} /{' '}
                {summary.tokens.output.toLocaleString('en-US')}
              </td>
              <td class="num">{usd(summary.costUsd)}</td>
              <td class="num">
                {usd(summary.savingsUsd)}
                <div class="muted">
                  {(summary.savedTokens.input + summary.savedTokens.output).toLocaleString('en-US')}{' '}
                  tokens
                </div>
              </td>
              <td>
                {summary.errors === 0 ? (
                  <span class="muted">0</span>
                ) : (
                  Object.entries(summary.errorsByCode).map(([code, count]) => (
                    <div>
                      <span class="badge error">{code}</span> {count}
                    </div>
                  ))
                )}
              </td>
              <td class="num">
                {summary.agreement.compared === 0 ? (
                  <span class="muted" title="no request carried a numeric plannerAction tag">
                    n/a
                  </span>
                ) : (
                  <>
                    {percent(summary.agreement.agreed / summary.agreement.compared)}
                    <div class="muted">
                      {summary.agreement.agreed} of {summary.agreement.compared}
                    </div>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function percent(ratio: number | undefined): string {
  return ratio === undefined ? 'n/a' : `${(ratio * 100).toFixed(1)}%`;
}

function usd(amount: number | undefined): string {
  if (amount === undefined) return 'no pricing';
  return amount < 0.01 && amount > 0 ? `$${amount.toFixed(5)}` : `$${amount.toFixed(2)}`;
}
