/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { RunSummary } from '../stores/summarize-runs.ts';
import { RunSummaryTable } from './run-summary-table.tsx';
import { ViewerLayout } from './viewer-layout.tsx';

/** Every run in the audit log, most recently active first. */
export function RunSummaryPage(props: { summaries: RunSummary[] }) {
  return (
    <ViewerLayout title="Runs" section="runs">
      <h1>Runs</h1>
      <RunSummaryTable summaries={props.summaries} />
      <p class="muted">
        Costs use each provider's <code>pricing</code> from the gateway config; "no pricing" means a
        provider in the run has none. Savings price the tokens that cache hits, replays and
        coalesced waits did not spend. Teacher agreement compares a numeric{' '}
        <code>plannerAction</code> tag with the suggested action.
      </p>
    </ViewerLayout>
  );
}
