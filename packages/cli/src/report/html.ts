import {
  formatTick,
  HEATMAP_RAMPS,
  heatmapColors,
  niceDomain,
  niceTicks,
  rgbToHex,
  tickStep,
} from '@mnist/metrics';
import { SIDE } from '@mnist/models';
import type { DashboardState, ModelRunState } from '../dashboard/state';
import { encodeGreyPng } from '../image/decode';
import { formatCount, formatDuration, formatLoss, formatPercent } from '../render/format';
import type { CalibrationFigures, EvaluationEvent } from '../events/types';
import { modelName, modelText } from '../render/messages';

/** What the report needs besides the run's state: the test images, to show the mistakes. */
export interface ReportSources {
  /** The pixels of test image `index` (row-major, 0..255). */
  readonly testImage: (index: number) => Uint8Array;
  /** How many misclassified examples to show per model (default 40). */
  readonly mistakesPerModel?: number;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * Renders the run as one self-contained HTML page: no scripts, no external resources (inline SVG
 * charts and data-URI PNG images), so it can be mailed or archived as one file.
 */
export function renderHtmlReport(state: DashboardState, sources: ReportSources): string {
  const start = state.start;
  const title = `MNIST ${start?.command ?? 'run'} report${start ? ` · ${start.models.join(', ')}` : ''}`;
  const meta: [string, string][] = start
    ? [
        ['Data set', `${start.dataset} (${start.source.kind}: ${start.source.location})`],
        ['Images', `${formatCount(start.trainCount)} training, ${formatCount(start.testCount)} test`],
        ['Backend', `${start.backend.name} (${start.backend.reason})`],
        ['Seed', start.seed === undefined ? '–' : String(start.seed)],
        ['Started', start.time],
        ['mnist CLI', start.version],
      ]
    : [];
  if (state.done) meta.push(['Outcome', state.done.message]);
  const sections = state.models.map((model) => modelSection(model, start?.classNames ?? [], sources));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}td,th{padding:.2rem .7rem;text-align:right;border-bottom:1px solid #eee}
th:first-child,td:first-child{text-align:left}.meta td{text-align:left}.big{font-size:2rem;font-weight:600}
.charts,.mistakes{display:flex;flex-wrap:wrap;gap:1.2rem}figure{margin:0;text-align:center;font-size:.8rem}
figure img{image-rendering:pixelated;border:1px solid #ccc;display:block}svg text{font:11px system-ui,sans-serif}
svg text:not([fill]){fill:currentColor}
@media (prefers-color-scheme: dark){body{background:#111;color:#eee}td,th{border-color:#333}}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<table class="meta">${meta.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
${sections.join('\n')}
</body>
</html>
`;
}

function modelSection(model: ModelRunState, classNames: readonly string[], sources: ReportSources): string {
  const { info, evaluation } = model;
  const parts: string[] = [
    `<section class="model" id="model-${escapeHtml(info.model)}">`,
    `<h2>${escapeHtml(modelName(info))}</h2>`,
  ];
  parts.push(
    `<p>${escapeHtml(modelText(info))}${model.saved ? ` · saved to <code>${escapeHtml(model.saved)}</code>` : ''}</p>`,
  );
  if (evaluation) {
    parts.push(
      `<p><span class="big test-accuracy">${formatPercent(evaluation.accuracy)}</span> test accuracy on ${formatCount(
        evaluation.count,
      )} images (loss ${formatLoss(evaluation.loss)})</p>`,
    );
  }
  if (model.epochs.length > 0) {
    parts.push('<h3>Training curves</h3><div class="charts">');
    parts.push(
      lineChart(
        'loss',
        'Training loss',
        model.epochs.map((e) => e.loss),
        model.lossSeries,
        model.positionSeries,
      ),
    );
    parts.push(
      lineChart(
        'accuracy',
        'Training accuracy',
        model.epochs.map((e) => e.accuracy),
        model.accuracySeries,
        model.positionSeries,
      ),
    );
    parts.push('</div>');
    parts.push(
      `<table class="epochs"><tr><th>Epoch</th><th>Loss</th><th>Accuracy</th><th>Time</th><th>Samples/s</th></tr>${model.epochs
        .map(
          (e) =>
            `<tr><td>${e.epoch}/${e.epochs}</td><td>${formatLoss(e.loss)}</td><td>${formatPercent(e.accuracy)}</td><td>${formatDuration(
              e.seconds,
            )}</td><td>${formatCount(e.samplesPerSecond)}</td></tr>`,
        )
        .join('')}</table>`,
    );
  }
  if (evaluation) {
    parts.push('<h3>Confusion matrix</h3>', heatmap(evaluation, classNames));
    parts.push('<h3>Per class</h3>', classTable(evaluation));
    if (evaluation.calibration) parts.push('<h3>Calibration</h3>', calibration(evaluation.calibration));
    parts.push('<h3>Misclassified examples</h3>', mistakes(evaluation, sources));
  }
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * A line chart of one training metric: the per-batch running values as a thin line (so a single
 * epoch still draws a curve) and the per-epoch values as points joined by a thick line.
 */
function lineChart(
  id: string,
  label: string,
  epochValues: readonly number[],
  batchSeries: readonly number[],
  batchPositions: readonly number[],
): string {
  const width = 480;
  const height = 260;
  const pad = { left: 56, right: 16, top: 24, bottom: 36 };
  const all = [...epochValues, ...batchSeries].filter(Number.isFinite);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const [yMin, yMax] = niceDomain(lo, hi === lo ? lo + (id === 'accuracy' ? 0.01 : 0.1) : hi, 5);
  const ticks = niceTicks(yMin, yMax, 5);
  const step = tickStep(yMin, yMax, 5);
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const y = (v: number) => pad.top + plotH - ((v - yMin) / (yMax - yMin || 1)) * plotH;
  // Both series share the x axis "epochs": a batch point sits where it was in the run (e.g. 1.5).
  const epochs = epochValues.length;
  const xEpoch = (e: number) => pad.left + (e / Math.max(epochs, 1)) * plotW;
  const batchPoints = batchSeries
    .map((v, k) => `${xEpoch(batchPositions[k] ?? 0).toFixed(1)},${y(v).toFixed(1)}`)
    .join(' ');
  const epochPoints = epochValues.map((v, k) => `${xEpoch(k + 1).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const format = (v: number) =>
    id === 'accuracy' ? `${formatTick(v * 100, step * 100)}%` : formatTick(v, step);
  return `<svg class="curve" data-series="${id}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}">
<text x="${pad.left}" y="14" font-weight="600">${label}</text>
${ticks
  .map(
    (t) =>
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ccc" stroke-width="0.5"/><text x="${pad.left - 6}" y="${(
        y(t) + 4
      ).toFixed(1)}" text-anchor="end">${format(t)}</text>`,
  )
  .join('\n')}
${Array.from({ length: epochs + 1 }, (_, e) => `<text x="${xEpoch(e).toFixed(1)}" y="${height - pad.bottom + 16}" text-anchor="middle">${e}</text>`).join('')}
<text x="${pad.left + plotW / 2}" y="${height - 6}" text-anchor="middle">epoch</text>
${batchPoints ? `<polyline class="batch-line" fill="none" stroke="#9ecae1" stroke-width="1" points="${batchPoints}"/>` : ''}
<polyline class="epoch-line" fill="none" stroke="#08519c" stroke-width="2.5" points="${epochPoints}"/>
${epochValues.map((v, k) => `<circle class="epoch-point" cx="${xEpoch(k + 1).toFixed(1)}" cy="${y(v).toFixed(1)}" r="4" fill="#08519c"><title>epoch ${k + 1}: ${id === 'accuracy' ? formatPercent(v) : formatLoss(v)}</title></circle>`).join('')}
</svg>`;
}

/**
 * The n×n confusion matrix as an SVG heatmap, coloured by @mnist/metrics' heatmap rule: zeros empty,
 * mistakes on their own scale (against the largest mistake), correct predictions on another; the count
 * in every cell and a legend for both scales. Values are shares of the true class (row-normalised).
 */
function heatmap(evaluation: EvaluationEvent, classNames: readonly string[]): string {
  const n = evaluation.confusion.length;
  const cell = 44;
  const left = 90;
  const top = 60;
  const size = n * cell;
  const label = (i: number) => escapeHtml(classNames[i] ?? String(i));
  const colors = heatmapColors(evaluation.confusion);
  const cells: string[] = [];
  colors.cells.forEach((row, actual) => {
    row.forEach((style, predicted) => {
      const x = left + predicted * cell;
      const yPos = top + actual * cell;
      const fill = style.background ?? 'none';
      const text = style.color === null ? '' : ` fill="${style.color}"`;
      cells.push(
        `<rect class="cell ${style.kind}" data-actual="${actual}" data-predicted="${predicted}" data-count="${style.count}" x="${x}" y="${yPos}" width="${cell}" height="${cell}" fill="${fill}"${
          style.kind === 'empty' ? ' stroke="currentColor" stroke-opacity="0.12"' : ''
        }><title>true ${label(actual)}, predicted ${label(predicted)}: ${style.count} (${formatPercent(style.share, 1)} of ${label(actual)})</title></rect>` +
          `<text x="${x + cell / 2}" y="${yPos + cell / 2 + 4}" text-anchor="middle"${text}${
            style.kind === 'empty' ? ' opacity="0.35"' : ''
          }>${style.count === 0 ? '·' : style.count}</text>`,
      );
    });
  });
  const id = escapeHtml(evaluation.model);
  const gradient = (kind: 'correct' | 'error') =>
    `<linearGradient id="ramp-${kind}-${id}" x1="0" x2="0" y1="1" y2="0">${Array.from(
      { length: 11 },
      (_, k) => `<stop offset="${k * 10}%" stop-color="${rgbToHex(HEATMAP_RAMPS[kind](k / 10))}"/>`,
    ).join('')}</linearGradient>`;
  const legendX = left + size + 30;
  const gap = 44;
  const half = (size - gap) / 2;
  const legendBar = (kind: 'correct' | 'error', y: number, title: string, max: number) =>
    `<text x="${legendX}" y="${y - 8}" font-weight="600">${title}</text>` +
    `<rect x="${legendX}" y="${y}" width="16" height="${half}" fill="url(#ramp-${kind}-${id})"/>` +
    `<text x="${legendX + 22}" y="${y + 10}">${formatPercent(max, 1)}</text>` +
    `<text x="${legendX + 22}" y="${y + half}">0%</text>`;
  const width = legendX + 150;
  return `<svg class="heatmap" width="${width}" height="${top + size + 20}" viewBox="0 0 ${width} ${top + size + 20}" role="img" aria-label="Confusion matrix">
<defs>${gradient('correct')}${gradient('error')}</defs>
<text x="${left + size / 2}" y="20" text-anchor="middle" font-weight="600">predicted</text>
${Array.from({ length: n }, (_, i) => `<text x="${left + i * cell + cell / 2}" y="${top - 8}" text-anchor="middle">${label(i)}</text>`).join('')}
<text x="14" y="${top + size / 2}" transform="rotate(-90 14 ${top + size / 2})" text-anchor="middle" font-weight="600">true</text>
${Array.from({ length: n }, (_, i) => `<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${label(i)}</text>`).join('')}
${cells.join('\n')}
<g class="legend">${legendBar('correct', top, 'correct', colors.maxCorrect)}${legendBar('error', top + half + gap, 'mistakes', colors.maxError)}
<text x="${legendX}" y="${top + size + 16}">share of the true class</text></g>
</svg>`;
}

/**
 * The reliability diagram: one bar per confidence bin, as high as the bin's accuracy, beside the diagonal where
 * a perfectly calibrated model's bars would end; the gap to the bin's mean confidence outlined in red. Bars are
 * shaded by how many images the bin holds (most images sit in the top bin). Then the ECE in words.
 */
function calibration(figures: CalibrationFigures): string {
  const width = 420;
  const height = 320;
  const pad = { left: 56, right: 16, top: 24, bottom: 44 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (v: number) => pad.left + v * plotW;
  const y = (v: number) => pad.top + plotH - v * plotH;
  const total = figures.bins.reduce((sum, bin) => sum + bin.count, 0);
  const most = Math.max(1, ...figures.bins.map((bin) => bin.count));
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const bars = figures.bins.map((bin, k) => {
    const attributes = `data-bin="${k}" data-count="${bin.count}" data-lower="${bin.lower}" data-upper="${bin.upper}"`;
    if (bin.accuracy === null || bin.confidence === null) {
      return `<rect class="bin empty" ${attributes} x="${x(bin.lower).toFixed(1)}" y="${y(0).toFixed(1)}" width="${(x(bin.upper) - x(bin.lower)).toFixed(1)}" height="0"/>`;
    }
    const left = x(bin.lower) + 1;
    const barWidth = Math.max(1, x(bin.upper) - x(bin.lower) - 2);
    const top = y(bin.accuracy);
    const gapTop = y(Math.max(bin.accuracy, bin.confidence));
    const gapBottom = y(Math.min(bin.accuracy, bin.confidence));
    const opacity = (0.35 + 0.65 * Math.sqrt(bin.count / most)).toFixed(2);
    const tip = `${formatPercent(bin.lower, 0)}–${formatPercent(bin.upper, 0)} sure: ${formatCount(bin.count)} images (${formatPercent(
      bin.count / Math.max(total, 1),
      1,
    )}), mean confidence ${formatPercent(bin.confidence, 1)}, right ${formatPercent(bin.accuracy, 1)}`;
    return (
      `<rect class="bin" ${attributes} data-accuracy="${bin.accuracy}" data-confidence="${bin.confidence}" x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y(0) - top).toFixed(1)}" fill="#08519c" fill-opacity="${opacity}"><title>${tip}</title></rect>` +
      `<rect class="gap" x="${left.toFixed(1)}" y="${gapTop.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(gapBottom - gapTop).toFixed(1)}" fill="none" stroke="#d62728" stroke-width="1.2"/>`
    );
  });
  const verdict =
    Math.abs(figures.confidence - figures.accuracy) < 0.005
      ? 'its confidence matches how often it is right'
      : figures.confidence > figures.accuracy
        ? 'over-confident: on average it is surer than it is right'
        : 'under-confident: on average it is right more often than it says';
  return `<svg class="reliability" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Reliability diagram">
<text x="${pad.left}" y="14" font-weight="600">Reliability (${figures.bins.length} bins)</text>
${ticks
  .map(
    (t) =>
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ccc" stroke-width="0.5"/><text x="${pad.left - 6}" y="${(
        y(t) + 4
      ).toFixed(
        1,
      )}" text-anchor="end">${t * 100}%</text><text x="${x(t).toFixed(1)}" y="${height - pad.bottom + 16}" text-anchor="middle">${t * 100}%</text>`,
  )
  .join('\n')}
${bars.join('\n')}
<line class="diagonal" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="4 3"/>
<text x="${pad.left + plotW / 2}" y="${height - 8}" text-anchor="middle">top probability (confidence)</text>
<text x="14" y="${pad.top + plotH / 2}" transform="rotate(-90 14 ${pad.top + plotH / 2})" text-anchor="middle">share right</text>
</svg>
<p class="calibration">Expected calibration error <span class="ece">${figures.ece.toFixed(4)}</span> (maximum ${figures.mce.toFixed(
    4,
  )}): the model is ${verdict} (mean confidence ${formatPercent(figures.confidence)}, accuracy ${formatPercent(
    figures.accuracy,
  )})${figures.temperature === 1 ? '' : `, with its temperature ${figures.temperature.toFixed(3)} applied`}. Bars are each bin's accuracy; on the dashed diagonal they would match the bin's mean confidence, and the red outline is the gap.</p>`;
}

function classTable(evaluation: EvaluationEvent): string {
  const row = (name: string, p: number, r: number, f: number, support: number) =>
    `<tr><td>${escapeHtml(name)}</td><td>${p.toFixed(4)}</td><td>${r.toFixed(4)}</td><td>${f.toFixed(4)}</td><td>${formatCount(support)}</td></tr>`;
  const total = evaluation.classes.reduce((sum, c) => sum + c.support, 0);
  return `<table class="per-class"><tr><th>Class</th><th>Precision</th><th>Recall</th><th>F1</th><th>Support</th></tr>
${evaluation.classes.map((c) => row(c.name, c.precision, c.recall, c.f1, c.support)).join('\n')}
${row('macro avg', evaluation.macro.precision, evaluation.macro.recall, evaluation.macro.f1, total)}
${row('weighted avg', evaluation.weighted.precision, evaluation.weighted.recall, evaluation.weighted.f1, total)}
</table>
<p>Most confused: ${
    evaluation.mostConfused.length === 0
      ? 'none'
      : evaluation.mostConfused.map((p) => `${p.actual} → ${p.predicted} (${p.count})`).join(', ')
  }</p>`;
}

function mistakes(evaluation: EvaluationEvent, sources: ReportSources): string {
  const shown = evaluation.misclassified.slice(0, sources.mistakesPerModel ?? 40);
  if (shown.length === 0) return '<p>None.</p>';
  return `<div class="mistakes">${shown
    .map((m) => {
      const png = encodeGreyPng({ width: SIDE, height: SIDE, pixels: sources.testImage(m.index) }).toString(
        'base64',
      );
      return `<figure class="mistake" data-index="${m.index}"><img alt="test image ${m.index}" width="56" height="56" src="data:image/png;base64,${png}"><figcaption>#${m.index}: ${m.actual} → ${m.predicted} (${formatPercent(
        m.confidence,
        0,
      )})</figcaption></figure>`;
    })
    .join('')}</div>`;
}
