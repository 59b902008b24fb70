/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */

const rowHeight = 26;
const labelWidth = 170;
const barWidth = 320;
const valueWidth = 150;

/**
 * The suggested distribution as horizontal bars, one per action label, drawn as SVG on the
 * server so the page needs no script. The suggested action is highlighted and the planner's
 * action (from the `plannerAction` tag) is marked, so disagreements show at a glance.
 */
export function DistributionChart(props: {
  labels: string[];
  probs: number[];
  action?: number;
  plannerAction?: number;
}) {
  const height = props.labels.length * rowHeight + 8;
  const width = labelWidth + barWidth + valueWidth;
  return (
    <svg
      class="chart"
      role="img"
      aria-label="action distribution"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      {props.labels.map((label, index) => {
        const p = props.probs[index] ?? 0;
        const y = 4 + index * rowHeight;
        const chosen = index === props.action;
        return (
          <g data-label={label}>
            <text x={labelWidth - 8} y={y + rowHeight / 2 + 4} text-anchor="end">
              {label.length > 24 ? `${label.slice(0, 23)}…` : label}
            </text>
            <rect
              class="track"
              x={labelWidth}
              y={y + 4}
              width={barWidth}
              height={rowHeight - 8}
              rx="3"
            />
            <rect
              class={chosen ? 'bar chosen' : 'bar'}
              x={labelWidth}
              y={y + 4}
              width={Math.max(1, Math.min(1, p) * barWidth)}
              height={rowHeight - 8}
              rx="3"
            >
              <title>{`${label}: ${p.toFixed(4)}`}</title>
            </rect>
            <text class="value" x={labelWidth + barWidth + 8} y={y + rowHeight / 2 + 4}>
              {p.toFixed(3)}
            </text>
            {index === props.plannerAction && (
              <text class="planner" x={labelWidth + barWidth + 56} y={y + rowHeight / 2 + 4}>
                ◀ planner
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
