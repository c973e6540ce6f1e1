/**
 * Vega-Lite specifications of the report charts. Plain JSON built from a result and its
 * profile: `renderReport` renders them to SVG in Node, the web app renders the same specs in the
 * browser.
 *
 * @module
 */
import type { QuantificationResult } from '../model/result';
import type { DepthProfile } from '../profile';
import type { LineDepthCurve } from './lines';

/** A Vega-Lite specification (plain JSON). */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** An interval of an element's mass fraction (e.g. the 68 % interval of a refinement). */
export interface MassFractionInterval {
  /** Lower bound (mass fraction 0..1). */
  massFractionLow: number;
  /** Upper bound (mass fraction 0..1). */
  massFractionHigh: number;
}

/** A fitted (modelled) line-intensity depth curve to draw next to the measured one. */
export interface FittedLineCurve {
  /** Element symbol. */
  element: string;
  /** Line id, as in {@link LineDepthCurve.line}. */
  line: string;
  /** Scan positions (µm). */
  depthsUm: ArrayLike<number>;
  /** Modelled net counts per second of live time. */
  countsPerS: ArrayLike<number>;
}

/** Known true values (simulated examples, reference materials) to show next to the estimate. */
export interface ReportTruth {
  /** True element mass fractions (0..1) by symbol. */
  massFractions?: Record<string, number>;
  /** True density (g/cm³). */
  densityGPerCm3?: number;
  /** True surface position on the scan axis (µm). */
  surfaceUm?: number;
}

/** One row of the element table/chart. */
export interface ReportElementRow {
  /** Element symbol. */
  element: string;
  /** Reported mass fraction (0..1; 0 when not detected). */
  massFraction: number;
  /** Regressed mass fraction whatever the detection (0..1). */
  massFractionRaw: number;
  /** Presence probability (0..1). */
  presenceProbability: number;
  /** Presence probability ≥ threshold. */
  detected: boolean;
  /** Lower bound of the interval, when uncertainties were given. */
  massFractionLow?: number;
  /** Upper bound of the interval, when uncertainties were given. */
  massFractionHigh?: number;
  /** True mass fraction, when known. */
  trueMassFraction?: number;
}

/** Options of {@link reportElementRows}. */
export interface ReportElementRowsOptions {
  /** Intervals by element symbol (drawn as error bars). */
  uncertainties?: Record<string, MassFractionInterval>;
  /** True values (drawn as marks). */
  truth?: ReportTruth;
  /**
   * Which elements: `'detected'` (plus undetected elements with a true value), or `'all'`.
   * @default 'detected'
   */
  include?: 'detected' | 'all';
}

/**
 * Rows of the element table, detected elements first by decreasing mass fraction.
 *
 * @example
 * ```ts
 * const rows = reportElementRows(result, { truth: { massFractions: { Fe: 0.01 } } });
 * rows[0]; // { element: 'Fe', massFraction: 0.0093, presenceProbability: 0.99, trueMassFraction: 0.01, … }
 * ```
 */
export function reportElementRows(
  result: QuantificationResult,
  options: ReportElementRowsOptions = {},
): ReportElementRow[] {
  const truth = options.truth?.massFractions ?? {};
  const rows: ReportElementRow[] = [];
  for (const e of result.elements) {
    const t = truth[e.element];
    if (options.include !== 'all' && !e.detected && !(t !== undefined && t > 0)) continue;
    const row: ReportElementRow = {
      element: e.element,
      massFraction: e.massFraction,
      massFractionRaw: e.massFractionRaw,
      presenceProbability: e.presenceProbability,
      detected: e.detected,
    };
    const u = options.uncertainties?.[e.element];
    if (u) {
      row.massFractionLow = u.massFractionLow;
      row.massFractionHigh = u.massFractionHigh;
    }
    if (t !== undefined) row.trueMassFraction = t;
    rows.push(row);
  }
  rows.sort(
    (a, b) =>
      Number(b.detected) - Number(a.detected) ||
      b.massFraction - a.massFraction ||
      (b.trueMassFraction ?? 0) - (a.trueMassFraction ?? 0),
  );
  return rows;
}

/** Options of {@link depthHeatmapSpec}. */
export interface DepthHeatmapOptions {
  /** Energy bin of the map (keV); each bin of each step is one SVG rect. @default 0.2 */
  energyBinKeV?: number;
  /** Lowest energy shown (keV). @default 1 */
  minEnergyKeV?: number;
  /** Highest energy shown (keV). @default min(25, top of the calibration) */
  maxEnergyKeV?: number;
  /** Surface position to mark (µm on the scan axis). */
  surfaceUm?: number;
  /** Chart width (px). @default 640 */
  width?: number;
}

/**
 * Heat map of the measured spectra vs scan position (counts per second per energy bin,
 * symmetric-log colour scale), with the surface marked.
 *
 * @example
 * ```ts
 * const spec = depthHeatmapSpec(profile, { surfaceUm: result.surfaceUm });
 * const svg = await renderSpecToSvg(spec);
 * ```
 */
export function depthHeatmapSpec(
  profile: DepthProfile,
  options: DepthHeatmapOptions = {},
): VegaLiteSpec {
  const { offsetKeV, gainKeVPerChannel, nChannels } = profile.calibration;
  const topKeV = offsetKeV + gainKeVPerChannel * (nChannels - 1);
  const bin = options.energyBinKeV ?? 0.2;
  const lo = Math.max(options.minEnergyKeV ?? 1, offsetKeV);
  const hi = Math.min(options.maxEnergyKeV ?? 25, topKeV);
  const nBins = Math.max(1, Math.floor((hi - lo) / bin));
  const values: { depthUm: number; energyKeV: number; countsPerS: number }[] = [];
  const sums = new Float64Array(nBins);
  for (let s = 0; s < profile.nSteps; s++) {
    sums.fill(0);
    const base = s * nChannels;
    for (let c = 0; c < nChannels; c++) {
      const b = Math.floor((offsetKeV + gainKeVPerChannel * c - lo) / bin);
      if (b >= 0 && b < nBins) sums[b] += profile.counts[base + c];
    }
    const live = profile.liveTimesS[s] > 0 ? profile.liveTimesS[s] : 1;
    for (let b = 0; b < nBins; b++)
      values.push({
        depthUm: round(profile.depthsUm[s], 3),
        energyKeV: round(lo + (b + 0.5) * bin, 4),
        countsPerS: round(sums[b] / live, 4),
      });
  }
  const stepUm =
    profile.nSteps > 1
      ? Math.abs(profile.depthsUm[profile.nSteps - 1] - profile.depthsUm[0]) / (profile.nSteps - 1)
      : 1;
  // One rect per (depth step, energy bin): x/x2 span the bin, y/y2 the step.
  const layers: VegaLiteSpec[] = [
    {
      data: { values },
      transform: [
        { calculate: `datum.energyKeV - ${bin / 2}`, as: 'e0' },
        { calculate: `datum.energyKeV + ${bin / 2}`, as: 'e1' },
        { calculate: `datum.depthUm - ${stepUm / 2}`, as: 'd0' },
        { calculate: `datum.depthUm + ${stepUm / 2}`, as: 'd1' },
      ],
      // No per-cell ARIA labels: they would triple the size of the SVG.
      mark: { type: 'rect', aria: false },
      encoding: {
        x: {
          field: 'e0',
          type: 'quantitative',
          title: 'energy (keV)',
          scale: { domain: [lo, lo + nBins * bin], nice: false },
          axis: { grid: false },
        },
        x2: { field: 'e1' },
        y: {
          field: 'd0',
          type: 'quantitative',
          title: 'scan position (µm)',
          scale: { reverse: true, nice: false, zero: false },
          axis: { grid: false },
        },
        y2: { field: 'd1' },
        color: {
          field: 'countsPerS',
          type: 'quantitative',
          title: 'counts/s',
          scale: { type: 'symlog', scheme: 'viridis' },
        },
      },
    },
  ];
  if (options.surfaceUm !== undefined && Number.isFinite(options.surfaceUm))
    layers.push({
      data: { values: [{ surfaceUm: round(options.surfaceUm, 3), label: 'surface' }] },
      mark: { type: 'rule', color: 'white', strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { y: { field: 'surfaceUm', type: 'quantitative' } },
    });
  return {
    $schema: SCHEMA,
    title: 'Measured spectra vs scan position',
    width: options.width ?? 640,
    height: 260,
    layer: layers,
  };
}

/** Options of {@link lineCurvesSpec}. */
export interface LineCurvesSpecOptions {
  /** Fitted curves to draw as lines next to the measured points. */
  fitted?: readonly FittedLineCurve[];
  /** Surface position to mark (µm on the scan axis). */
  surfaceUm?: number;
  /** Panels per row. @default 3 */
  columns?: number;
}

/**
 * Small multiples of line-intensity depth curves: measured points per line (and fitted lines
 * where given), each panel with its own intensity scale, the surface marked.
 *
 * @example
 * ```ts
 * const curves = lineDepthCurves(profile, ['Fe', 'Zn', 'Pb']);
 * const spec = lineCurvesSpec(curves, { surfaceUm: result.surfaceUm });
 * ```
 */
export function lineCurvesSpec(
  curves: readonly LineDepthCurve[],
  options: LineCurvesSpecOptions = {},
): VegaLiteSpec {
  const label = (el: string, line: string): string =>
    `${el} ${line === 'KA1' ? 'Kα' : line === 'LA1' ? 'Lα' : line}`;
  const values: { panel: string; depthUm: number; countsPerS: number; kind: string }[] = [];
  for (const c of curves)
    for (let i = 0; i < c.depthsUm.length; i++)
      values.push({
        panel: label(c.element, c.line),
        depthUm: round(c.depthsUm[i], 3),
        countsPerS: round(c.countsPerS[i], 4),
        kind: 'measured',
      });
  const panels = new Set(values.map((v) => v.panel));
  for (const f of options.fitted ?? []) {
    const panel = label(f.element, f.line);
    if (!panels.has(panel)) continue;
    for (let i = 0; i < f.depthsUm.length; i++)
      values.push({
        panel,
        depthUm: round(f.depthsUm[i], 3),
        countsPerS: round(f.countsPerS[i], 4),
        kind: 'fitted',
      });
  }
  const layer: VegaLiteSpec[] = [
    {
      transform: [{ filter: "datum.kind === 'measured'" }],
      mark: { type: 'point', filled: true, size: 18 },
      encoding: {
        x: { field: 'depthUm', type: 'quantitative', title: 'scan position (µm)' },
        y: { field: 'countsPerS', type: 'quantitative', title: 'net counts/s' },
        color: { field: 'kind', type: 'nominal', title: null },
      },
    },
    {
      transform: [{ filter: "datum.kind === 'fitted'" }],
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'depthUm', type: 'quantitative' },
        y: { field: 'countsPerS', type: 'quantitative' },
        color: { field: 'kind', type: 'nominal' },
      },
    },
  ];
  if (options.surfaceUm !== undefined && Number.isFinite(options.surfaceUm))
    layer.push({
      mark: { type: 'rule', color: '#888', strokeDash: [4, 3] },
      encoding: { x: { datum: round(options.surfaceUm, 3), type: 'quantitative' } },
    });
  return {
    $schema: SCHEMA,
    title: 'Line intensity vs scan position',
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: [...panels] },
    columns: options.columns ?? 3,
    spec: { width: 190, height: 120, layer },
    resolve: { scale: { y: 'independent' } },
  };
}

/** Options of {@link elementChartSpec}. */
export interface ElementChartSpecOptions {
  /** Chart width (px). @default 520 */
  width?: number;
}

/**
 * Bar chart of the mass fractions on a log scale, with error bars where rows carry an interval
 * and black ticks at true values where known. Undetected rows (shown for their true value)
 * have no bar.
 *
 * @example
 * ```ts
 * const spec = elementChartSpec(reportElementRows(result));
 * ```
 */
export function elementChartSpec(
  rows: readonly ReportElementRow[],
  options: ElementChartSpecOptions = {},
): VegaLiteSpec {
  const values = rows.map((r) => ({
    element: r.element,
    massFraction: r.massFraction > 0 ? r.massFraction : null,
    low: r.massFractionLow ?? null,
    high: r.massFractionHigh ?? null,
    truth: r.trueMassFraction ?? null,
    presenceProbability: round(r.presenceProbability, 4),
  }));
  const positive = values.flatMap((v) =>
    [v.massFraction, v.low, v.truth].filter((x): x is number => x !== null && x > 0),
  );
  const minW = positive.length ? Math.min(...positive) : 1e-6;
  const domainMin = Number(`1e${Math.floor(Math.log10(minW))}`); // exact decade, no 9.99…e-5
  const x = {
    type: 'quantitative',
    title: 'mass fraction',
    scale: { type: 'log', domain: [domainMin, 1] },
    axis: { format: '~g' },
  };
  const y = { field: 'element', type: 'nominal', sort: null, title: null };
  const layer: VegaLiteSpec[] = [
    {
      transform: [{ filter: 'datum.massFraction !== null' }],
      mark: { type: 'bar', color: '#4c78a8' },
      encoding: {
        y,
        x: { ...x, field: 'massFraction' },
        x2: { datum: domainMin },
        tooltip: [
          { field: 'element' },
          { field: 'massFraction', format: '.3~g' },
          { field: 'presenceProbability', format: '.3f' },
        ],
      },
    },
    {
      transform: [{ filter: 'datum.low !== null && datum.high !== null' }],
      mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
      encoding: { y, x: { ...x, field: 'low' }, x2: { field: 'high' } },
    },
    {
      transform: [{ filter: 'datum.truth !== null' }],
      mark: { type: 'tick', color: '#d62728', thickness: 2.5 },
      encoding: { y, x: { ...x, field: 'truth' } },
    },
  ];
  return {
    $schema: SCHEMA,
    title: 'Mass fractions (log scale)',
    data: { values },
    width: options.width ?? 520,
    height: { step: 16 },
    layer,
  };
}

function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.pow(10, digits);
  return x !== 0 && Math.abs(x) < 1 ? Number(x.toPrecision(digits + 1)) : Math.round(x * f) / f;
}
