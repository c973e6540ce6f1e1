import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CmxrfError } from '../../src/errors';
import {
  depthProfileToCsv,
  parseBrukerSpx,
  parseBrukerSpxAll,
  parseDepthProfileAuto,
  parseDepthProfileCsv,
  parseEmsa,
  parseEmsaAll,
  parseEmsaDepthProfile,
  parseXmso,
} from '../../src/io';
import type { DepthProfile } from '../../src/profile';
import { fixtureText } from './fixtures';

type Parser = (input: string | Uint8Array) => unknown;

const PARSERS: Record<string, Parser> = {
  parseEmsa: (t) => parseEmsa(t),
  parseEmsaAll: (t) => parseEmsaAll(t),
  parseEmsaDepthProfile: (t) => parseEmsaDepthProfile(t),
  parseDepthProfileCsv: (t) => parseDepthProfileCsv(t),
  parseBrukerSpx: (t) => parseBrukerSpx(t),
  parseBrukerSpxAll: (t) => parseBrukerSpxAll(t),
  parseXmso: (t) => parseXmso(t),
  parseDepthProfileAuto: (t) => parseDepthProfileAuto(t),
};

/** The property: parsing either succeeds or throws a CmxrfError, nothing else. */
function parsesOrCmxrfError(parse: Parser, input: string | Uint8Array): boolean {
  try {
    parse(input);
    return true;
  } catch (e) {
    if (e instanceof CmxrfError) return true;
    throw e;
  }
}

const FIXTURES: [string, keyof typeof PARSERS][] = [
  ['emsa/simple.msa', 'parseEmsa'],
  ['emsa/quirks-bom-crlf-comma.msa', 'parseEmsa'],
  ['emsa/depth-series.msa', 'parseEmsaDepthProfile'],
  ['csv/profile.csv', 'parseDepthProfileCsv'],
  ['csv/profile-semicolon.csv', 'parseDepthProfileCsv'],
  ['bruker/series.xml', 'parseBrukerSpxAll'],
  ['xmso/small.xmso', 'parseXmso'],
];

describe('fuzz: random input never escapes as a non-CmxrfError', () => {
  it.each(Object.keys(PARSERS))('%s on random strings and bytes', (name) => {
    const parse = PARSERS[name];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }),
          fc
            .array(
              fc.constantFrom(
                '#FORMAT : EMSA',
                '#NPOINTS : 2',
                '#XPERCHAN : 1',
                '#SPECTRUM :',
                '1, 2',
                '<TRTSpectrum>',
                'depthUm,liveTimeS,ch0',
                '# gainKeVPerChannel=1',
                '\n',
                ',',
              ),
              { maxLength: 20 },
            )
            .map((a) => a.join('\n')),
        ),
        (input) => parsesOrCmxrfError(parse, input),
      ),
      { numRuns: 150, seed: 20240601 },
    );
  });

  it.each(FIXTURES)('truncations and single-character edits of %s', (path, name) => {
    const text = fixtureText(path);
    const parse = PARSERS[name];
    expect(() => parse(text)).not.toThrow();
    fc.assert(
      fc.property(
        fc.nat({ max: text.length }),
        fc.nat({ max: text.length }),
        fc.constantFrom('', '-', 'x', ',', '\n', '<', '>', '"', '9e999', 'NaN', ';', '\t', '#'),
        (cut, at, insert) => {
          const truncated = text.slice(0, cut);
          const edited = text.slice(0, at) + insert + text.slice(at + 1);
          return parsesOrCmxrfError(parse, truncated) && parsesOrCmxrfError(parse, edited);
        },
      ),
      { numRuns: 120, seed: 7 },
    );
  });
});

describe('property: CSV writer and parser round-trip any valid profile', () => {
  const finiteNonNeg = fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true });
  const profileArb = fc
    .record({
      nSteps: fc.integer({ min: 1, max: 5 }),
      nChannels: fc.integer({ min: 1, max: 6 }),
      offsetKeV: fc.double({ min: -1, max: 1, noNaN: true }),
      gainKeVPerChannel: fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
      start: fc.double({ min: -1000, max: 1000, noNaN: true }),
      delimiter: fc.constantFrom(',', ';', '\t'),
    })
    .chain((r) =>
      fc.record({
        r: fc.constant(r),
        counts: fc.array(finiteNonNeg, {
          minLength: r.nSteps * r.nChannels,
          maxLength: r.nSteps * r.nChannels,
        }),
        steps: fc.array(fc.double({ min: 0.001, max: 50, noNaN: true }), {
          minLength: r.nSteps,
          maxLength: r.nSteps,
        }),
        live: fc.array(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), {
          minLength: r.nSteps,
          maxLength: r.nSteps,
        }),
      }),
    );

  it('parse(write(p)) equals p', () => {
    fc.assert(
      fc.property(profileArb, ({ r, counts, steps, live }) => {
        let d = r.start;
        const depths = steps.map((s) => (d += s));
        const p: DepthProfile = {
          counts: Float64Array.from(counts),
          nSteps: r.nSteps,
          nChannels: r.nChannels,
          depthsUm: Float64Array.from(depths),
          calibration: {
            offsetKeV: r.offsetKeV,
            gainKeVPerChannel: r.gainKeVPerChannel,
            nChannels: r.nChannels,
          },
          liveTimesS: Float64Array.from(live),
        };
        const back = parseDepthProfileCsv(depthProfileToCsv(p, { delimiter: r.delimiter }));
        expect(Array.from(back.counts)).toEqual(Array.from(p.counts));
        expect(Array.from(back.depthsUm)).toEqual(Array.from(p.depthsUm));
        expect(Array.from(back.liveTimesS)).toEqual(Array.from(p.liveTimesS));
        expect(back.calibration).toEqual(p.calibration);
      }),
      { numRuns: 60, seed: 42 },
    );
  });
});
