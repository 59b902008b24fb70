import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  calibration,
  renderReliabilitySvg,
} from '@teacher-gateway/trainer/internal/teacher-eval/calibration';

describe('calibration', () => {
  it('ECE is the count-weighted gap between accuracy and confidence per bin', () => {
    const answers = [
      { confidence: 0.95, correct: true },
      { confidence: 0.95, correct: false },
      { confidence: 0.55, correct: true },
      { confidence: 0.55, correct: true },
    ];
    const { ece, bins } = calibration(answers);
    // bin 0.9-1: accuracy 0.5, confidence 0.95 (gap 0.45); bin 0.5-0.6: accuracy 1, confidence 0.55 (gap 0.45)
    assert.ok(Math.abs(ece - 0.45) < 1e-12);
    assert.equal(bins[9]!.count, 2);
    assert.equal(bins[5]!.accuracy, 1);
    assert.equal(calibration([{ confidence: 1, correct: true }]).ece, 0);
    const svg = renderReliabilitySvg(bins, 'a <title>');
    assert.match(svg, /^<svg/);
    assert.match(svg, /a &lt;title&gt;/);
    assert.equal((svg.match(/fill="#4c78a8"/g) ?? []).length, 2);
  });
});
