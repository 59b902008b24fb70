import type { SqliteDatabase } from './open-database.ts';
import { sentResultSql } from './served-reference.ts';

export interface TokenPricing {
  inputPerMillion: number;
  outputPerMillion: number;
}

export interface RunSummary {
  /** `null` for requests that carried no `run` tag. */
  run: string | null;
  firstTime: number;
  lastTime: number;
  providers: string[];
  requests: number;
  upstreamCalls: number;
  cache: { hit: number; miss: number; coalesced: number; replayed: number };
  /** Answers served without an upstream call of their own (hit, replayed, coalesced) over successful requests. */
  hitRate: number | undefined;
  /** Tokens paid for: the rows that went upstream (cache misses). */
  tokens: { input: number; output: number };
  /** Tokens that cache hits did not spend: what their answers cost when first fetched. */
  savedTokens: { input: number; output: number };
  /** Undefined when a provider with tokens has no `pricing` in the config. */
  costUsd: number | undefined;
  savingsUsd: number | undefined;
  errors: number;
  errorsByCode: Record<string, number>;
  /** Requests whose tags carry a numeric `plannerAction` and whose answer has an `action`. */
  agreement: { compared: number; agreed: number };
}

export interface GroupRow {
  run: string | null;
  provider: string | null;
  first_time: number;
  last_time: number;
  requests: number;
  upstream_calls: number;
  hit: number;
  miss: number;
  coalesced: number;
  replayed: number;
  spent_input: number;
  spent_output: number;
  saved_input: number;
  saved_output: number;
  errors: number;
  compared: number;
  agreed: number;
}

export interface ErrorRow {
  run: string | null;
  error_code: string | null;
  count: number;
}

/**
 * Per-run totals over the audit log's `requests` table, newest run first. Rows are grouped by
 * run and provider in SQL so pricing, which is per provider, can be applied before the
 * provider groups of a run are added up.
 *
 * @example
 * const [summary] = summarizeRuns(database, { pricing: new Map([['openai', { inputPerMillion: 0.15, outputPerMillion: 0.6 }]]), run: 'ppo-7' })
 */
export function summarizeRuns(
  database: SqliteDatabase,
  options: { pricing: ReadonlyMap<string, TokenPricing>; run?: string },
): RunSummary[] {
  const where = options.run === undefined ? '' : 'WHERE run = @run';
  const parameters: Record<string, string> = options.run === undefined ? {} : { run: options.run };
  const groups = database
    .prepare<[Record<string, string>], GroupRow>(
      `SELECT run, provider,
         MIN(time) AS first_time, MAX(time) AS last_time,
         COUNT(*) AS requests,
         SUM(upstream_calls) AS upstream_calls,
         ${count("cache = 'hit'")} AS hit,
         ${count("cache = 'miss'")} AS miss,
         ${count("cache = 'coalesced'")} AS coalesced,
         ${count("cache = 'replayed'")} AS replayed,
         SUM(CASE WHEN cache = 'miss' THEN input_tokens ELSE 0 END) AS spent_input,
         SUM(CASE WHEN cache = 'miss' THEN output_tokens ELSE 0 END) AS spent_output,
         SUM(CASE WHEN status < 300 AND cache IN ('hit', 'replayed', 'coalesced') THEN input_tokens ELSE 0 END) AS saved_input,
         SUM(CASE WHEN status < 300 AND cache IN ('hit', 'replayed', 'coalesced') THEN output_tokens ELSE 0 END) AS saved_output,
         ${count('status >= 300')} AS errors,
         ${count(comparable)} AS compared,
         ${count(`${comparable} AND json_extract(tags, '$.plannerAction') = json_extract(${sentResultSql}, '$.action')`)} AS agreed
       FROM requests ${where}
       GROUP BY run, provider`,
    )
    .all(parameters);
  const errorRows = database
    .prepare<[Record<string, string>], ErrorRow>(
      `SELECT run, error_code, COUNT(*) AS count FROM requests
       ${where ? `${where} AND` : 'WHERE'} status >= 300
       GROUP BY run, error_code`,
    )
    .all(parameters);
  return combineRunGroups(groups, errorRows, options.pricing);
}

/**
 * Adds up the per-(run, provider) groups and error counts either backend's SQL returns into run
 * summaries, pricing each provider's tokens first.
 */
export function combineRunGroups(
  groups: readonly GroupRow[],
  errorRows: readonly ErrorRow[],
  pricing: ReadonlyMap<string, TokenPricing>,
): RunSummary[] {
  const runs = new Map<string | null, RunSummary & { unpriced: boolean }>();
  for (const group of groups) {
    let summary = runs.get(group.run);
    if (!summary) {
      summary = emptySummary(group.run, group.first_time);
      runs.set(group.run, summary);
    }
    summary.firstTime = Math.min(summary.firstTime, group.first_time);
    summary.lastTime = Math.max(summary.lastTime, group.last_time);
    if (group.provider !== null) summary.providers.push(group.provider);
    summary.requests += group.requests;
    summary.upstreamCalls += group.upstream_calls;
    summary.cache.hit += group.hit;
    summary.cache.miss += group.miss;
    summary.cache.coalesced += group.coalesced;
    summary.cache.replayed += group.replayed;
    summary.tokens.input += group.spent_input;
    summary.tokens.output += group.spent_output;
    summary.savedTokens.input += group.saved_input;
    summary.savedTokens.output += group.saved_output;
    summary.errors += group.errors;
    summary.agreement.compared += group.compared;
    summary.agreement.agreed += group.agreed;
    const providerPricing = group.provider === null ? undefined : pricing.get(group.provider);
    const hasTokens =
      group.spent_input + group.spent_output + group.saved_input + group.saved_output > 0;
    if (providerPricing) {
      summary.costUsd =
        (summary.costUsd ?? 0) + price(providerPricing, group.spent_input, group.spent_output);
      summary.savingsUsd =
        (summary.savingsUsd ?? 0) + price(providerPricing, group.saved_input, group.saved_output);
    } else if (hasTokens) {
      summary.unpriced = true;
    }
  }
  for (const row of errorRows) {
    const summary = runs.get(row.run);
    if (summary) summary.errorsByCode[row.error_code ?? 'unknown'] = row.count;
  }
  return [...runs.values()]
    .map(({ unpriced, ...summary }) => {
      const ok = summary.requests - summary.errors;
      const served = summary.cache.hit + summary.cache.replayed + summary.cache.coalesced;
      return {
        ...summary,
        providers: summary.providers.sort(),
        hitRate: ok > 0 ? served / ok : undefined,
        // A partial sum would understate the run, so an unpriced provider makes the total unknown.
        ...(unpriced ? { costUsd: undefined, savingsUsd: undefined } : {}),
      };
    })
    .sort((a, b) => b.lastTime - a.lastTime);
}

/** Only numbers compare: a string tag like "unknown" says nothing about agreement. */
const comparable = `(status < 300
  AND json_type(tags, '$.plannerAction') IN ('integer', 'real')
  AND json_type(${sentResultSql}, '$.action') = 'integer')`;

/** CASE rather than SUM(condition): a NULL column (errors have no cache outcome) must count as 0. */
function count(condition: string): string {
  return `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
}

function price(pricing: TokenPricing, input: number, output: number): number {
  return (input * pricing.inputPerMillion + output * pricing.outputPerMillion) / 1_000_000;
}

function emptySummary(run: string | null, time: number): RunSummary & { unpriced: boolean } {
  return {
    run,
    firstTime: time,
    lastTime: time,
    providers: [],
    requests: 0,
    upstreamCalls: 0,
    cache: { hit: 0, miss: 0, coalesced: 0, replayed: 0 },
    hitRate: undefined,
    tokens: { input: 0, output: 0 },
    savedTokens: { input: 0, output: 0 },
    costUsd: undefined,
    savingsUsd: undefined,
    errors: 0,
    errorsByCode: {},
    agreement: { compared: 0, agreed: 0 },
    unpriced: false,
  };
}
