/**
 * The runtime-agnostic API as a browser would use it: `createQuantifier` with onnxruntime-web
 * (wasm), the ONNX bytes and the parsed model card from wherever the host gets them (`fetch`
 * in a browser; the file system here), SHA-256 checked with `crypto.subtle`. Nothing Node-only
 * is imported from cmxrf. Profiles come from `parseDepthProfileAuto` on text or bytes.
 * Run: `npx tsx examples/quantify-web.ts`
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-web';
import { parseDepthProfileAuto } from '../src/io/index.js';
import { createQuantifier } from '../src/model/index.js';

/** Stands in for `fetch(url).then((r) => r.arrayBuffer())` in a browser. */
async function fetchBytes(relative: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(relative, import.meta.url)));
}

/** Quantifies the fixture profile with onnxruntime-web; returns the report lines. */
export async function quantifyWebReport(): Promise<string[]> {
  ort.env.wasm.numThreads = 1; // in a browser without cross-origin isolation there are no threads anyway
  const [model, cardBytes, csv] = await Promise.all([
    fetchBytes('../models/cmxrf-default.onnx'),
    fetchBytes('../models/cmxrf-default.json'),
    fetchBytes('data/biological-pellet.csv'),
  ]);
  const quantifier = await createQuantifier({
    runtime: ort,
    model,
    card: JSON.parse(new TextDecoder().decode(cardBytes)),
  });
  const profile = parseDepthProfileAuto(csv, { fileName: 'biological-pellet.csv' });
  const [a, b] = await quantifier.quantify([profile, profile]); // the card's threshold
  await quantifier.release();
  return [
    `model ${quantifier.modelId} on onnxruntime-web ${ort.env.versions.web}`,
    `detected at p ≥ ${a.threshold}: ${
      a.elements
        .filter((e) => e.detected)
        .map((e) => e.element)
        .join(' ') || 'none'
    }`,
    `same profile twice, same density: ${a.densityGPerCm3 === b.densityGPerCm3}`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await quantifyWebReport()) console.log(line);
}
