/**
 * Intensity normalisation before the network: tube current (model card's over the file's) and
 * an intensity scale k. The runtime is a fake that records its feeds; a normalised profile must
 * give exactly the feed of the same profile whose counts were scaled by hand (rate × factor =
 * counts × factor / live time), which is computed here independently of the library's code.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import {
  intensityNormalization,
  normalizedExposureProfile,
  PLAUSIBLE_TUBE_CURRENT_MA,
} from '../../src/model/intensityScale';
import { createQuantifier } from '../../src/model/quantifier';
import type { DepthProfile, ExcitationMetadata } from '../../src/profile';
import { fakeRuntime } from './fake-runtime';
import { range, syntheticProfile, tinyCardJson } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseCard = Record<string, any>;
/** The tiny test card with an instrument whose tube runs at 1 mA. */
function cardWithInstrument(currentMA: number | null = 1): LooseCard {
  const c = tinyCardJson() as LooseCard;
  c.instrument = {
    schemaVersion: 1,
    name: 'test instrument',
    tube: { anode: 'Rh', voltageKV: 50, ...(currentMA !== null ? { currentMA } : {}) },
  };
  return c;
}

const profile = (excitation?: ExcitationMetadata, liveTimeS = 10): DepthProfile => ({
  ...syntheticProfile({
    depthsUm: range(40, 5),
    offsetKeV: 1.012,
    gainKeVPerChannel: 0.024,
    nChannels: 1024,
    liveTimeS,
  }),
  ...(excitation ? { excitation } : {}),
});
const tube = (currentMA: number): ExcitationMetadata => ({
  kind: 'x-ray-tube',
  anode: 'Rh',
  voltageKV: 50,
  currentMA,
  fields: ['TRTXrfHeader Current'],
});
/** The same profile with every count multiplied by `f` and no excitation metadata. */
const scaledCounts = (p: DepthProfile, f: number): DepthProfile => ({
  ...p,
  counts: p.counts.map((c) => c * f),
  excitation: undefined,
});

async function feedsOf(card: LooseCard, ps: DepthProfile[], options = {}) {
  const { runtime, runs } = fakeRuntime(['profile']);
  const q = await createQuantifier({
    runtime,
    model: new Uint8Array(8),
    card,
    verifySha256: false,
  });
  const rs = await q.quantify(ps, options);
  return { rs, feed: runs[0].profile.data };
}

const maxDiff = (a: Float32Array, b: Float32Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('intensity normalisation before the network', () => {
  it('scales the rates by model current / file current, with a note naming both', async () => {
    const card = cardWithInstrument(1);
    const { rs, feed } = await feedsOf(card, [
      profile(tube(0.6)),
      scaledCounts(profile(), 1 / 0.6),
    ]);
    const per = feed.length / 2;
    expect(maxDiff(feed.subarray(0, per), feed.subarray(per))).toBeLessThan(1e-6);
    // Inputs really changed: ln(1 + r·ref)/scale grows by about ln(1/0.6)/4 where r·ref ≫ 1.
    const base = await feedsOf(card, [profile()]);
    expect(maxDiff(feed.subarray(0, per), base.feed)).toBeGreaterThan(0.05);
    const w = rs[0].warnings.find((x) => x.code === 'tube-current-normalized');
    expect(w?.message).toMatch(/0\.6 mA \(TRTXrfHeader Current\).*1 mA.*multiplied by 1\.667/);
    expect(rs[0].intensityNormalization).toEqual({
      rateFactor: 1 / 0.6,
      intensityScale: 1,
      tubeCurrentRatio: 1 / 0.6,
      fileCurrentMA: 0.6,
      modelCurrentMA: 1,
    });
    expect(rs[1].intensityNormalization).toBeUndefined();
    expect(rs[1].warnings.map((x) => x.code)).not.toContain('tube-current-normalized');
  });

  it('divides the rates by the intensity scale k, on top of the tube current', async () => {
    const card = cardWithInstrument(1);
    const { rs, feed } = await feedsOf(card, [profile(tube(0.5)), profile()], {
      intensityScale: 0.25,
    });
    const per = feed.length / 2;
    // 0.5 mA and k = 0.25: rates × 2 / 0.25 = × 8; without a current, × 4.
    const hand = await feedsOf(card, [scaledCounts(profile(), 8), scaledCounts(profile(), 4)]);
    expect(maxDiff(feed, hand.feed)).toBeLessThan(1e-6);
    expect(per).toBe(40 * 1024);
    expect(rs[0].intensityNormalization?.rateFactor).toBeCloseTo(8, 12);
    expect(rs[0].warnings.map((x) => x.code)).toEqual(
      expect.arrayContaining(['tube-current-normalized', 'intensity-scaled']),
    );
    expect(rs[1].intensityNormalization).toMatchObject({ rateFactor: 4, tubeCurrentRatio: 1 });
  });

  it('leaves the rates alone when switched off, when the card has no current, or for an electron beam', async () => {
    const base = await feedsOf(cardWithInstrument(1), [profile()]);
    const off = await feedsOf(cardWithInstrument(1), [profile(tube(0.6))], {
      tubeCurrentNormalization: false,
    });
    expect(maxDiff(off.feed, base.feed)).toBe(0);
    expect(
      off.rs[0].warnings.find((w) => w.code === 'tube-current-not-normalized')?.message,
    ).toMatch(/normalisation is off/);
    const noCard = await feedsOf(cardWithInstrument(null), [profile(tube(0.6))]);
    expect(maxDiff(noCard.feed, base.feed)).toBe(0);
    expect(noCard.rs[0].intensityNormalization).toBeUndefined();
    const sem = await feedsOf(cardWithInstrument(1), [
      profile({ kind: 'electron-beam', voltageKV: 20, currentMA: 1e-6, fields: [] }),
    ]);
    expect(maxDiff(sem.feed, base.feed)).toBe(0);
  });

  it('does not use an implausible tube current, and says so', () => {
    const r = intensityNormalization(cardWithInstrument(1) as never, profile(tube(40)));
    expect(r.normalization.rateFactor).toBe(1);
    expect(r.warnings[0].code).toBe('tube-current-not-normalized');
    expect(r.warnings[0].message).toMatch(
      new RegExp(
        `40 mA.*outside ${PLAUSIBLE_TUBE_CURRENT_MA.min}–${PLAUSIBLE_TUBE_CURRENT_MA.max} mA`,
      ),
    );
  });

  it('reports effective live times in the live-time guard (same counts, exposure in model units)', async () => {
    const { rs } = await feedsOf(cardWithInstrument(1), [profile(undefined, 10)], {
      intensityScale: 0.05,
    });
    // 10 s on a unit 20 times less sensitive (k = 0.05): the counts of 0.5 s on the model's
    // instrument, below the trained 1 s.
    const w = rs[0].warnings.find((x) => x.code === 'live-time-out-of-range');
    expect(w?.message).toMatch(/0\.5–0\.5 s.*effective live times.*factor 20 /);
  });

  it('refuses an intensity scale that is not a finite number > 0', async () => {
    const { runtime } = fakeRuntime(['profile']);
    const q = await createQuantifier({
      runtime,
      model: new Uint8Array(8),
      card: cardWithInstrument(1),
      verifySha256: false,
    });
    for (const k of [0, -1, NaN, Infinity])
      await expect(q.quantify(profile(), { intensityScale: k })).rejects.toThrow(
        InvalidArgumentError,
      );
    expect(() => normalizedExposureProfile(profile(), 0)).toThrow(/rateFactor/);
    expect(normalizedExposureProfile(profile(), 4).liveTimesS[0]).toBe(2.5);
  });
});
