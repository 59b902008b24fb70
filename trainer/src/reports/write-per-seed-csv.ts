import { writeFileSync } from 'node:fs';

/** A figure for a table: fixed digits, and `—` for NaN or infinity (a missing measurement). */
export const formatFigure = (x: number, digits = 2) =>
  Number.isFinite(x) ? x.toFixed(digits) : '—';

/** One run of an experiment: which env, arm and seed it was. */
export interface SeedRow {
  env: string;
  arm: string;
  seed: number;
}

/**
 * Writes an experiment's per-seed table as CSV: `env,arm,seed`, then the experiment's own
 * `columns`; rows sorted by env, then arm in the experiment's order, then seed. The layout both
 * experiment analyses publish under `docs/results/`.
 */
export function writePerSeedCsv<Row extends SeedRow>(
  path: string,
  rows: readonly Row[],
  armOrder: readonly string[],
  columns: readonly (readonly [header: string, cell: (row: Row) => string | number])[],
): void {
  const sorted = [...rows].sort(
    (a, b) =>
      a.env.localeCompare(b.env) ||
      armOrder.indexOf(a.arm) - armOrder.indexOf(b.arm) ||
      a.seed - b.seed,
  );
  const lines = [
    ['env', 'arm', 'seed', ...columns.map(([header]) => header)].join(','),
    ...sorted.map((row) =>
      [row.env, row.arm, row.seed, ...columns.map(([, cell]) => cell(row))].join(','),
    ),
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
}
