/**
 * `renderReport`: a self-contained HTML report (inline CSS, inline SVG charts) of one
 * quantification, for notebooks, the CLI (`cmxrf quantify --report`) and the web app. Charts are
 * Vega-Lite specs rendered to SVG by vega without a browser.
 *
 * @module
 */
import { CmxrfError } from '../errors';
import type { QuantificationResult } from '../model/result';
import type { DepthProfile } from '../profile';
import { lineDepthCurves } from './lines';
import {
  type FittedLineCurve,
  type MassFractionInterval,
  type ReportElementRow,
  type ReportTruth,
  type VegaLiteSpec,
  depthHeatmapSpec,
  elementChartSpec,
  lineCurvesSpec,
  reportElementRows,
} from './specs';

/** The parts of the `vega` and `vega-lite` modules the renderer uses. */
export interface VegaModules {
  /** The `vega` module (`import * as vega from 'vega'`). */
  vega: {
    parse(spec: unknown): unknown;
    View: new (
      runtime: unknown,
      options?: Record<string, unknown>,
    ) => { toSVG(scaleFactor?: number): Promise<string>; finalize(): unknown };
  };
  /** The `vega-lite` module (`import * as vegaLite from 'vega-lite'`). */
  vegaLite: { compile(spec: never): { spec: unknown } };
}

/** `import()` with a specifier bundlers leave alone (vega is optional for the rest of cmxrf). */
function importAtRunTime<T>(specifier: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

/**
 * Loads vega and vega-lite with a dynamic `import()`, so only callers of the report load them.
 * @throws {CmxrfError} (code `IO_ERROR`) naming the missing package.
 */
async function loadVega(): Promise<VegaModules> {
  const load = async (name: string): Promise<unknown> => {
    try {
      return await importAtRunTime<unknown>(name);
    } catch (e) {
      throw new CmxrfError(
        'IO_ERROR',
        `The report renderer needs the package "${name}", which could not be loaded: run ` +
          `\`npm install vega vega-lite\` (or pass options.modules).`,
        { cause: e },
      );
    }
  };
  const [vega, vegaLite] = await Promise.all([load('vega'), load('vega-lite')]);
  return { vega, vegaLite } as VegaModules;
}

/** Options of {@link renderSpecToSvg}. */
export interface RenderSpecOptions {
  /** vega + vega-lite modules; by default imported dynamically (Node, Deno). */
  modules?: VegaModules;
}

/**
 * Renders a Vega-Lite spec to an SVG string (no browser, no canvas: text widths are estimated).
 *
 * @example
 * ```ts
 * const svg = await renderSpecToSvg(elementChartSpec(reportElementRows(result)));
 * svg.startsWith('<svg'); // true
 * ```
 */
export async function renderSpecToSvg(
  spec: VegaLiteSpec,
  options: RenderSpecOptions = {},
): Promise<string> {
  const { vega, vegaLite } = options.modules ?? (await loadVega());
  const view = new vega.View(vega.parse(vegaLite.compile(spec as never).spec), {
    renderer: 'none',
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Options of {@link renderReport}. */
export interface RenderReportOptions extends RenderSpecOptions {
  /** Report title. @default `cmxrf report: <result.source>` */
  title?: string;
  /** Known true values, shown next to the estimates. */
  truth?: ReportTruth;
  /** Mass-fraction intervals by element (e.g. from a refinement), drawn as error bars. */
  uncertainties?: Record<string, MassFractionInterval>;
  /** Fitted line-intensity depth curves, drawn over the measured ones. */
  fitted?: readonly FittedLineCurve[];
  /** Warnings to list (added to any `warnings` the result carries). */
  warnings?: readonly string[];
  /** Number of line-intensity panels. @default 6 */
  maxCurves?: number;
  /**
   * Return an HTML fragment (`<div class="cmxrf-report">` with its scoped `<style>`) instead
   * of a whole document: for notebooks and for pages holding several reports. @default false
   */
  fragment?: boolean;
}

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * Mass fraction for display: 3 significant digits, exponent below 1e-3.
 * @example
 * ```ts
 * formatMassFraction(0.0123); // '0.0123'
 * formatMassFraction(4.5e-5); // '4.50e-5'
 * ```
 */
export function formatMassFraction(w: number): string {
  if (!Number.isFinite(w)) return String(w);
  if (w === 0) return '0';
  return w < 1e-3 ? w.toExponential(2) : w.toPrecision(3);
}

/** Warnings a result may carry (`warnings: string[]` or `{ message }[]`), read structurally. */
function resultWarnings(result: QuantificationResult): string[] {
  const w = (result as { warnings?: unknown }).warnings;
  if (!Array.isArray(w)) return [];
  return w.map((x) =>
    typeof x === 'string'
      ? x
      : typeof x === 'object' && x !== null && 'message' in x
        ? String((x as { message: unknown }).message)
        : JSON.stringify(x),
  );
}

function elementTable(rows: readonly ReportElementRow[], truth: boolean, ranges: boolean): string {
  const head = [
    'element',
    'mass fraction',
    ...(ranges ? ['interval'] : []),
    ...(truth ? ['true', 'estimate / true'] : []),
    'presence probability',
    'detected',
  ];
  const body = rows.map((r) => {
    const cells = [
      r.element,
      formatMassFraction(r.massFraction),
      ...(ranges
        ? [
            r.massFractionLow !== undefined && r.massFractionHigh !== undefined
              ? `${formatMassFraction(r.massFractionLow)} – ${formatMassFraction(r.massFractionHigh)}`
              : '',
          ]
        : []),
      ...(truth
        ? [
            r.trueMassFraction !== undefined ? formatMassFraction(r.trueMassFraction) : '',
            r.trueMassFraction ? (r.massFraction / r.trueMassFraction).toFixed(2) : '',
          ]
        : []),
      r.presenceProbability.toFixed(3),
      r.detected ? 'yes' : 'no',
    ];
    return `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
  });
  return (
    `<table class="elements"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${body.join('')}</tbody></table>`
  );
}

function keyValueTable(rows: readonly (readonly [string, string])[]): string {
  return `<table class="kv"><tbody>${rows
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')}</tbody></table>`;
}

/** Styles, scoped to the report's wrapper so a fragment does not restyle its host page. */
const CSS = [
  '.cmxrf-report{font:14px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:1000px;color:#222;padding:0 1rem}',
  '.cmxrf-report h1{font-size:1.4rem}',
  '.cmxrf-report h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #ddd}',
  '.cmxrf-report table{border-collapse:collapse;margin:.4rem 0}',
  '.cmxrf-report td,.cmxrf-report th{padding:.15rem .6rem;text-align:left;border-bottom:1px solid #eee}',
  '.cmxrf-report table.elements td{font-variant-numeric:tabular-nums}',
  '.cmxrf-report .warn{background:#fff4e5;border-left:4px solid #f0a020;padding:.4rem .8rem}',
  '.cmxrf-report figure{margin:.6rem 0}.cmxrf-report svg{max-width:100%;height:auto}',
  '.cmxrf-report .muted{color:#666}',
].join('\n');

/**
 * Wraps report fragments (`renderReport(…, { fragment: true })`) into one HTML document.
 * @example
 * ```ts
 * const parts = await Promise.all(runs.map((r) => renderReport(r.result, r.profile, { fragment: true })));
 * writeFileSync('all.html', reportDocument('cmxrf reports', parts));
 * ```
 */
export function reportDocument(title: string, fragments: readonly string[]): string {
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title></head><body>`,
    ...fragments,
    '</body></html>',
  ].join('\n');
}

/**
 * Renders a self-contained HTML report of one quantification: summary (model, density, surface,
 * threshold, with true values where given), warnings, a heat map of the measured spectra vs
 * scan position, line-intensity depth curves of the strongest detected lines (with fitted
 * curves where given), a log-scale bar chart of the mass fractions (error bars and true values
 * where given), the element table and the confocal setup.
 *
 * @example
 * ```ts
 * import { renderReport } from 'cmxrf/report';
 * const html = await renderReport(result, profile, { truth: { densityGPerCm3: 1.3 } });
 * await Deno.jupyter.display({ 'text/html': html }, { raw: true }); // or writeFile('report.html', html)
 * ```
 */
export async function renderReport(
  result: QuantificationResult,
  profile: DepthProfile,
  options: RenderReportOptions = {},
): Promise<string> {
  const modules = options.modules ?? (await loadVega());
  const rows = reportElementRows(result, {
    truth: options.truth,
    uncertainties: options.uncertainties,
  });
  const detected = rows.filter((r) => r.detected).map((r) => r.element);
  const curves = lineDepthCurves(profile, detected, { maxCurves: options.maxCurves ?? 6 });
  const [heat, lines, bars] = await Promise.all([
    renderSpecToSvg(depthHeatmapSpec(profile, { surfaceUm: result.surfaceUm }), { modules }),
    curves.length
      ? renderSpecToSvg(
          lineCurvesSpec(curves, { fitted: options.fitted, surfaceUm: result.surfaceUm }),
          { modules },
        )
      : Promise.resolve(''),
    rows.length ? renderSpecToSvg(elementChartSpec(rows), { modules }) : Promise.resolve(''),
  ]);
  const truth = options.truth;
  const withTruth = (est: string, t: number | undefined, fmt: (x: number) => string): string =>
    t === undefined ? est : `${est} (true ${fmt(t)})`;
  const title = options.title ?? `cmxrf report: ${result.source ?? profile.source ?? 'profile'}`;
  const warnings = [...resultWarnings(result), ...(options.warnings ?? [])];
  const { calibration } = profile;
  const s = result.setup;
  const html = [
    `<div class="cmxrf-report"><style>${CSS}</style>`,
    `<h1>${esc(title)}</h1>`,
    keyValueTable([
      ['model', result.modelId],
      ...(result.modelInstrument
        ? [['model instrument', result.modelInstrument.name] as [string, string]]
        : []),
      [
        'density',
        withTruth(`${result.densityGPerCm3.toFixed(3)} g/cm³`, truth?.densityGPerCm3, (x) =>
          x.toFixed(3),
        ),
      ],
      [
        'surface',
        withTruth(`${result.surfaceUm.toFixed(1)} µm on the scan axis`, truth?.surfaceUm, (x) =>
          x.toFixed(1),
        ),
      ],
      ['detection threshold', `presence probability ≥ ${result.threshold}`],
      [
        'profile',
        `${profile.nSteps} steps (${profile.depthsUm[0]}…${profile.depthsUm[profile.nSteps - 1]} µm) × ` +
          `${profile.nChannels} channels (${calibration.offsetKeV}+${calibration.gainKeVPerChannel}·ch keV)`,
      ],
    ]),
    warnings.length
      ? `<h2>Warnings</h2><div class="warn"><ul>${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></div>`
      : '',
    '<h2>Measured depth profile</h2>',
    `<figure>${heat}</figure>`,
    lines
      ? `<figure>${lines}</figure><p class="muted">Net counts/s in ±0.12 keV around each line, linear background from side windows.${
          options.fitted?.length ? ' Lines: fitted model.' : ''
        }</p>`
      : '<p class="muted">No detected element has a line inside the measured energy range.</p>',
    '<h2>Elements</h2>',
    bars
      ? `<figure>${bars}</figure>` +
        (truth?.massFractions ? '<p class="muted">Red ticks: true mass fractions.</p>' : '')
      : '<p>No element detected.</p>',
    elementTable(
      rows,
      rows.some((r) => r.trueMassFraction !== undefined),
      rows.some((r) => r.massFractionLow !== undefined),
    ),
    '<h2>Confocal setup</h2>',
    keyValueTable([
      ['tA (detection band-pass amplitude)', s.tA.toFixed(3)],
      ['tB (band-pass width)', `${s.tB.toFixed(3)} keV`],
      ['tM (band-pass centre)', `${s.tM.toFixed(3)} keV`],
      ['σmax', `${s.sigmaMaxUm.toFixed(2)} µm`],
      ['σexp', `${s.sigmaExpPerKeV.toFixed(4)} 1/keV`],
      ['σoff', `${s.sigmaOffUm.toFixed(2)} µm`],
    ]),
    '</div>',
  ];
  const fragment = html.join('\n');
  return options.fragment ? fragment : reportDocument(title, [fragment]);
}
