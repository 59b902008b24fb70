/**
 * @module
 * Learning curves as SVG (vega-lite compiled to vega, rendered headless in Node) and PNG
 * (the SVG rasterised by resvg). Both are npm packages with no native downloads beyond
 * resvg's prebuilt binary package.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { CurvePoint } from './summarize-runs.ts';

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
}

/**
 * Return versus frames, one panel per environment, the mean over seeds as a line and ±1
 * standard deviation as a band, one colour per method.
 *
 * @example
 * const { svg, png } = await renderLearningCurves(learningCurves(runs, 5), { title: 'DoorKey-5x5' })
 */
export async function renderLearningCurves(
  points: readonly CurvePoint[],
  options: { title: string; threshold?: number; metricLabel?: string },
): Promise<RenderedChart> {
  const data = points.map((point) => ({
    ...point,
    env: point.envId.replace(/^MiniGrid-|-v0$/g, ''),
  }));
  const encodingX = { field: 'frames', type: 'quantitative', title: 'environment frames' } as const;
  const color = { field: 'label', type: 'nominal', title: 'method' } as const;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title,
      subtitle: `smoothed ${options.metricLabel ?? 'episodic return'}; line: mean over seeds, band: ± 1 standard deviation`,
    },
    data: { values: data },
    facet: { column: { field: 'env', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: 220,
      layer: [
        {
          mark: { type: 'area', opacity: 0.18 },
          encoding: {
            x: encodingX,
            y: {
              field: 'low',
              type: 'quantitative',
              title: options.metricLabel ?? 'episodic return',
              scale: { domain: [0, 1] },
            },
            y2: { field: 'high' },
            color,
          },
        },
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: { x: encodingX, y: { field: 'mean', type: 'quantitative' }, color },
        },
        ...(options.threshold === undefined
          ? []
          : [
              {
                mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#888' },
                encoding: { y: { datum: options.threshold } },
              },
            ]),
      ],
    },
    resolve: { scale: { x: 'independent' } },
    // Legend swatches as opaque strokes: the band's pale fill is hard to match to a line.
    config: {
      font: 'DejaVu Sans',
      background: 'white',
      legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 },
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: 'white',
  })
    .render()
    .asPng();
  return { svg, png };
}
