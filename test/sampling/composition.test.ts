import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { PREDICTED_ELEMENTS } from '../../src/predictedElements.js';
import {
  COMPOSITION_PRIOR_SOURCES,
  DEFAULT_COMPOSITION_PRIOR,
  createRng,
  deriveSeed,
  sampleComposition,
  validateCompositionPrior,
  withArchetypeWeights,
  type ArchetypeId,
  type CompositionPrior,
  type TraceElementPrior,
} from '../../src/sampling/index.js';

const LIGHT = new Set(['H', 'C', 'N', 'O', 'Na', 'Mg', 'Al', 'Si', 'P', 'S', 'Cl']);
const prior = DEFAULT_COMPOSITION_PRIOR;
const archetype = (id: ArchetypeId) => prior.archetypes.find((a) => a.id === id)!;
const only = (id: ArchetypeId, base: CompositionPrior = prior) =>
  withArchetypeWeights(
    base,
    Object.fromEntries(base.archetypes.map((a) => [a.id, a.id === id ? 1 : 0])),
  );
/** The default prior without its broad component (archetype-only draws). */
const archetypesOnly: CompositionPrior = { ...prior, broad: undefined };
/** Lower bound of a balance after the broad component's dilution by at most maxTotalMassFraction. */
const diluted = (min: number, broad: boolean) =>
  broad ? min * (1 - prior.broad!.maxTotalMassFraction) : min;
/** 5-standard-error band of a binomial frequency. */
const band = (p: number, n: number) => 5 * Math.sqrt((p * (1 - p)) / n) + 1e-12;

describe('sampleComposition: invariants', () => {
  const n = 5000;
  const samples = Array.from({ length: n }, (_, i) =>
    sampleComposition(createRng(deriveSeed('inv', i))),
  );

  it('fractions are finite, > 0, ≤ 1 and sum to 1 within 1e-12; symbols look like elements', () => {
    let worst = 0;
    let bad = 0;
    for (const { massFractions } of samples) {
      let sum = 0;
      for (const [el, w] of Object.entries(massFractions)) {
        if (!(Number.isFinite(w) && w > 0 && w <= 1) || !/^[A-Z][a-z]?$/.test(el)) bad++;
        sum += w;
      }
      worst = Math.max(worst, Math.abs(sum - 1));
    }
    expect(bad).toBe(0);
    expect(worst).toBeLessThanOrEqual(1e-12);
  });

  it('picks archetypes with frequencies ∝ weight, metallic ones included', () => {
    const total = prior.archetypes.reduce((s, a) => s + a.weight, 0);
    for (const a of prior.archetypes) {
      const p = a.weight / total;
      const f = samples.filter((s) => s.archetype === a.id).length / n;
      expect(Math.abs(f - p), a.id).toBeLessThan(band(p, n));
    }
    const metallic = samples.filter((s) => archetype(s.archetype).kind === 'metallic');
    expect(metallic.length).toBeGreaterThan(0.25 * n);
  });

  it('light archetypes keep a light matrix ≥ minBalanceMassFraction', () => {
    for (const s of samples) {
      const a = archetype(s.archetype);
      if (a.kind !== 'light') continue;
      const matrix = Object.entries(s.massFractions)
        .filter(([el]) => LIGHT.has(el))
        .reduce((acc, [, w]) => acc + w, 0);
      expect(matrix).toBeGreaterThanOrEqual(
        diluted(a.minBalanceMassFraction, s.broadElements !== undefined) - 1e-12,
      );
    }
  });

  it('metallic archetypes are dominated by their base metal', () => {
    for (const s of samples) {
      const a = archetype(s.archetype);
      if (a.kind !== 'metallic') continue;
      const base = s.massFractions[a.balanceElement!];
      expect(base).toBeGreaterThanOrEqual(
        diluted(a.minBalanceMassFraction, s.broadElements !== undefined) - 1e-12,
      );
      expect(base).toBe(Math.max(...Object.values(s.massFractions)));
    }
  });

  it('is deterministic for a seed', () => {
    expect(sampleComposition(createRng(deriveSeed('inv', 3)))).toEqual(samples[3]);
  });
});

describe('sampleComposition: archetype details', () => {
  it('stainless steel: Fe 0.59–0.75, Cr 0.16–0.20, Ni 0.08–0.14', () => {
    const p = only('stainlessSteel', archetypesOnly);
    const rng = createRng('ss');
    for (let i = 0; i < 2000; i++) {
      const { massFractions: w, archetype: id } = sampleComposition(rng, p);
      expect(id).toBe('stainlessSteel');
      expect(w.Fe).toBeGreaterThanOrEqual(0.59);
      expect(w.Fe).toBeLessThanOrEqual(0.75 + 1e-12);
      expect(w.Cr).toBeGreaterThanOrEqual(0.16 - 1e-12);
      expect(w.Cr).toBeLessThanOrEqual(0.2 + 1e-12);
      expect(w.Ni).toBeGreaterThanOrEqual(0.08 - 1e-12);
      expect(w.Ni).toBeLessThanOrEqual(0.14 + 1e-12);
    }
  });

  it('optional majors occur with their configured probability (brass Pb, p = 0.4)', () => {
    const p = only('brass');
    const rng = createRng('brass');
    const n = 5000;
    let leaded = 0;
    for (let i = 0; i < n; i++) if ('Pb' in sampleComposition(rng, p).massFractions) leaded++;
    // Pb can also appear as a trace? No: majors are excluded from the trace draw.
    expect(Math.abs(leaded / n - 0.4)).toBeLessThan(band(0.4, n));
  });

  it('trace occurrence frequencies match the default table (silicate rock, crust table)', () => {
    const p = only('silicateRock', archetypesOnly);
    const a = archetype('silicateRock');
    const table = prior.traceTables[a.traceTable].elements;
    const n = 6000;
    const counts = new Map<string, number>();
    const rng = createRng('occ');
    for (let i = 0; i < n; i++) {
      for (const el of Object.keys(sampleComposition(rng, p).massFractions)) {
        counts.set(el, (counts.get(el) ?? 0) + 1);
      }
    }
    for (const el of PREDICTED_ELEMENTS) {
      if (el in a.majors) {
        expect(counts.get(el), el).toBe(n);
        continue;
      }
      const occ = table[el]!.occurrence;
      expect(Math.abs((counts.get(el) ?? 0) / n - occ), el).toBeLessThan(band(occ, n));
    }
  });
});

describe('sampleComposition: broad component', () => {
  const n = 20000;
  const samples = Array.from({ length: n }, (_, i) =>
    sampleComposition(createRng(deriveSeed('broad', i))),
  );
  const broad = prior.broad!;

  it('acts with its probability and adds 1–maxElements non-major elements in range', () => {
    const acted = samples.filter((s) => s.broadElements !== undefined);
    expect(Math.abs(acted.length / n - broad.probability)).toBeLessThan(band(broad.probability, n));
    for (const s of acted) {
      const a = archetype(s.archetype);
      expect(s.broadElements!.length).toBeGreaterThanOrEqual(1);
      expect(s.broadElements!.length).toBeLessThanOrEqual(broad.maxElements);
      for (const el of s.broadElements!) {
        expect(el in a.majors || el === a.balanceElement).toBe(false);
        // The added amount alone is ≥ min × (cap scaling ≥ 0.3 / (3 · 0.12)) and ≤ max.
        expect(s.massFractions[el]).toBeGreaterThanOrEqual(broad.minMassFraction * 0.8);
        expect(s.massFractions[el]).toBeLessThanOrEqual(broad.maxMassFraction + 0.05);
      }
    }
  });

  it('gives every predicted element percent levels in light and in metallic matrices', () => {
    const hits = { light: new Map<string, number>(), metallic: new Map<string, number>() };
    for (const s of samples) {
      const kind = archetype(s.archetype).kind;
      for (const el of PREDICTED_ELEMENTS) {
        if ((s.massFractions[el] ?? 0) >= 0.01) hits[kind].set(el, (hits[kind].get(el) ?? 0) + 1);
      }
    }
    for (const el of PREDICTED_ELEMENTS) {
      // Expected ≈ n·share·0.25·2/53·P(w ≥ 1 %) ≈ 15 (metallic) … 30 (light); require ≥ 3.
      expect(hits.light.get(el) ?? 0, `${el} light`).toBeGreaterThanOrEqual(3);
      expect(hits.metallic.get(el) ?? 0, `${el} metallic`).toBeGreaterThanOrEqual(3);
    }
  });

  it('validates its fields', () => {
    expect(() =>
      validateCompositionPrior({ ...prior, broad: { ...broad, maxTotalMassFraction: 1 } }),
    ).toThrow(/broad\.maxTotalMassFraction/);
    expect(() =>
      validateCompositionPrior({ ...prior, broad: { ...broad, maxElements: 0 } }),
    ).toThrow(/broad\.maxElements/);
  });
});

describe('sampleComposition: custom prior', () => {
  // One light archetype, traces with distinct occurrences, and room for all traces (no scaling).
  const occurrences = PREDICTED_ELEMENTS.map((_, i) => 0.02 + (0.96 * i) / 52);
  const traces: Record<string, TraceElementPrior> = {};
  PREDICTED_ELEMENTS.forEach((el, i) => {
    traces[el] = {
      occurrence: occurrences[i],
      medianMassFraction: 1e-3,
      logSigma: 1,
      maxMassFraction: 0.01,
      referenceMassFraction: null,
    };
  });
  const custom: CompositionPrior = {
    minMassFraction: 1e-6,
    traceTables: { t: { sources: [], elements: traces } },
    archetypes: [
      {
        id: 'organic',
        description: 'test',
        kind: 'light',
        weight: 1,
        majors: {},
        matrix: { C: [1, 1], O: [0, 0] },
        minBalanceMassFraction: 0.3,
        traceTable: 't',
        densityGPerCm3: [1, 1],
        sources: [],
      },
    ],
  };

  it('occurrence frequencies match the configured probabilities; log-normal median and σ', () => {
    const n = 8000;
    const counts = new Float64Array(53);
    const logs: number[] = [];
    const rng = createRng('custom');
    for (let i = 0; i < n; i++) {
      const { massFractions } = sampleComposition(rng, custom);
      expect(massFractions.O).toBeUndefined(); // a zero-weight matrix element is omitted
      PREDICTED_ELEMENTS.forEach((el, j) => {
        const w = massFractions[el];
        if (w === undefined) return;
        counts[j]++;
        if (j === 30) logs.push(Math.log(w));
      });
    }
    PREDICTED_ELEMENTS.forEach((el, j) => {
      expect(Math.abs(counts[j] / n - occurrences[j]), el).toBeLessThan(band(occurrences[j], n));
    });
    // Truncation to [1e-6, 1e-2] cuts at ±ln 10 = ±2.303σ: the mean of ln w stays at ln 1e-3
    // (symmetric cut) and the sd shrinks to √(1 − 2aφ(a)/(2Φ(a) − 1)) = 0.93140 (a = ln 10).
    // ~4600 values: 5-standard-error bands.
    const m = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / (logs.length - 1));
    expect(Math.abs(m - Math.log(1e-3))).toBeLessThan(5 / Math.sqrt(logs.length));
    expect(Math.abs(sd - 0.9314)).toBeLessThan(5 * 0.9314 * Math.sqrt(0.5 / logs.length));
  });

  it('scales traces down to keep minBalanceMassFraction', () => {
    const crowded: CompositionPrior = {
      ...custom,
      traceTables: {
        t: {
          sources: [],
          elements: Object.fromEntries(
            PREDICTED_ELEMENTS.map((el) => [
              el,
              { ...traces[el], occurrence: 1, medianMassFraction: 0.04, maxMassFraction: 0.05 },
            ]),
          ),
        },
      },
    };
    const { massFractions } = sampleComposition(createRng('crowd'), crowded);
    expect(massFractions.C).toBeCloseTo(0.3, 12);
  });
});

describe('priors: validation, weights and provenance', () => {
  it('the default prior validates and covers biological, geological, glass and metals', () => {
    expect(() => validateCompositionPrior(prior)).not.toThrow();
    const ids = prior.archetypes.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['biologicalTissue', 'soil', 'silicateRock', 'silicateGlass', 'brass']) {
      expect(ids).toContain(id);
    }
    expect(prior.archetypes.filter((a) => a.kind === 'metallic').length).toBeGreaterThanOrEqual(5);
  });

  it('the tissue table takes SRM 1577b values and borrows nothing from the plant table', () => {
    // NIST SRM 1577b bovine liver: Sr 0.136 µg/g (certified); Hg 0.003, V 0.123, As 0.05,
    // Br 9.7, Co 0.25 µg/g (non-certified values of the certificate).
    const t = prior.traceTables.tissue.elements;
    const ref = { Sr: 0.136, Hg: 0.003, V: 0.123, As: 0.05, Br: 9.7, Co: 0.25, Cu: 160, Se: 0.73 };
    for (const [el, ugPerG] of Object.entries(ref)) {
      expect(t[el as keyof typeof t]!.referenceMassFraction, el).toBeCloseTo(ugPerG * 1e-6, 12);
    }
    for (const el of ['Ba', 'Ni', 'Cr', 'I', 'Ti'] as const) {
      expect(t[el]!.referenceMassFraction, el).toBeNull();
    }
  });

  it('every source key resolves to a citation with a DOI or URL', () => {
    const keys = new Set(Object.keys(COMPOSITION_PRIOR_SOURCES));
    const used = [
      ...prior.archetypes.flatMap((a) => a.sources),
      ...Object.values(prior.traceTables).flatMap((t) => t.sources),
    ];
    for (const k of used) expect(keys.has(k), k).toBe(true);
    for (const [k, text] of Object.entries(COMPOSITION_PRIOR_SOURCES)) {
      if (k === 'choice' || k.startsWith('SAE') || k.startsWith('ISO') || k === 'AA_TEAL') continue;
      expect(text, k).toMatch(/doi:|https?:\/\//);
    }
  });

  it('withArchetypeWeights reweights, disables, and rejects bad input', () => {
    const p = only('bronze');
    const rng = createRng('w');
    for (let i = 0; i < 100; i++) expect(sampleComposition(rng, p).archetype).toBe('bronze');
    expect(() => withArchetypeWeights(prior, { nope: 1 } as never)).toThrow(/Unknown archetype/);
    expect(() => withArchetypeWeights(prior, { soil: -1 })).toThrow(InvalidArgumentError);
    const none = Object.fromEntries(prior.archetypes.map((a) => [a.id, 0]));
    expect(() => withArchetypeWeights(prior, none)).toThrow(/weights/);
  });

  it('validateCompositionPrior names the faulty field and value', () => {
    const bad: CompositionPrior = {
      ...prior,
      traceTables: {
        ...prior.traceTables,
        crust: {
          sources: [],
          elements: {
            ...prior.traceTables.crust.elements,
            Zn: { ...prior.traceTables.crust.elements.Zn!, medianMassFraction: 1e-9 },
          },
        },
      },
    };
    expect(() => validateCompositionPrior(bad)).toThrow(/crust\.Zn\.medianMassFraction.*1e-9/);
  });
});
