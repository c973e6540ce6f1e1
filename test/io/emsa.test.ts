import { describe, expect, it } from 'vitest';
import { CmxrfError, ParseError } from '../../src/errors';
import {
  looksLikeEmsa,
  parseEmsa,
  parseEmsaAll,
  parseEmsaDepthProfile,
  spectrumToEmsa,
} from '../../src/io';
import { fixtureBytes, fixtureText } from './fixtures';

function catchError(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

const MINIMAL = (body: string, header = ''): string =>
  `#FORMAT : EMSA/MAS Spectral Data File\n#NPOINTS : 3\n#XPERCHAN : 10\n#LIVETIME : 1\n${header}#SPECTRUM :\n${body}\n#ENDOFDATA :\n`;

describe('parseEmsa', () => {
  it('reads a standard file with eV units, unit suffixes and repeated comments', () => {
    const s = parseEmsa(fixtureText('emsa/simple.msa'), { fileName: 'simple.msa' });
    expect(Array.from(s.counts)).toEqual([0, 1, 2, 3, 4, 5, 6, 7.5]);
    expect(s.calibration).toEqual({ offsetKeV: -0.2, gainKeVPerChannel: 0.01, nChannels: 8 });
    expect(s.liveTimeS).toBe(100.5);
    expect(s.realTimeS).toBe(120);
    expect(s.metadata.TITLE).toBe('Fe-Ni reference, spot 1');
    expect(s.metadata.COMMENT).toBe('first comment\nsecond comment');
    expect(s.metadata['#VENDORKEY']).toBe('custom value');
    expect(s.source).toBe('simple.msa');
    expect(s.stagePositionUm).toBeUndefined();
  });

  it('handles BOM, CRLF, decimal commas, keV, missing optional keywords and #ENDOFDATA', () => {
    for (const input of [
      fixtureBytes('emsa/quirks-bom-crlf-comma.msa'),
      fixtureText('emsa/quirks-bom-crlf-comma.msa'),
    ]) {
      const s = parseEmsa(input, { fileName: 'q.msa' });
      expect(Array.from(s.counts)).toEqual([10, 20, 30, 40]);
      expect(s.calibration.gainKeVPerChannel).toBeCloseTo(0.01, 15);
      expect(s.calibration.offsetKeV).toBe(0);
      expect(s.liveTimeS).toBe(2.5);
      expect(s.metadata.TITLE).toBe('Probe µ-XRF, Ärger');
    }
  });

  it('reads XY data and checks x against the calibration', () => {
    const s = parseEmsa(fixtureText('emsa/xy.msa'));
    expect(Array.from(s.counts)).toEqual([5, 6, 7]);
    expect(s.calibration).toEqual({ offsetKeV: 1, gainKeVPerChannel: 0.02, nChannels: 3 });
    const bad = fixtureText('emsa/xy.msa').replace('1.02, 6', '1.09, 6');
    const e = catchError(() => parseEmsa(bad, { fileName: 'xy.msa' }));
    expect(e.line).toBe(13);
    expect(e.channel).toBe(1);
    expect(e.field).toBe('x');
  });

  it('defaults XUNITS to eV and OFFSET to 0; honours a keyword unit suffix', () => {
    const s = parseEmsa(MINIMAL('1 2 3'));
    expect(s.calibration).toEqual({ offsetKeV: 0, gainKeVPerChannel: 0.01, nChannels: 3 });
    const k = parseEmsa(MINIMAL('1 2 3').replace('#XPERCHAN : 10', '#XPERCHAN -keV: 0.5'));
    expect(k.calibration.gainKeVPerChannel).toBe(0.5);
    const e = catchError(() =>
      parseEmsa(MINIMAL('1 2 3', '#XUNITS : keV\n').replace('#XPERCHAN : 10', '#XPERCHAN -eV: 10')),
    );
    expect(e.field).toBe('XPERCHAN');
  });

  it('takes the liveTimeS option only when #LIVETIME is missing', () => {
    const text = MINIMAL('1 2 3').replace('#LIVETIME : 1\n', '');
    const e = catchError(() => parseEmsa(text, { fileName: 'nolt.msa' }));
    expect(e.field).toBe('LIVETIME');
    expect(e.message).toContain('nolt.msa');
    expect(parseEmsa(text, { liveTimeS: 7 }).liveTimeS).toBe(7);
    expect(parseEmsa(MINIMAL('1 2 3'), { liveTimeS: 7 }).liveTimeS).toBe(1);
  });

  it.each([
    ['NPOINTS', (t: string) => t.replace('#NPOINTS : 3\n', ''), 1],
    ['XPERCHAN', (t: string) => t.replace('#XPERCHAN : 10\n', ''), 1],
    ['SPECTRUM', (t: string) => t.replace(/#SPECTRUM :\n[^]*$/, ''), undefined],
    ['FORMAT', (t: string) => t.replace('#FORMAT : EMSA/MAS Spectral Data File\n', ''), 1],
  ])('names the missing required keyword %s', (field, edit, line) => {
    const e = catchError(() => parseEmsa(edit(MINIMAL('1 2 3')), { fileName: 'm.msa' }));
    expect(e.field).toBe(field);
    expect(e.file).toBe('m.msa');
    if (line !== undefined) expect(e.line).toBe(line);
  });

  it('rejects bad counts with line and channel, never NaN or clipping', () => {
    for (const [body, got] of [
      ['1, x, 3', '"x"'],
      ['1, NaN, 3', '"NaN"'],
      ['1, Infinity, 3', '"Infinity"'],
      ['1, 0x10, 3', '"0x10"'],
      ['1, 1e999, 3', '"1e999"'],
    ]) {
      const e = catchError(() => parseEmsa(MINIMAL(body), { fileName: 'c.msa' }));
      expect(e.line).toBe(6);
      expect(e.channel).toBe(1);
      expect(e.got).toBe(got);
    }
  });

  it('checks the number of values against #NPOINTS', () => {
    const few = catchError(() => parseEmsa(MINIMAL('1 2')));
    expect(few.field).toBe('NPOINTS');
    expect(few.got).toBe('2');
    expect(few.line).toBe(7);
    const many = catchError(() => parseEmsa(MINIMAL('1 2 3 4')));
    expect(many.channel).toBe(3);
    expect(many.line).toBe(6);
  });

  it('rejects duplicate keywords, stray lines and malformed keyword lines', () => {
    expect(catchError(() => parseEmsa(MINIMAL('1 2 3', '#NPOINTS : 4\n'))).field).toBe('NPOINTS');
    expect(catchError(() => parseEmsa(MINIMAL('1 2 3', 'hello\n'))).line).toBe(5);
    expect(catchError(() => parseEmsa(MINIMAL('1 2 3', '#NOCOLON\n'))).line).toBe(5);
    expect(catchError(() => parseEmsa(MINIMAL('1 2 3') + 'trailing\n')).line).toBe(8);
    expect(catchError(() => parseEmsa(MINIMAL('1 2 3', '#XUNITS : furlong\n'))).field).toBe(
      'XUNITS',
    );
    expect(catchError(() => parseEmsa(MINIMAL('1 2 3', '#DATATYPE : Z\n'))).field).toBe('DATATYPE');
    expect(
      catchError(() => parseEmsa(MINIMAL('1 2 3').replace('#XPERCHAN : 10', '#XPERCHAN : 0')))
        .field,
    ).toBe('XPERCHAN');
  });

  it('refuses a multi-spectrum file and reads it with parseEmsaAll', () => {
    const text = fixtureText('emsa/depth-series.msa');
    expect(catchError(() => parseEmsa(text)).got).toBe('3 spectra');
    expect(parseEmsaAll(text)).toHaveLength(3);
  });

  it('reads XY data with NCOLUMNS 2 as two (x, y) pairs per line (ISO 22029)', () => {
    const text = MINIMAL('0, 1, 10, 3\n20, 5', '#DATATYPE : XY\n#NCOLUMNS : 2\n');
    const all = parseEmsaAll(text);
    expect(all).toHaveLength(1);
    expect(Array.from(all[0].counts)).toEqual([1, 3, 5]);
    // x, y1, y2 lines are not pairs: refused, naming the layout.
    const old = MINIMAL('0, 1, 2\n10, 3, 4\n20, 5, 6', '#DATATYPE : XY\n#NCOLUMNS : 2\n');
    const e = catchError(() => parseEmsa(old));
    expect(e.expected).toMatch(/\(x, y\) pairs/);
    expect(e.line).toBe(8);
    // An x out of place is caught in the second pair of a line too.
    const shifted = MINIMAL('0, 1, 25, 3\n20, 5', '#DATATYPE : XY\n#NCOLUMNS : 2\n');
    expect(catchError(() => parseEmsa(shifted))).toMatchObject({ field: 'x', channel: 1 });
  });
});

describe('parseEmsa on real-world quirks', () => {
  it('keeps negative counts, lists their channels and notes them', () => {
    const s = parseEmsa(MINIMAL('4, -2, -1'));
    expect(Array.from(s.counts)).toEqual([4, -2, -1]);
    expect(Array.from(s.negativeCountChannels!)).toEqual([1, 2]);
    expect(s.notes).toEqual([
      '2 channel(s) hold negative counts (channels 1–2, 0.01–0.02 keV, minimum -2); kept as read and listed in negativeCountChannels',
    ]);
    expect(parseEmsa(MINIMAL('1 2 3')).negativeCountChannels).toBeUndefined();
  });

  it('joins a multi-line #TITLE and keeps repeated vendor keywords', () => {
    const s = parseEmsa(
      MINIMAL(
        '1 2 3',
        '#TITLE : First\n#TITLE :  - second\n##OXINSTLABEL: 8, 0.525, O\n##OXINSTLABEL: 11, 1.04, Na\n' +
          '#XLABEL : Energy Loss\n#XLABEL : Energy\n',
      ),
    );
    expect(s.metadata.TITLE).toBe('First\n- second');
    expect(s.metadata['#OXINSTLABEL']).toBe('8, 0.525, O\n11, 1.04, Na');
    expect(s.metadata.XLABEL).toBe('Energy Loss\nEnergy');
    expect(s.notes).toContain(
      '##OXINSTLABEL appears 2 times (lines 7, 8); metadata keeps every value, newline-separated',
    );
    expect(s.notes).toContain(
      '#XLABEL appears 2 times (lines 9, 10); metadata keeps every value, newline-separated',
    );
  });

  it('accepts an interpreted keyword repeated with the same value, refuses another value', () => {
    const same = parseEmsa(MINIMAL('1 2 3', '#LIVETIME : 1\n'));
    expect(same.notes).toEqual(['#LIVETIME appears 2 times (lines 4, 5) with one value']);
    const e = catchError(() => parseEmsa(MINIMAL('1 2 3', '#LIVETIME : 2\n')));
    expect(e).toMatchObject({ field: 'LIVETIME', line: 5, got: '"2"' });
  });

  it('defaults an empty #XUNITS to eV with a note, and reads #SPECTRUM without a colon', () => {
    const text = MINIMAL('1 2 3', '#XUNITS      : \n').replace('#SPECTRUM :', '#SPECTRUM');
    const s = parseEmsa(text);
    expect(s.calibration.gainKeVPerChannel).toBe(0.01);
    expect(s.notes).toEqual(['#XUNITS is empty (line 5): eV assumed, the ISO 22029 default']);
  });

  it('reads XY pairs beyond #NPOINTS only when every x is on the calibration, with a note', () => {
    const xy = '#DATATYPE : XY\n';
    const s = parseEmsa(MINIMAL('0, 1\n10, 2\n20, 3\n30, 4', xy));
    expect(Array.from(s.counts)).toEqual([1, 2, 3, 4]);
    expect(s.calibration.nChannels).toBe(4);
    expect(s.notes).toEqual([
      '#NPOINTS says 3 but the data hold 4 (x, y) pairs, every x on #OFFSET + n·#XPERCHAN: all 4 read',
    ]);
    expect(catchError(() => parseEmsa(MINIMAL('0, 1\n10, 2\n20, 3\n50, 4', xy))).field).toBe('x');
    expect(catchError(() => parseEmsa(MINIMAL('0, 1\n10, 2', xy))).field).toBe('NPOINTS');
  });

  it('notes x values off the calibration grid (within the tolerance) and keeps the header calibration', () => {
    const s = parseEmsa(MINIMAL('0, 1\n15, 2\n20, 3', '#DATATYPE : XY\n'));
    expect(s.calibration.gainKeVPerChannel).toBe(0.01);
    expect(s.notes?.[0]).toMatch(/x deviates .* by up to 0\.5 channel \(line 8\)/);
    expect(
      catchError(() =>
        parseEmsa(MINIMAL('0, 1\n15, 2\n20, 3', '#DATATYPE : XY\n'), {
          maxXDeviationChannels: 0.2,
        }),
      ).field,
    ).toBe('x');
  });

  it('reads (x, y) pairs labelled #DATATYPE Y when every x is on the calibration', () => {
    const s = parseEmsa(MINIMAL('0, 5\n10, 6\n20, 7', '#DATATYPE : Y\n'));
    expect(Array.from(s.counts)).toEqual([5, 6, 7]);
    expect(s.notes?.[0]).toMatch(/#DATATYPE is Y but the 3 data line\(s\) are \(x, y\) pairs/);
    // Y data that merely hold twice the values are not pairs: refused.
    expect(catchError(() => parseEmsa(MINIMAL('0, 5\n30, 6\n20, 7'))).field).toBe('NPOINTS');
  });

  it('names the liveTimeS option when a file gives no live time, then reads with it', () => {
    const text = MINIMAL('1 2 3').replace('#LIVETIME : 1\n', '');
    const e = catchError(() => parseEmsa(text, { fileName: 'eels.msa' }));
    expect(e.field).toBe('LIVETIME');
    expect(e.message).toMatch(/liveTimeS option, or --live-time-s/);
    const s = parseEmsa(text, { liveTimeS: 7 });
    expect(s.liveTimeS).toBe(7);
    expect(s.notes).toEqual(['no #LIVETIME in the file: live time 7 s from the liveTimeS option']);
  });

  it('takes an energyCalibration option for files without #XPERCHAN', () => {
    const text = MINIMAL('1 2 3').replace('#XPERCHAN : 10\n', '');
    expect(catchError(() => parseEmsa(text)).message).toMatch(/energyCalibration option/);
    const s = parseEmsa(text, { energyCalibration: { offsetKeV: 0, gainKeVPerChannel: 0.008 } });
    expect(s.calibration).toEqual({ offsetKeV: 0, gainKeVPerChannel: 0.008, nChannels: 3 });
    expect(s.notes?.[0]).toMatch(/energyCalibration option.*no #XPERCHAN/);
    expect(() =>
      parseEmsa(text, { energyCalibration: { offsetKeV: 0, gainKeVPerChannel: 0 } }),
    ).toThrow(CmxrfError);
  });

  it('records the unit of stage positions: file suffix, ISO default or option', () => {
    const suffix = parseEmsa(MINIMAL('1 2 3', '#ZPOSITION um: 12.5\n'));
    expect(suffix.stagePositionUm).toEqual({ zUm: 12.5 });
    expect(suffix.stageUnit).toEqual({ unit: 'um', from: 'file', field: '#ZPOSITION' });
    const bare = parseEmsa(MINIMAL('1 2 3', '#ZPOSITION : 0.5\n'));
    expect(bare.stagePositionUm).toEqual({ zUm: 500 });
    expect(bare.stageUnit).toEqual({ unit: 'mm', from: 'default', field: '#ZPOSITION' });
    const opt = parseEmsa(MINIMAL('1 2 3', '#ZPOSITION : 0.5\n'), { positionUnit: 'um' });
    expect(opt.stagePositionUm).toEqual({ zUm: 0.5 });
    expect(opt.stageUnit?.from).toBe('option');
  });
});

describe('parseEmsaDepthProfile', () => {
  it('stacks blocks by #ZPOSITION (mm → µm)', () => {
    const p = parseEmsaDepthProfile(fixtureText('emsa/depth-series.msa'), { fileName: 'd.msa' });
    expect(p.nSteps).toBe(3);
    expect(p.nChannels).toBe(4);
    expect(Array.from(p.depthsUm)).toEqual([0, 5, 10]);
    expect(Array.from(p.liveTimesS)).toEqual([10, 11, 12]);
    expect(Array.from(p.counts)).toEqual([1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6]);
    expect(p.calibration).toEqual({ offsetKeV: 0, gainKeVPerChannel: 0.02, nChannels: 4 });
    expect(p.source).toBe('d.msa');
  });

  it('supports another axis, inversion and explicit depths', () => {
    const text = fixtureText('emsa/depth-series.msa');
    const inverted = catchError(() => parseEmsaDepthProfile(text, { invertAxis: true }));
    expect(inverted.field).toBe('depthUm');
    const sameX = catchError(() => parseEmsaDepthProfile(text, { scanAxis: 'x' }));
    expect(sameX.message).toContain('strictly increasing');
    const p = parseEmsaDepthProfile(text, { depthsUm: [1, 2, 3] });
    expect(Array.from(p.depthsUm)).toEqual([1, 2, 3]);
    expect(() => parseEmsaDepthProfile(text, { depthsUm: [1, 2] })).toThrow(CmxrfError);
  });

  it('names the block without a position', () => {
    const text = fixtureText('emsa/depth-series.msa').replace('#ZPOSITION mm: 0.005\n', '');
    const e = catchError(() => parseEmsaDepthProfile(text, { fileName: 'd.msa' }));
    expect(e.field).toBe('ZPOSITION');
    expect(e.line).toBe(16);
  });

  it('rejects mismatched calibrations between steps', () => {
    const text = fixtureText('emsa/depth-series.msa').replace(
      /#XPERCHAN {4}: 20\n(?![^]*#XPERCHAN {4}: 20)/,
      '#XPERCHAN    : 21\n',
    );
    const e = catchError(() => parseEmsaDepthProfile(text));
    expect(e.field).toBe('gainKeVPerChannel');
  });
});

describe('spectrumToEmsa', () => {
  it('round-trips parseEmsa exactly (counts, calibration, times, positions)', () => {
    const s = parseEmsa(fixtureText('emsa/simple.msa'));
    s.stagePositionUm = { xUm: 1250, zUm: 7.5 };
    const back = parseEmsa(spectrumToEmsa(s));
    expect(Array.from(back.counts)).toEqual(Array.from(s.counts));
    expect(back.calibration).toEqual(s.calibration);
    expect(back.liveTimeS).toBe(s.liveTimeS);
    expect(back.realTimeS).toBe(s.realTimeS);
    expect(back.stagePositionUm?.xUm).toBeCloseTo(1250, 9);
    expect(back.stagePositionUm?.zUm).toBeCloseTo(7.5, 9);
    expect(back.metadata.TITLE).toBe(s.metadata.TITLE);
    expect(looksLikeEmsa(spectrumToEmsa(s))).toBe(true);
  });

  it('refuses invalid spectra', () => {
    const s = parseEmsa(fixtureText('emsa/simple.msa'));
    expect(() =>
      spectrumToEmsa({ ...s, counts: new Float64Array([1, Number.NaN, 0, 0, 0, 0, 0, 0]) }),
    ).toThrow(/counts\[1\]/);
    expect(() => spectrumToEmsa({ ...s, liveTimeS: 0 })).toThrow(CmxrfError);
    expect(() => spectrumToEmsa({ ...s, counts: new Float64Array(2) })).toThrow(CmxrfError);
  });
});
