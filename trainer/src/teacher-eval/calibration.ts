/** One bin of a reliability diagram: answers whose top probability fell in [low, high). */
export interface ReliabilityBin {
  low: number;
  high: number;
  count: number;
  /** Mean top probability in the bin. */
  confidence: number;
  /** Share of the bin's answers whose top action was the planner's. */
  accuracy: number;
}

/**
 * Equal-width bins over the top probability, and the expected calibration error
 * `sum_b (n_b / n) |accuracy_b - confidence_b|` (Guo et al. 2017).
 *
 * @example
 * calibration([{ confidence: 0.9, correct: true }, { confidence: 0.9, correct: false }]).ece // 0.4
 */
export function calibration(
  answers: readonly { confidence: number; correct: boolean }[],
  binCount = 10,
): { ece: number; bins: ReliabilityBin[] } {
  const bins = Array.from({ length: binCount }, (_, i) => ({
    low: i / binCount,
    high: (i + 1) / binCount,
    count: 0,
    confidence: 0,
    accuracy: 0,
  }));
  for (const { confidence, correct } of answers) {
    const bin = bins[Math.min(binCount - 1, Math.max(0, Math.floor(confidence * binCount)))]!;
    bin.count += 1;
    bin.confidence += confidence;
    bin.accuracy += correct ? 1 : 0;
  }
  let ece = 0;
  for (const bin of bins) {
    if (bin.count === 0) continue;
    bin.confidence /= bin.count;
    bin.accuracy /= bin.count;
    ece += (bin.count / Math.max(1, answers.length)) * Math.abs(bin.accuracy - bin.confidence);
  }
  return { ece, bins };
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** A reliability diagram as a standalone SVG: accuracy per confidence bin against the diagonal, bin counts below. */
export function renderReliabilitySvg(bins: readonly ReliabilityBin[], title: string): string {
  const size = 320;
  const pad = 44;
  const plot = size - 2 * pad;
  const x = (v: number) => pad + v * plot;
  const y = (v: number) => pad + (1 - v) * plot;
  const most = Math.max(1, ...bins.map((b) => b.count));
  const bars = bins
    .filter((b) => b.count > 0)
    .map((b) => {
      const width = (b.high - b.low) * plot - 2;
      const gap = Math.abs(b.accuracy - b.confidence);
      return [
        `<rect x="${x(b.low) + 1}" y="${y(b.accuracy)}" width="${width}" height="${plot * b.accuracy}" fill="#4c78a8"><title>${b.count} answers, confidence ${b.confidence.toFixed(2)}, accuracy ${b.accuracy.toFixed(2)}</title></rect>`,
        gap > 0
          ? `<rect x="${x(b.low) + 1}" y="${y(Math.max(b.accuracy, b.confidence))}" width="${width}" height="${plot * gap}" fill="#e45756" fill-opacity="0.35"/>`
          : '',
        `<rect x="${x(b.low) + 1}" y="${size - pad + 22}" width="${width}" height="${(10 * b.count) / most}" fill="#999"/>`,
      ].join('');
    })
    .join('\n');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<text x="${x(t)}" y="${size - pad + 14}" font-size="10" text-anchor="middle">${t}</text><text x="${pad - 6}" y="${y(t) + 3}" font-size="10" text-anchor="end">${t}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 20}" viewBox="0 0 ${size} ${size + 20}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${size / 2}" y="18" font-size="12" text-anchor="middle">${escapeXml(title)}</text>
<rect x="${pad}" y="${pad}" width="${plot}" height="${plot}" fill="none" stroke="#333"/>
${bars}
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#333" stroke-dasharray="4 3"/>
${ticks}
<text x="${size / 2}" y="${size + 14}" font-size="11" text-anchor="middle">top probability (bars under the axis: answers per bin)</text>
<text x="12" y="${size / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${size / 2})">agreement with planner</text>
</svg>
`;
}
