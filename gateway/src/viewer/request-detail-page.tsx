/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { LogEntryDetail } from '../stores/audit-log.ts';
import { DistributionChart } from './distribution-chart.tsx';
import { formatTime } from './format-time.ts';
import { JsonBlock } from './json-block.tsx';
import { requestListHref } from './request-list-href.ts';
import { UpstreamCallView } from './upstream-call-view.tsx';
import { ViewerLayout } from './viewer-layout.tsx';

/** Everything recorded about one request: what the model saw, was asked and answered. */
export function RequestDetailPage(props: { entry: LogEntryDetail }) {
  const { entry } = props;
  const answer = readAnswer(entry.result);
  const plannerTag = entry.tags?.plannerAction;
  const plannerAction = typeof plannerTag === 'number' ? plannerTag : undefined;
  const upstreamMs = entry.upstreamCalls.reduce((total, call) => total + call.durationMs, 0);
  const retries = Math.max(0, entry.upstreamCalls.length - 1);
  const run = entry.tags?.run;
  return (
    <ViewerLayout title={`Request ${entry.id}`} section="requests">
      <p>
        <a
          href={
            run === undefined ? '/ui' : requestListHref({ values: { run: String(run) }, limit: 50 })
          }
        >
          « {run === undefined ? 'All requests' : `Run ${String(run)}`}
        </a>
      </p>
      <h1 class="mono">{entry.id}</h1>
      <div class="detail-grid">
        <section class="panel">
          <dl class="facts">
            <dt>Time (UTC)</dt>
            <dd class="mono">{formatTime(entry.time)}</dd>
            <dt>Status</dt>
            <dd>
              {entry.status < 300 ? (
                <span class="badge">{String(entry.status)}</span>
              ) : (
                <span class="badge error">
                  {entry.status} {entry.errorCode ?? ''}
                </span>
              )}
            </dd>
            {entry.errorMessage && (
              <>
                <dt>Error</dt>
                <dd class="error-text">{entry.errorMessage}</dd>
              </>
            )}
            <dt>Provider / model</dt>
            <dd>
              {entry.provider ?? '—'} / {entry.model ?? '—'}
            </dd>
            <dt>Template</dt>
            <dd>{entry.template ?? '—'}</dd>
            <dt>Method</dt>
            <dd>{entry.method ?? '—'}</dd>
            <dt>Cache</dt>
            <dd>{entry.cache ? <span class={`badge ${entry.cache}`}>{entry.cache}</span> : '—'}</dd>
            {entry.cacheKey && (
              <>
                <dt>Cache key</dt>
                <dd class="mono">{entry.cacheKey}</dd>
              </>
            )}
            <dt>Latency</dt>
            <dd>
              {`${Math.round(entry.latencyMs)} ms`}
              {entry.upstreamCalls.length > 0 && (
                <span class="muted">{` (upstream ${Math.round(upstreamMs)} ms over ${entry.upstreamCalls.length} attempt${entry.upstreamCalls.length === 1 ? '' : 's'}, ${retries} ${retries === 1 ? 'retry' : 'retries'})`}</span>
              )}
            </dd>
            <dt>Tokens in / out</dt>
            <dd>
              {entry.usage.inputTokens} / {entry.usage.outputTokens}
              {entry.cache && entry.cache !== 'miss' && (
                <span class="muted"> (not spent: served without its own call)</span>
              )}
            </dd>
            {entry.tokenName && (
              <>
                <dt>Token</dt>
                <dd>{entry.tokenName}</dd>
              </>
            )}
            {Object.entries(entry.tags ?? {}).map(([key, value]) => (
              <>
                <dt>{`tag ${key}`}</dt>
                <dd class="mono">{String(value)}</dd>
              </>
            ))}
          </dl>
        </section>
        <section class="panel observation">
          <h2>Observation</h2>
          {entry.imageSha256 ? (
            <figure>
              <img
                id="observation-image"
                src={`/v1/images/${encodeURIComponent(entry.imageSha256)}`}
                alt="the image the model saw"
              />
              <figcaption class="mono muted">sha256 {entry.imageSha256}</figcaption>
            </figure>
          ) : (
            <p class="muted">No image in this request.</p>
          )}
        </section>
      </div>

      <h2>Suggested distribution</h2>
      <section class="panel" id="distribution">
        {answer.labels && answer.probs ? (
          <>
            <DistributionChart
              labels={answer.labels}
              probs={answer.probs}
              {...(answer.action === undefined ? {} : { action: answer.action })}
              {...(plannerAction === undefined ? {} : { plannerAction })}
            />
            {answer.entropy !== undefined && (
              <p class="muted">{`entropy ${answer.entropy.toFixed(3)} nats`}</p>
            )}
          </>
        ) : answer.labels && answer.vector ? (
          <table>
            <tbody>
              {answer.labels.map((label, index) => (
                <tr>
                  <th>{label}</th>
                  <td class="num">{answer.vector?.[index]?.toFixed(4) ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">No distribution: the request did not produce an answer.</p>
        )}
        {answer.warnings.map((warning) => (
          <p class="error-text">{`warning: ${warning}`}</p>
        ))}
      </section>

      <h2>Rendered prompt</h2>
      <JsonBlock value={entry.prompt ?? 'not recorded'} class="prompt" />

      <h2>{`Upstream calls (${entry.upstreamCalls.length})`}</h2>
      {entry.upstreamCalls.length === 0 ? (
        <p class="muted">None: this request was answered without calling the provider.</p>
      ) : (
        entry.upstreamCalls.map((call, index) => (
          <UpstreamCallView call={call} open={index === entry.upstreamCalls.length - 1} />
        ))
      )}

      <h2>Response sent to the client</h2>
      <JsonBlock value={entry.result} />
    </ViewerLayout>
  );
}

interface Answer {
  labels?: string[];
  probs?: number[];
  vector?: number[];
  action?: number;
  entropy?: number;
  warnings: string[];
}

/** The stored response is whatever was sent (a suggestion or an error body), so read it defensively. */
function readAnswer(result: unknown): Answer {
  if (typeof result !== 'object' || result === null) return { warnings: [] };
  const record = result as Record<string, unknown>;
  const strings = (value: unknown) =>
    Array.isArray(value) && value.every((item) => typeof item === 'string')
      ? (value as string[])
      : undefined;
  const numbers = (value: unknown) =>
    Array.isArray(value) && value.every((item) => typeof item === 'number')
      ? (value as number[])
      : undefined;
  const labels = strings(record.actions);
  const probs = numbers(record.probs);
  const vector = numbers(record.vector);
  return {
    ...(labels ? { labels } : {}),
    ...(probs ? { probs } : {}),
    ...(vector ? { vector } : {}),
    ...(typeof record.action === 'number' ? { action: record.action } : {}),
    ...(typeof record.entropy === 'number' ? { entropy: record.entropy } : {}),
    warnings: strings(record.warnings) ?? [],
  };
}
