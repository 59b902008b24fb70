/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { UpstreamCallRecord } from '../stores/audit-log.ts';
import { formatTime } from './format-time.ts';
import { JsonBlock } from './json-block.tsx';

/** One attempt at the provider: what was sent and what came back, as recorded. */
export function UpstreamCallView(props: { call: UpstreamCallRecord; open: boolean }) {
  const { call } = props;
  const failed = call.errorKind !== undefined || (call.status !== undefined && call.status >= 300);
  return (
    <details class="upstream-call" open={props.open}>
      <summary>
        Attempt {call.attempt} · {call.provider} / {call.model} ·{' '}
        <span class={failed ? 'badge error' : 'badge'}>
          {call.status === undefined ? 'no response' : String(call.status)}
        </span>
        {call.errorKind && <span class="badge error">{call.errorKind}</span>} ·{' '}
        {`${Math.round(call.durationMs)} ms`}
      </summary>
      <div class="body">
        <dl class="facts">
          <dt>Started</dt>
          <dd class="mono">{formatTime(call.startedAt)}</dd>
          {call.url && (
            <>
              <dt>URL</dt>
              <dd class="mono">{call.url}</dd>
            </>
          )}
          {call.errorMessage && (
            <>
              <dt>Error</dt>
              <dd class="error-text">{call.errorMessage}</dd>
            </>
          )}
        </dl>
        <div>
          <strong>Request body</strong> <span class="muted">(images replaced by their hashes)</span>
          <JsonBlock value={call.requestBody} />
        </div>
        <div>
          <strong>Response body</strong>
          <JsonBlock value={call.responseBody} />
        </div>
        {call.headers && (
          <div>
            <strong>Response headers</strong>
            <JsonBlock value={call.headers} />
          </div>
        )}
      </div>
    </details>
  );
}
