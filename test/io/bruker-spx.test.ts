import { describe, expect, it } from 'vitest';
import {
  depthProfileFromSpectra,
  looksLikeBrukerSpx,
  parseBrukerSpx,
  parseBrukerSpxAll,
  parseBrukerSpxDepthProfile,
} from '../../src/io';
import { fixtureBytes, fixtureText } from './fixtures';
import { catchParseError } from './helpers';

const SERIES = (): string => fixtureText('bruker/series.xml');

describe('parseBrukerSpx', () => {
  it('reads a WINDOWS-1252, CRLF Esprit file from bytes', () => {
    const s = parseBrukerSpx(fixtureBytes('bruker/single.spx'), { fileName: 'single.spx' });
    expect(Array.from(s.counts)).toEqual([0, 0, 12, 345, 6789, 10, 0, 1]);
    expect(s.calibration).toEqual({
      offsetKeV: -0.95639563,
      gainKeVPerChannel: 0.010001,
      nChannels: 8,
    });
    expect(s.liveTimeS).toBeCloseTo(49, 12);
    expect(s.realTimeS).toBeCloseTo(50, 12);
    expect(s.metadata.name).toBe('Punkt 1 – 5 µm');
    expect(s.metadata.Date).toBe('10.5.2017');
    expect(s.stagePositionUm).toBeUndefined();
    expect(looksLikeBrukerSpx(fixtureBytes('bruker/single.spx'))).toBe(true);
  });

  it('checks ChannelCount against <Channels> and names the channel of a bad count', () => {
    const text = SERIES();
    const first = text.indexOf('<Channels>0,1,2,3</Channels>');
    const mismatch = text.slice(0, first) + '<Channels>0,1,2</Channels>' + text.slice(first + 28);
    const e1 = catchParseError(() => parseBrukerSpxAll(mismatch, { fileName: 's.xml' }));
    expect(e1).toMatchObject({ field: 'Channels', expected: '4 counts (ChannelCount)', got: '3' });
    const bad = text.slice(0, first) + '<Channels>0,1,\nx,3</Channels>' + text.slice(first + 28);
    const e2 = catchParseError(() => parseBrukerSpxAll(bad, { fileName: 's.xml' }));
    expect(e2.channel).toBe(2);
    expect(e2.line).toBe(text.slice(0, first).split('\n').length + 1);
  });

  it('keeps negative counts and lists their channels', () => {
    const text = SERIES();
    const first = text.indexOf('<Channels>0,1,2,3</Channels>');
    const neg = text.slice(0, first) + '<Channels>0,-1,\n-2,3</Channels>' + text.slice(first + 28);
    const [s] = parseBrukerSpxAll(neg, { fileName: 's.xml' });
    expect(Array.from(s.counts)).toEqual([0, -1, -2, 3]);
    expect(Array.from(s.negativeCountChannels!)).toEqual([1, 2]);
    expect(s.notes?.join('\n')).toMatch(/2 channel\(s\) hold negative counts \(channels 1–2/);
    const p = parseBrukerSpxDepthProfile(neg);
    expect(Array.from(p.negativeCountChannels!)).toEqual([1, 2]);
    expect(Array.from(p.counts.subarray(0, 4))).toEqual([0, -1, -2, 3]);
  });

  it.each(['CalibLin', 'CalibAbs', 'ChannelCount'])('names a missing %s', (tag) => {
    const text = SERIES().replace(new RegExp(`<${tag}>[^<]*</${tag}>`), '');
    expect(catchParseError(() => parseBrukerSpxAll(text)).field).toBe(tag);
  });

  it('requires LifeTime unless liveTimeS is given', () => {
    const text = SERIES().replace(/<LifeTime>[^<]*<\/LifeTime>/, '');
    expect(catchParseError(() => parseBrukerSpxAll(text)).field).toBe('LifeTime');
    expect(parseBrukerSpxAll(text, { liveTimeS: 3 })[0].liveTimeS).toBe(3);
  });

  it('reports malformed XML with a line', () => {
    const e = catchParseError(() =>
      parseBrukerSpx('<TRTSpectrum>\n<ClassInstance Type="TRTSpectrum">\n</TRTSpectrum>', {
        fileName: 'x.spx',
      }),
    );
    expect(e.file).toBe('x.spx');
    expect(e.line).toBe(3);
  });

  it('refuses XML without a spectrum and files with several', () => {
    expect(
      catchParseError(() => parseBrukerSpx('<TRTSpectrum><RTHeader/></TRTSpectrum>')).field,
    ).toBe('TRTSpectrum');
    expect(catchParseError(() => parseBrukerSpx(SERIES())).got).toBe('3 spectra');
  });
});

describe('Bruker depth profiles', () => {
  it('reads several TRTSpectrum instances with stage Z (TRTSEMStageData: µm by default)', () => {
    const p = parseBrukerSpxDepthProfile(SERIES(), { fileName: 'series.xml' });
    const [s] = parseBrukerSpxAll(SERIES());
    expect(s.stageUnit).toEqual({ unit: 'um', from: 'default', field: 'TRTSEMStageData' });
    expect(s.stagePositionUm).toEqual({ xUm: 15, yUm: 22.5, zUm: 0 });
    expect(p.nSteps).toBe(3);
    expect(Array.from(p.depthsUm)).toEqual([0, 2, 4]);
    expect(Array.from(p.liveTimesS)).toEqual([10, 10.1, 10.2]);
    expect(Array.from(p.counts.subarray(4, 8))).toEqual([1, 2, 3, 4]);
    expect(p.source).toBe('series.xml');
  });

  it('supports stageUnit mm and explicit depths', () => {
    expect(Array.from(parseBrukerSpxDepthProfile(SERIES(), { stageUnit: 'mm' }).depthsUm)).toEqual([
      0, 2000, 4000,
    ]);
    expect(parseBrukerSpxAll(SERIES(), { stageUnit: 'mm' })[0].stageUnit).toEqual({
      unit: 'mm',
      from: 'option',
      field: 'TRTSEMStageData',
    });
    expect(
      Array.from(parseBrukerSpxDepthProfile(SERIES(), { depthsUm: [0, 10, 20] }).depthsUm),
    ).toEqual([0, 10, 20]);
  });

  it('names the spectrum without a stage position', () => {
    const text = SERIES().replace(/<Z>2<\/Z>/, '');
    const e = catchParseError(() => parseBrukerSpxDepthProfile(text, { fileName: 's.xml' }));
    expect(e.field).toBe('Z');
  });

  it('stacks separate .spx spectra with depthProfileFromSpectra', () => {
    const spectra = parseBrukerSpxAll(SERIES());
    const p = depthProfileFromSpectra(spectra, [0, 5, 10]);
    expect(p.nSteps).toBe(3);
    expect(Array.from(depthProfileFromSpectra(spectra).depthsUm)).toEqual([0, 2, 4]);
    expect(() => depthProfileFromSpectra(spectra, [0, 5])).toThrow(/depthsUm/);
    expect(() => depthProfileFromSpectra(spectra, [0, 5, 5])).toThrow(/strictly increasing/);
    expect(() => depthProfileFromSpectra([])).toThrow(/at least one/);
    const other = {
      ...spectra[1],
      calibration: { ...spectra[1].calibration, gainKeVPerChannel: 0.02 },
    };
    expect(() => depthProfileFromSpectra([spectra[0], other], [0, 1])).toThrow(/gainKeVPerChannel/);
  });
});
