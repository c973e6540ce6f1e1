/**
 * A Deno Jupyter notebook (`deno jupyter --install`, then open a Deno kernel) as a script: each
 * `// %%` block is one cell. It uses only the runtime-agnostic API (`createQuantifier` with
 * onnxruntime-web's wasm backend), so it runs unchanged in Deno and in Node.
 *
 * In this repository (Deno resolves `onnxruntime-web` from node_modules; the relative imports of
 * `src/` need sloppy imports):
 *   deno run --unstable-sloppy-imports --allow-read --allow-env examples/deno-notebook.ts
 * In your own notebook, import from the package instead:
 *   import * as ort from 'npm:onnxruntime-web@1.30.0';
 *   import { createQuantifier } from 'npm:cmxrf/model';
 *   import { parseDepthProfileAuto } from 'npm:cmxrf/io';
 */

// %% Imports: the ONNX runtime is passed in by the host, cmxrf does not depend on it.
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-web';
import { parseDepthProfileAuto } from '../src/io/index';
import { createQuantifier } from '../src/model/index';

ort.env.wasm.numThreads = 1;
const fixture = (name: string): URL => new URL(`../test/fixtures/model/${name}`, import.meta.url);

// %% Load the model: ONNX bytes + model card (SHA-256 verified with crypto.subtle).
// The tiny test model has meaningless weights; use models/cmxrf-default.{onnx,json} when shipped.
const quantifier = await createQuantifier({
  runtime: ort,
  model: new Uint8Array(await readFile(fixture('cmxrf-tiny.onnx'))),
  card: JSON.parse(await readFile(fixture('cmxrf-tiny.json'), 'utf8')),
});
const { grid } = quantifier.card.input;
console.log(
  `${quantifier.modelId}: ${grid.nDepth} × ${grid.depthStepUm} µm, ` +
    `${grid.nChannels} × ${grid.binWidthKeV} keV from ${grid.startKeV} keV`,
);

// %% Read a depth profile (format sniffed from the content) and quantify it.
const profile = parseDepthProfileAuto(await readFile(fixture('scan-10um.csv')), {
  fileName: 'scan-10um.csv',
});
const result = await quantifier.quantify(profile, { threshold: 0.5 });

// %% The detected elements as a table (mass fractions 0..1), density and surface position.
/** Rows of the detected elements, largest mass fraction first (exported for the example test). */
export const detectedRows = result.elements
  .filter((e) => e.detected)
  .sort((a, b) => b.massFraction - a.massFraction)
  .map((e) => ({
    element: e.element,
    massFraction: Number(e.massFraction.toPrecision(3)),
    presenceProbability: Number(e.presenceProbability.toFixed(3)),
  }));
console.table(detectedRows.slice(0, 8));
console.log(
  `density ${result.densityGPerCm3.toFixed(3)} g/cm³, surface ${result.surfaceUm.toFixed(1)} µm`,
);
await quantifier.release();
