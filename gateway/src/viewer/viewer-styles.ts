/** The viewer's whole stylesheet, inlined into every page so there is nothing else to serve. */
export const viewerStyles = `
:root { --ink: #1d2330; --muted: #667085; --line: #e3e7ee; --panel: #ffffff; --page: #f5f7fa;
  --accent: #2f6fde; --good: #1f8a4c; --bad: #c0352b; --warn: #b7791f; --bar: #8fb3f0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--page); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #1d2330; }
header.top .brand { color: #fff; font-weight: 600; }
header.top nav a { color: #c8d1e0; margin-right: 16px; }
header.top nav a.active { color: #fff; font-weight: 600; }
main { padding: 20px 24px 48px; max-width: 1400px; }
h1 { font-size: 20px; margin: 0 0 16px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin-bottom: 16px; }
form.filters { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: flex-end; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
form.filters select, form.filters input { font: inherit; padding: 4px 6px; border: 1px solid #c9d0db; border-radius: 4px; background: #fff; min-width: 120px; }
button { font: inherit; padding: 5px 14px; border: 0; border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
table { border-collapse: collapse; width: 100%; background: var(--panel); }
th, td { text-align: left; padding: 6px 9px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #fafbfc; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:hover { background: #f0f5ff; }
.table-wrap { border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.muted { color: var(--muted); }
.badge { display: inline-block; white-space: nowrap; padding: 0 7px; border-radius: 9px; font-size: 12px; background: #e9edf3; color: #3b4557; }
.badge.hit, .badge.replayed { background: #dcf3e5; color: var(--good); }
.badge.coalesced { background: #e3ecfd; color: var(--accent); }
.badge.error { background: #fbe3e1; color: var(--bad); }
.badge.agree { background: #dcf3e5; color: var(--good); }
.badge.disagree { background: #fdf0d9; color: var(--warn); }
.pager { display: flex; gap: 16px; margin-top: 12px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.nowrap { white-space: nowrap; }
.detail-grid { display: grid; grid-template-columns: minmax(360px, 1.5fr) minmax(300px, 1fr); gap: 16px; align-items: start; }
.observation figure { margin: 0; }
.observation figcaption { overflow-wrap: anywhere; margin-top: 4px; }
.observation img { image-rendering: pixelated; width: 256px; max-width: 100%; border: 1px solid var(--line); background: #fff; }
pre { margin: 0; padding: 10px 12px; background: #f7f8fa; border: 1px solid var(--line); border-radius: 4px; overflow: auto; max-height: 420px; white-space: pre-wrap; word-break: break-word; font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
details { border: 1px solid var(--line); border-radius: 6px; background: var(--panel); margin-bottom: 10px; }
details > summary { cursor: pointer; padding: 8px 12px; font-weight: 600; }
details > .body { padding: 0 12px 12px; display: grid; gap: 8px; }
.error-text { color: var(--bad); }
svg.chart text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg.chart rect.bar { fill: var(--bar); }
svg.chart rect.bar.chosen { fill: var(--accent); }
svg.chart rect.track { fill: #eef1f6; }
svg.chart text.value { fill: var(--muted); }
svg.chart text.planner { fill: var(--warn); font-weight: 600; }
.empty { padding: 24px; text-align: center; color: var(--muted); }
`;
