import { describe, expect, it } from 'vitest';
import { looksLikeSpe, parseSpe, parseSpectrumAuto, sniffSpectrumFormat } from '../../src/io';
import { fixtureBytes, fixtureText } from './fixtures';
import { catchParseError } from './helpers';

const SPE = (): string => fixtureText('spe/simple.spe');

describe('parseSpe', () => {
  it('reads counts, times and the $ENER_FIT calibration (bytes, CRLF)', () => {
    const s = parseSpe(fixtureBytes('spe/simple.spe'), { fileName: 'p.spe' });
    expect(Array.from(s.counts)).toEqual([0, 1, 4, -2, 9, 3]);
    expect(Array.from(s.negativeCountChannels!)).toEqual([3]);
    expect(s.calibration).toEqual({ offsetKeV: -0.02, gainKeVPerChannel: 0.011, nChannels: 6 });
    expect(s.liveTimeS).toBe(15);
    expect(s.realTimeS).toBe(15.06);
    expect(s.metadata.SPEC_ID).toBe('synthetic point 7');
    expect(looksLikeSpe(SPE())).toBe(true);
    expect(sniffSpectrumFormat(SPE())).toBe('spe');
    expect(parseSpectrumAuto(SPE()).counts.length).toBe(6);
  });

  it('reads $MCA_CAL, shifts the offset for data starting above channel 0', () => {
    const text = SPE()
      .replace('$ENER_FIT:\r\n-0.02 0.011\r\n', '$MCA_CAL:\r\n3\r\n-2.0E-2 1.1E-2 0.0 keV\r\n')
      .replace('0      5', '10      15');
    const s = parseSpe(text);
    expect(s.calibration.offsetKeV).toBeCloseTo(-0.02 + 0.11, 14);
    expect(s.calibration.gainKeVPerChannel).toBe(0.011);
    const curved = text.replace('0.0 keV', '1.0E-3 keV');
    expect(catchParseError(() => parseSpe(curved)).field).toBe('MCA_CAL');
  });

  it('names the missing calibration and live time options, then reads with them', () => {
    const bare = SPE().replace('$ENER_FIT:\r\n-0.02 0.011\r\n', '');
    expect(catchParseError(() => parseSpe(bare)).message).toMatch(/energyCalibration option/);
    const s = parseSpe(bare, { energyCalibration: { offsetKeV: 0, gainKeVPerChannel: 0.01 } });
    expect(s.calibration.gainKeVPerChannel).toBe(0.01);
    expect(s.notes?.[0]).toMatch(/energyCalibration option/);
    const noTime = SPE().replace('$MEAS_TIM:\r\n        15     15.06\r\n', '');
    expect(catchParseError(() => parseSpe(noTime)).message).toMatch(/liveTimeS option/);
    expect(parseSpe(noTime, { liveTimeS: 2 }).liveTimeS).toBe(2);
  });

  it('checks the number of counts against $DATA', () => {
    const e = catchParseError(() =>
      parseSpe(SPE().replace('0      5', '0      6'), { fileName: 'x.spe' }),
    );
    expect(e).toMatchObject({ file: 'x.spe', field: 'DATA', got: '6' });
    expect(catchParseError(() => parseSpe(SPE().replace('0      5', '0      4'))).got).toBe('more');
    expect(catchParseError(() => parseSpe(SPE().replace('$DATA:', '$DATX:'))).field).toBe('DATA');
    expect(catchParseError(() => parseSpe(SPE().replace('9', 'x'))).channel).toBe(4);
  });
});
