import { describe, expect, it } from 'vitest';
import {
  looksLikeBrukerSpx,
  looksLikeDepthProfileCsv,
  looksLikeEmsa,
  looksLikeXmso,
  parseDepthProfileAuto,
  sniffDepthProfileFormat,
} from '../../src/io';
import { fixtureBytes, fixtureText } from './fixtures';
import { catchParseError } from './helpers';

const FILES = {
  'emsa/simple.msa': 'emsa',
  'emsa/quirks-bom-crlf-comma.msa': 'emsa',
  'emsa/depth-series.msa': 'emsa',
  'csv/profile.csv': 'csv',
  'csv/profile-semicolon.csv': 'csv',
  'csv/profile.tsv': 'csv',
  'bruker/single.spx': 'spx',
  'bruker/series.xml': 'spx',
  'xmso/small.xmso': 'xmso',
} as const;

describe('sniffers', () => {
  it.each(Object.entries(FILES))('%s is recognised only as %s (string and bytes)', (path, kind) => {
    for (const input of [fixtureText(path), fixtureBytes(path)]) {
      expect(looksLikeEmsa(input)).toBe(kind === 'emsa');
      expect(looksLikeDepthProfileCsv(input)).toBe(kind === 'csv');
      expect(looksLikeBrukerSpx(input)).toBe(kind === 'spx');
      expect(looksLikeXmso(input)).toBe(kind === 'xmso');
    }
  });

  it('rejects empty and unrelated input', () => {
    for (const input of [
      '',
      '   ',
      'hello',
      '<html></html>',
      new Uint8Array(0),
      '#FORMAT : something else',
    ]) {
      expect(sniffDepthProfileFormat(input)).toBeUndefined();
      expect(looksLikeXmso(input)).toBe(false);
    }
  });
});

describe('parseDepthProfileAuto', () => {
  it('dispatches by content', () => {
    expect(parseDepthProfileAuto(fixtureText('csv/profile.csv')).nSteps).toBe(3);
    expect(
      Array.from(parseDepthProfileAuto(fixtureText('emsa/depth-series.msa')).depthsUm),
    ).toEqual([0, 5, 10]);
    expect(Array.from(parseDepthProfileAuto(fixtureBytes('bruker/series.xml')).depthsUm)).toEqual([
      0, 2, 4,
    ]);
  });

  it('explains unsupported input', () => {
    const x = catchParseError(() =>
      parseDepthProfileAuto(fixtureText('xmso/small.xmso'), { fileName: 'a.xmso' }),
    );
    expect(x.expected).toContain('parseXmso');
    const u = catchParseError(() => parseDepthProfileAuto('hello,world', { fileName: 'u.txt' }));
    expect(u.message).toBe(
      'u.txt, line 1: expected a depth profile as cmxrf CSV, EMSA/MSA or Bruker TRTSpectrum XML, got "hello,world"',
    );
  });
});
