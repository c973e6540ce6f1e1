/**
 * Writing a {@link DepthProfile} in the cmxrf CSV format, readable by
 * {@link parseDepthProfileCsv}.
 *
 * @module
 */
import type { DepthProfile } from '../profile';
import type { CsvDelimiter } from './depth-profile-csv';
import { formatNumber } from './numbers';
import { validateDepthProfile } from './validate-spectrum';

/** Options of {@link depthProfileToCsv}. */
export interface DepthProfileToCsvOptions {
  /**
   * Field delimiter. With `;` numbers are written with a decimal comma.
   * @default ','
   */
  delimiter?: CsvDelimiter;
}

/**
 * Writes a depth profile as cmxrf CSV (LF line ends, shortest round-trip number formatting, so
 * that parsing the output gives back identical doubles).
 *
 * @throws {InvalidArgumentError} if the profile is not self-consistent (shape, non-finite or
 *   negative counts, non-increasing depths, live time ≤ 0).
 * @example
 * ```ts
 * const text = depthProfileToCsv(profile);
 * const back = parseDepthProfileCsv(text); // equal to profile
 * ```
 */
export function depthProfileToCsv(
  profile: DepthProfile,
  options: DepthProfileToCsvOptions = {},
): string {
  validateDepthProfile(profile);
  const d = options.delimiter ?? ',';
  const comma = d === ';';
  const f = (v: number): string => formatNumber(v, comma);
  const lines = ['# cmxrf depth profile (docs/formats.md)'];
  lines.push(`# offsetKeV=${f(profile.calibration.offsetKeV)}`);
  lines.push(`# gainKeVPerChannel=${f(profile.calibration.gainKeVPerChannel)}`);
  if (profile.source !== undefined)
    lines.push(`# source=${profile.source.replace(/[\r\n]+/g, ' ')}`);
  const ex = profile.excitation;
  if (ex?.kind !== 'electron-beam') {
    if (ex?.anode !== undefined) lines.push(`# tubeAnode=${ex.anode}`);
    if (ex?.voltageKV !== undefined) lines.push(`# tubeVoltageKV=${f(ex.voltageKV)}`);
  }
  const header = ['depthUm', 'liveTimeS'];
  for (let c = 0; c < profile.nChannels; c++) header.push(`ch${c}`);
  lines.push(header.join(d));
  for (let s = 0; s < profile.nSteps; s++) {
    const row = [f(profile.depthsUm[s]), f(profile.liveTimesS[s])];
    const base = s * profile.nChannels;
    for (let c = 0; c < profile.nChannels; c++) row.push(f(profile.counts[base + c]));
    lines.push(row.join(d));
  }
  lines.push('');
  return lines.join('\n');
}
