/**
 * The cmxrf web app: quantifies a dropped (or bundled example) depth profile entirely in the
 * browser with onnxruntime-web (wasm) and the shipped default model, and shows the measured
 * profile, the element table and the estimated density, surface and setup. Charts are the
 * report's Vega-Lite specs (`src/report`), rendered live by vega.
 */
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import card from '../models/cmxrf-default.json';
import modelUrl from '../models/cmxrf-default.onnx?url';
import truthByStem from '../examples/data/truth.json';
import pelletUrl from '../examples/data/biological-pellet.csv?url';
import glassUrl from '../examples/data/glass.msa?url';
import { parseDepthProfileAuto } from '../src/io/auto';
import { resultsToCsv, resultsToJson } from '../src/io/results';
import { createQuantifier, type Quantifier } from '../src/model/quantifier';
import type { QuantificationResult } from '../src/model/result';
import type { DepthProfile } from '../src/profile';
import { lineDepthCurves } from '../src/report/lines';
import { formatMassFraction, renderReport, type VegaModules } from '../src/report/render';
import {
  type ReportTruth,
  type VegaLiteSpec,
  depthHeatmapSpec,
  elementChartSpec,
  lineCurvesSpec,
  reportElementRows,
} from '../src/report/specs';

const EXAMPLES: { name: string; url: string }[] = [
  { name: 'glass.msa', url: glassUrl },
  { name: 'biological-pellet.csv', url: pelletUrl },
];
const TRUTH = truthByStem as Record<string, ReportTruth>;
const modules = { vega, vegaLite } as unknown as VegaModules;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = (text: string, error = false): void => {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', error);
};
const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

let quantifier: Quantifier | undefined;
let last:
  | { file: string; profile: DepthProfile; result: QuantificationResult; truth?: ReportTruth }
  | undefined;

async function loadModel(): Promise<Quantifier> {
  ort.env.wasm.numThreads = 1; // no cross-origin isolation needed
  ort.env.wasm.wasmPaths = { wasm: wasmUrl };
  const bytes = new Uint8Array(await (await fetch(modelUrl)).arrayBuffer());
  return createQuantifier({ runtime: ort, model: bytes, card });
}

async function draw(id: string, spec: VegaLiteSpec, renderer: 'svg' | 'canvas'): Promise<void> {
  const el = $(id);
  el.replaceChildren();
  const view = new vega.View(vega.parse(vegaLite.compile(spec as never).spec), {
    renderer,
    container: el,
    hover: true,
  });
  await view.runAsync();
}

function download(name: string, type: string, text: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function stem(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
}

async function show(
  file: string,
  profile: DepthProfile,
  result: QuantificationResult,
): Promise<void> {
  const truth = TRUTH[stem(file)];
  last = { file, profile, result, truth };
  const t = (x: number | undefined, f: (v: number) => string): string =>
    x === undefined ? '' : ` <span class="muted">(true ${f(x)})</span>`;
  $('result-title').textContent = file;
  $('summary').innerHTML = [
    [
      'density',
      `${result.densityGPerCm3.toFixed(3)} g/cm³${t(truth?.densityGPerCm3, (v) => v.toFixed(2))}`,
    ],
    ['surface', `${result.surfaceUm.toFixed(1)} µm${t(truth?.surfaceUm, (v) => v.toFixed(1))}`],
    ['model', esc(result.modelId)],
    ['threshold', `p ≥ ${result.threshold}`],
    ['profile', `${profile.nSteps} steps × ${profile.nChannels} channels`],
  ]
    .map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`)
    .join('');
  const s = result.setup;
  $('setup').innerHTML = [
    ['tA', s.tA.toFixed(3)],
    ['tB', `${s.tB.toFixed(3)} keV`],
    ['tM', `${s.tM.toFixed(3)} keV`],
    ['σmax', `${s.sigmaMaxUm.toFixed(2)} µm`],
    ['σexp', `${s.sigmaExpPerKeV.toFixed(4)} 1/keV`],
    ['σoff', `${s.sigmaOffUm.toFixed(2)} µm`],
  ]
    .map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`)
    .join('');
  const rows = reportElementRows(result, { truth });
  const withTruth = rows.some((r) => r.trueMassFraction !== undefined);
  $('elements').innerHTML =
    `<thead><tr><th>element</th><th>mass fraction</th>${withTruth ? '<th>true</th>' : ''}` +
    '<th>presence probability</th><th>detected</th></tr></thead><tbody>' +
    rows
      .map(
        (r) =>
          `<tr data-element="${r.element}"><td>${r.element}</td><td>${formatMassFraction(r.massFraction)}</td>` +
          (withTruth
            ? `<td>${r.trueMassFraction !== undefined ? formatMassFraction(r.trueMassFraction) : ''}</td>`
            : '') +
          `<td>${r.presenceProbability.toFixed(3)}</td><td>${r.detected ? 'yes' : 'no'}</td></tr>`,
      )
      .join('') +
    '</tbody>';
  // Every warning and note of the result, as the CLI prints them: the answer's trust conditions.
  const warnings = $('warnings');
  warnings.innerHTML = result.warnings
    .map((w) => `<li data-code="${esc(w.code)}"><code>${esc(w.code)}</code> ${esc(w.message)}</li>`)
    .join('');
  warnings.hidden = result.warnings.length === 0;
  $('results').hidden = false;
  const detected = rows.filter((r) => r.detected).map((r) => r.element);
  const curves = lineDepthCurves(profile, detected, { maxCurves: 6 });
  await Promise.all([
    draw(
      'heatmap',
      depthHeatmapSpec(profile, { surfaceUm: result.surfaceUm, energyBinKeV: 0.1 }),
      'canvas',
    ),
    curves.length
      ? draw('lines', lineCurvesSpec(curves, { surfaceUm: result.surfaceUm }), 'svg')
      : Promise.resolve($('lines').replaceChildren()),
    rows.length
      ? draw('bars', elementChartSpec(rows), 'svg')
      : Promise.resolve($('bars').replaceChildren()),
  ]);
}

async function quantifyBytes(file: string, bytes: Uint8Array): Promise<void> {
  if (!quantifier) return;
  document.body.dataset.state = 'busy';
  status(`Quantifying ${file}…`);
  try {
    const profile = parseDepthProfileAuto(bytes, { fileName: file });
    const t0 = performance.now();
    const threshold = Number(($('threshold') as HTMLInputElement).value);
    const scaleText = ($('intensity-scale') as HTMLInputElement).value.trim();
    const intensityScale = scaleText === '' ? 1 : Number(scaleText);
    if (!(Number.isFinite(intensityScale) && intensityScale > 0))
      throw new Error(`intensity scale k must be a positive number, got "${scaleText}"`);
    const result = await quantifier.quantify(profile, {
      threshold: Number.isFinite(threshold) ? threshold : undefined,
      intensityScale,
    });
    const ms = performance.now() - t0;
    await show(file, profile, result);
    const n = result.elements.filter((e) => e.detected).length;
    status(`Quantified ${file} in ${ms.toFixed(0)} ms: ${n} elements detected.`);
    document.body.dataset.state = 'done';
  } catch (e) {
    status(`${file}: ${e instanceof Error ? e.message : String(e)}`, true);
    document.body.dataset.state = 'error';
  }
}

function setUp(): void {
  const select = $('example') as HTMLSelectElement;
  select.innerHTML = EXAMPLES.map((e, i) => `<option value="${i}">${e.name}</option>`).join('');
  $('run-example').addEventListener('click', async () => {
    const ex = EXAMPLES[Number(select.value)];
    await quantifyBytes(ex.name, new Uint8Array(await (await fetch(ex.url)).arrayBuffer()));
  });
  const input = $('file') as HTMLInputElement;
  input.addEventListener('change', async () => {
    const f = input.files?.[0];
    if (f) await quantifyBytes(f.name, new Uint8Array(await f.arrayBuffer()));
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (ev) => {
    ev.preventDefault();
    drop.classList.remove('over');
    const f = ev.dataTransfer?.files[0];
    if (f) await quantifyBytes(f.name, new Uint8Array(await f.arrayBuffer()));
  });
  $('download-json').addEventListener('click', () => {
    if (last)
      download(
        `${stem(last.file)}.cmxrf.json`,
        'application/json',
        resultsToJson({ file: last.file, ...last.result }) + '\n',
      );
  });
  $('download-csv').addEventListener('click', () => {
    if (!last) return;
    const r = last.result;
    const rows = r.elements.map((e) => ({
      file: last!.file,
      element: e.element,
      massFraction: e.massFraction,
      massFractionRaw: e.massFractionRaw,
      presenceProbability: e.presenceProbability,
      detected: e.detected ? 1 : 0,
      densityGPerCm3: r.densityGPerCm3,
      surfaceUm: r.surfaceUm,
    }));
    download(`${stem(last.file)}.cmxrf.csv`, 'text/csv', resultsToCsv(rows));
  });
  $('download-report').addEventListener('click', async () => {
    if (!last) return;
    const html = await renderReport(last.result, last.profile, { truth: last.truth, modules });
    download(`${stem(last.file)}.cmxrf-report.html`, 'text/html', html);
  });
}

setUp();
loadModel()
  .then((q) => {
    quantifier = q;
    ($('threshold') as HTMLInputElement).value = String(q.card.presenceProbabilityThreshold ?? 0.5);
    status(
      `Model ${q.modelId} ready (onnxruntime-web ${ort.env.versions.web}). Drop a file or pick an example.`,
    );
    document.body.dataset.state = 'ready';
  })
  .catch((e: unknown) => {
    status(`Could not load the model: ${e instanceof Error ? e.message : String(e)}`, true);
    document.body.dataset.state = 'error';
  });
