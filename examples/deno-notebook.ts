/**
 * The cmxrf notebook as a script: each `// %%` block is one cell of notebooks/cmxrf-deno.ipynb
 * (Deno kernel) and notebooks/cmxrf-tslab.ipynb (tslab kernel, Node), which
 * `scripts/make-notebooks.ts` writes from this file. It quantifies the example glass with the
 * shipped default model through the runtime-agnostic API (onnxruntime-web's wasm backend, so it
 * runs unchanged in Deno, Node and browsers), plots the measured profile and shows the result
 * next to the true composition.
 *
 * Run as a script from the repository root (this is what CI does):
 *   npx deno run --unstable-sloppy-imports --allow-read --allow-env examples/deno-notebook.ts
 */

// %% Imports: the ONNX runtime is passed in by the host; cmxrf does not depend on it.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-web';
import { parseDepthProfileAuto } from '../src/io/index';
import { createQuantifier } from '../src/model/index';
import {
  depthHeatmapSpec,
  elementChartSpec,
  lineCurvesSpec,
  lineDepthCurves,
  renderReport,
  renderSpecToSvg,
  reportElementRows,
} from '../src/report/index';

ort.env.wasm.numThreads = 1;
/** Paths relative to the repository root, from the root (script) or from notebooks/ (kernel). */
const repo = (p: string): string => (existsSync('models') ? p : `../${p}`);

/** Shows HTML in a Deno or tslab notebook; prints a one-line summary elsewhere. */
async function show(html: string, label: string): Promise<void> {
  // `Deno.jupyter` exists only inside the Deno kernel (reading it elsewhere throws).
  const deno = (globalThis as { Deno?: { jupyter?: { display(d: object, o: object): unknown } } })
    .Deno;
  let jupyter: { display(d: object, o: object): unknown } | undefined;
  try {
    jupyter = deno?.jupyter;
  } catch {
    jupyter = undefined;
  }
  if (jupyter) {
    await jupyter.display({ 'text/html': html }, { raw: true });
    return;
  }
  const tslabModule = 'tslab'; // a variable: optional, resolved only inside a tslab kernel
  const tslab = await import(/* @vite-ignore */ tslabModule).catch(() => undefined);
  if (tslab?.display) tslab.display.html(html);
  else console.log(`[${label}: ${html.length} characters of HTML/SVG]`);
}

// %% Load the shipped default model: ONNX bytes + model card (SHA-256 verified with crypto.subtle).
const quantifier = await createQuantifier({
  runtime: ort,
  model: new Uint8Array(await readFile(repo('models/cmxrf-default.onnx'))),
  card: JSON.parse(await readFile(repo('models/cmxrf-default.json'), 'utf8')),
});
const { grid } = quantifier.card.input;
console.log(
  `${quantifier.modelId}: ${grid.nDepth} × ${grid.depthStepUm} µm, ` +
    `${grid.nChannels} × ${grid.binWidthKeV} keV from ${grid.startKeV} keV`,
);

// %% Read a depth profile (format sniffed from the content) and the values it was simulated with.
const profile = parseDepthProfileAuto(await readFile(repo('examples/data/glass.msa')), {
  fileName: 'glass.msa',
});
const truth = JSON.parse(await readFile(repo('examples/data/truth.json'), 'utf8')).glass;
console.log(
  `${profile.nSteps} spectra × ${profile.nChannels} channels, ` +
    `${profile.depthsUm[0]}…${profile.depthsUm[profile.nSteps - 1]} µm`,
);

// %% Plot the measured profile: spectra vs scan position, and the depth curves of strong lines.
await show(await renderSpecToSvg(depthHeatmapSpec(profile)), 'heat map');
const curves = lineDepthCurves(profile, ['Pb', 'Zn', 'Sr', 'Fe', 'Ca', 'K'], { maxCurves: 6 });
await show(await renderSpecToSvg(lineCurvesSpec(curves)), 'line depth curves');

// %% Quantify: mass fractions (0..1) with presence probabilities, density, surface, setup.
const result = await quantifier.quantify(profile);
/** Detected elements next to the true mass fractions (exported for the example test). */
export const detectedRows = reportElementRows(result, { truth })
  .filter((r) => r.detected)
  .map((r) => ({
    element: r.element,
    massFraction: Number(r.massFraction.toPrecision(3)),
    trueMassFraction: r.trueMassFraction,
    presenceProbability: Number(r.presenceProbability.toFixed(3)),
  }));
console.table(detectedRows);
console.log(
  `density ${result.densityGPerCm3.toFixed(3)} g/cm³ (true ${truth.densityGPerCm3}), ` +
    `surface ${result.surfaceUm.toFixed(1)} µm (true ${truth.surfaceUm})`,
);
await show(
  await renderSpecToSvg(elementChartSpec(reportElementRows(result, { truth }))),
  'elements',
);

// %% The whole report (also what `cmxrf quantify --report out.html` writes).
await show(await renderReport(result, profile, { truth, fragment: true }), 'report');
await quantifier.release();
