/**
 * Writing a {@link Spectrum} as an EMSA/MSA file (ISO 22029), readable by {@link parseEmsa}.
 *
 * @module
 */
import { UM_PER_MM } from './emsa';
import { formatNumber } from './numbers';
import type { Spectrum } from './types';
import { validateSpectrum } from './validate-spectrum';

/** Options of {@link spectrumToEmsa}. */
export interface SpectrumToEmsaOptions {
  /**
   * `#TITLE`.
   * @default spectrum.metadata.TITLE ?? ''
   */
  title?: string;
}

function oneLine(s: string | undefined): string {
  return (s ?? '').replace(/[\r\n]+/g, ' ');
}

function field(name: string, value: string): string {
  return `#${name.padEnd(12)}: ${value}`;
}

/**
 * Writes a spectrum as an EMSA/MSA text (Y data, one value per line, `#XUNITS` keV so that the
 * calibration round-trips exactly, stage positions in mm as the standard prescribes, CRLF-free).
 *
 * @throws {InvalidArgumentError} if the spectrum has non-finite or negative counts, a count
 *   length differing from `calibration.nChannels`, a gain ≤ 0 or a live time ≤ 0.
 * @example
 * ```ts
 * const text = spectrumToEmsa(spectrum);
 * const back = parseEmsa(text); // same counts and calibration
 * ```
 */
export function spectrumToEmsa(spectrum: Spectrum, options: SpectrumToEmsaOptions = {}): string {
  validateSpectrum(spectrum);
  const md = spectrum.metadata ?? {};
  const cal = spectrum.calibration;
  const out = [
    field('FORMAT', 'EMSA/MAS Spectral Data File'),
    field('VERSION', '1.0'),
    field('TITLE', oneLine(options.title ?? md.TITLE)),
    field('DATE', oneLine(md.DATE)),
    field('TIME', oneLine(md.TIME)),
    field('OWNER', oneLine(md.OWNER)),
    field('NPOINTS', String(cal.nChannels)),
    field('NCOLUMNS', '1'),
    field('XUNITS', 'keV'),
    field('YUNITS', 'counts'),
    field('DATATYPE', 'Y'),
    field('XPERCHAN', formatNumber(cal.gainKeVPerChannel)),
    field('OFFSET', formatNumber(cal.offsetKeV)),
    `#LIVETIME  -s: ${formatNumber(spectrum.liveTimeS)}`,
  ];
  if (spectrum.realTimeS !== undefined)
    out.push(`#REALTIME  -s: ${formatNumber(spectrum.realTimeS)}`);
  const p = spectrum.stagePositionUm;
  for (const axis of ['x', 'y', 'z'] as const) {
    const v = p?.[`${axis}Um`];
    if (v !== undefined && Number.isFinite(v)) {
      out.push(`#${axis.toUpperCase()}POSITION mm: ${formatNumber(v / UM_PER_MM)}`);
    }
  }
  out.push(field('SPECTRUM', 'Spectral Data Starts Here'));
  for (let i = 0; i < cal.nChannels; i++) out.push(formatNumber(spectrum.counts[i]));
  out.push(field('ENDOFDATA', 'End Of Data and File'), '');
  return out.join('\n');
}
