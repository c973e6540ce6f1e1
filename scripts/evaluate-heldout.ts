/**
 * Network accuracy on the held-out reference-material-like compositions
 * (`training/heldout-compositions.json`, outside the composition prior), through the
 * TypeScript inference path (`npm run eval:heldout -- [options]`).
 *
 * Each composition is simulated `--n` times (default 24) at the nominal instrument with a
 * confocal setup, surface and live time drawn from the training prior (seeded by `--seed`,
 * default 'heldout-eval'), Poisson noise, and quantified by the model (`--model <card.json>`,
 * default the shipped model). The simulator physics is the card's `simulator`
 * (`LEGACY_SIMULATOR_PHYSICS` for a card without it), or `--physics directional|isotropic`
 * (`DEFAULT_SIMULATOR_PHYSICS` / `LEGACY_SIMULATOR_PHYSICS`).
 * Printed: per composition and element (true ≥ 0.1 wt%) the median prediction and relative error,
 * the median over compositions, and the median relative error over all (profile, element) pairs.
 */
import { readFileSync } from 'node:fs';
import { loadDefaultQuantifier, loadQuantifier } from '../src/model/node.js';
import {
  createRng,
  poissonNoise,
  sampleLiveTimeS,
  sampleSetup,
  sampleSurfaceUm,
} from '../src/sampling/index.js';
import {
  confocalProfileFromSpectrum,
  createMxrfSimulator,
  DEFAULT_SIMULATOR_PHYSICS,
  LEGACY_SIMULATOR_PHYSICS,
  type SimulatorPhysics,
} from '../src/spectra/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

async function main(): Promise<void> {
  const n = Number(arg('n') ?? 24);
  const seed = arg('seed') ?? 'heldout-eval';
  const model = arg('model');
  const quantifier = model ? await loadQuantifier(model) : await loadDefaultQuantifier();
  const physicsArg = arg('physics');
  if (physicsArg !== undefined && physicsArg !== 'directional' && physicsArg !== 'isotropic')
    throw new Error(`--physics must be 'directional' or 'isotropic', got '${physicsArg}'`);
  const physics: SimulatorPhysics =
    physicsArg === 'directional'
      ? DEFAULT_SIMULATOR_PHYSICS
      : physicsArg === 'isotropic'
        ? LEGACY_SIMULATOR_PHYSICS
        : (quantifier.card.simulator ?? LEGACY_SIMULATOR_PHYSICS);
  const file = JSON.parse(readFileSync('training/heldout-compositions.json', 'utf8')) as {
    compositions: { name: string; densityGPerCm3: number; massFractions: Record<string, number> }[];
  };
  const sim = createMxrfSimulator({}, physics);
  console.log(
    `model ${quantifier.modelId}, physics ${JSON.stringify(physics)}, ${n} profiles per composition, seed ${seed}`,
  );
  const depthsUm = Float64Array.from({ length: 40 }, (_, i) => i * 5);
  const all: number[] = [];
  const perComposition: number[] = [];
  for (const c of file.compositions) {
    const spectrum = sim.simulate({
      composition: c.massFractions,
      densityGPerCm3: c.densityGPerCm3,
    });
    const predicted = new Map<string, number[]>();
    const errs: number[] = [];
    for (let i = 0; i < n; i++) {
      const rng = createRng(`${seed}:${c.name}:${i}`);
      const setup = sampleSetup(rng);
      const surfaceUm = sampleSurfaceUm(rng, { nSteps: 40, stepUm: 5 });
      const liveTimeS = sampleLiveTimeS(rng);
      const expected = confocalProfileFromSpectrum<Float64Array>(spectrum, setup, surfaceUm, {
        depthsUm,
        out: new Float64Array(40 * spectrum.counts.length),
      });
      for (let k = 0; k < expected.counts.length; k++) expected.counts[k] *= liveTimeS;
      const profile = {
        ...expected,
        counts: poissonNoise(expected.counts, rng),
        liveTimesS: new Float64Array(40).fill(liveTimeS),
        source: `${c.name}:${i}`,
      };
      const r = await quantifier.quantify(profile);
      for (const q of r.elements) {
        const truth = c.massFractions[q.element] ?? 0;
        if (truth < 1e-3) continue;
        const list = predicted.get(q.element) ?? [];
        list.push(q.massFractionRaw);
        predicted.set(q.element, list);
        const e = Math.abs(q.massFractionRaw - truth) / truth;
        errs.push(e);
        all.push(e);
      }
    }
    const rows = [...predicted].map(([el, v]) => {
      const t = c.massFractions[el];
      return `${el} ${(100 * t).toPrecision(3)} → ${(100 * median(v)).toPrecision(3)} wt%`;
    });
    perComposition.push(median(errs));
    console.log(
      `${c.name}: median error ${(100 * median(errs)).toFixed(1)} % (${rows.join(', ')})`,
    );
  }
  console.log(
    `median over compositions ${(100 * median(perComposition)).toFixed(1)} %; over all ${all.length} (profile, element ≥ 0.1 wt%) pairs ${(100 * median(all)).toFixed(1)} %`,
  );
  await quantifier.release();
}

await main();
