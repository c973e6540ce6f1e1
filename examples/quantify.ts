/**
 * Quantify a measured depth profile with the cmxrf network in Node: parse a file (format sniffed
 * from its content), load a model with onnxruntime-node (SHA-256 checked against its card),
 * print the detected elements. Uses the shipped default model when there is one, else the tiny
 * test model (meaningless weights: this shows the API, not real results).
 * Run: `npx tsx examples/quantify.ts [profile.csv]`
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDepthProfileAuto } from '../src/io/index.js';
import { defaultModelCardPath, loadQuantifier } from '../src/model/index.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** Quantifies `file` and returns the report lines (exported so the example is tested). */
export async function quantifyReport(
  file = here('../test/fixtures/model/scan-10um.csv'),
): Promise<string[]> {
  const profile = parseDepthProfileAuto(readFileSync(file), { fileName: file });
  const defaultCard = await defaultModelCardPath();
  const cardPath = existsSync(defaultCard)
    ? defaultCard
    : here('../test/fixtures/model/cmxrf-tiny.json');
  const quantifier = await loadQuantifier(cardPath, { threshold: 0.5 });
  try {
    const r = await quantifier.quantify(profile);
    const lines = [
      `${profile.source ?? file}: ${profile.nSteps} steps × ${profile.nChannels} channels, model ${r.modelId}`,
      `density ${r.densityGPerCm3.toFixed(3)} g/cm³, surface at ${r.surfaceUm.toFixed(1)} µm on the scan axis`,
      `setup: tA ${r.setup.tA.toFixed(3)}, tM ${r.setup.tM.toFixed(2)} keV, σmax ${r.setup.sigmaMaxUm.toFixed(1)} µm`,
    ];
    const detected = r.elements
      .filter((e) => e.detected)
      .sort((a, b) => b.massFraction - a.massFraction);
    for (const e of detected.slice(0, 10)) {
      lines.push(
        `  ${e.element.padEnd(3)} mass fraction ${e.massFraction.toExponential(3)} (p = ${e.presenceProbability.toFixed(3)})`,
      );
    }
    lines.push(
      `${detected.length} of ${r.elements.length} elements detected at p ≥ ${r.threshold}`,
    );
    return lines;
  } finally {
    await quantifier.release();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await quantifyReport(process.argv[2])) console.log(line);
}
