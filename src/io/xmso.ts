/**
 * XMI-MSIM output files (`.xmso`, root `<xmimsim-results>`): the detector-convoluted spectrum
 * (`spectrum_conv`) or the unconvoluted one (`spectrum_unconv`) for one interaction order
 * (default: the highest), the energy calibration, and the layers of the simulated sample.
 *
 * @see https://doi.org/10.1016/j.sab.2012.03.011 (Schoonjans et al. 2012, XMI-MSIM)
 * @module
 */
import { ParseError } from '../errors';
import { parseDecimal } from './numbers';
import { DEFAULT_FILE_NAME, decodeText, quote, sniffHead } from './text';
import type { ParseOptions, Spectrum, TextInput } from './types';
import { type XmlElement, child, childrenNamed, optionalNumber, parseXml } from './xml';

/** Micrometres per centimetre (XMI-MSIM layer thicknesses are in cm). */
export const UM_PER_CM = 1e4;

/** One element of a simulated layer. */
export interface XmsoLayerElement {
  /** Atomic number Z. */
  z: number;
  /**
   * Mass fraction (0..1): the file's weight percent divided by the layer's sum, as XMI-MSIM
   * itself normalises every layer before simulating (unless `normalizeLayers: false`).
   */
  massFraction: number;
}

/** One layer of the simulated sample, in beam order. */
export interface XmsoLayer {
  elements: XmsoLayerElement[];
  /** Sum of the layer's `weight_fraction` values as written in the file (percent). */
  weightPercentSum: number;
  /** Density (g/cm³). */
  densityGPerCm3: number;
  /** Thickness (µm). */
  thicknessUm: number;
}

/** The spectrum of an XMI-MSIM simulation plus its sample description. */
export interface XmsoSpectrum extends Spectrum {
  /** Which spectrum was read. */
  kind: 'convoluted' | 'unconvoluted';
  /** Interaction order read (number of interactions a photon underwent, cumulative). */
  interactionNumber: number;
  /** Layers of the sample (`xmimsim-input/composition`), when present. */
  layers?: XmsoLayer[];
  /** 0-based index of the reference layer, when present. */
  referenceLayerIndex?: number;
}

/** Options of {@link parseXmso}. */
export interface ParseXmsoOptions extends ParseOptions {
  /**
   * `'convoluted'` reads `spectrum_conv` (detector response applied: resolution, and escape
   * peaks when the simulation enabled them); `'unconvoluted'` reads `spectrum_unconv`.
   * @default 'convoluted'
   */
  spectrum?: 'convoluted' | 'unconvoluted';
  /** Interaction order to read. @default the highest present */
  interactionNumber?: number;
  /** Live time (s) when `detector/live_time` is absent (old files). Without it: ParseError. */
  liveTimeS?: number;
  /**
   * Normalise each layer's weight fractions to a sum of 1, as XMI-MSIM does when it reads the
   * input (`xmi_read_input_layer`); `false` keeps `weight_fraction / 100` as written.
   * @default true
   */
  normalizeLayers?: boolean;
  /**
   * What the `<energy>` of a channel is. XMI-MSIM bins a photon of energy E into channel
   * `INT((E − zero) / gain)`, so `<energy>` = `zero + gain · channel` is the **lower edge** of
   * the channel; cmxrf calibrations give channel centres, so the offset is shifted by half a
   * channel. `'centre'` takes the energies as channel centres.
   * @default 'lowerEdge'
   */
  channelEnergy?: 'lowerEdge' | 'centre';
}

function fail(
  fileName: string,
  el: XmlElement,
  field: string,
  expected: string,
  got: string,
): never {
  throw new ParseError({ file: fileName, line: el.line, field }, expected, got);
}

function readLayers(
  input: XmlElement | undefined,
  fileName: string,
  normalize: boolean,
  notes: string[],
): { layers?: XmsoLayer[]; ref?: number } {
  const composition = input && child(input, 'composition');
  if (!composition) return {};
  const layers = childrenNamed(composition, 'layer').map((layer, index): XmsoLayer => {
    const elements = childrenNamed(layer, 'element').map((el): XmsoLayerElement => {
      const zEl = child(el, 'atomic_number');
      const z = zEl ? parseDecimal(zEl.text) : undefined;
      if (!zEl || z === undefined || !Number.isInteger(z) || z < 1 || z > 118) {
        fail(
          fileName,
          zEl ?? el,
          'atomic_number',
          'an atomic number 1–118',
          quote(zEl?.text.trim() ?? 'none'),
        );
      }
      const wEl = child(el, 'weight_fraction');
      const w = wEl ? parseDecimal(wEl.text) : undefined;
      if (!wEl || w === undefined || w < 0 || w > 100) {
        fail(
          fileName,
          wEl ?? el,
          'weight_fraction',
          'a weight fraction 0–100 (%)',
          quote(wEl?.text.trim() ?? 'none'),
        );
      }
      return { z, massFraction: w / 100 };
    });
    const weightPercentSum = elements.reduce((a, e) => a + e.massFraction * 100, 0);
    if (!(weightPercentSum > 0))
      fail(fileName, layer, 'weight_fraction', 'weight fractions with a sum > 0', '0');
    const density = optionalNumber(layer, 'density', fileName, false);
    const thickness = optionalNumber(layer, 'thickness', fileName, false);
    if (density === undefined || !(density > 0))
      fail(fileName, layer, 'density', 'a density > 0 g/cm³', String(density ?? 'none'));
    if (thickness === undefined || !(thickness > 0))
      fail(fileName, layer, 'thickness', 'a thickness > 0 cm', String(thickness ?? 'none'));
    if (Math.abs(weightPercentSum - 100) > 1e-3) {
      notes.push(
        `layer ${index + 1} (line ${layer.line}): weight fractions sum to ${Number(weightPercentSum.toPrecision(6))} %` +
          (normalize
            ? '; normalised to 1 as XMI-MSIM does'
            : '; kept as written (normalizeLayers: false)'),
      );
    }
    if (normalize)
      for (const e of elements) e.massFraction = (e.massFraction * 100) / weightPercentSum;
    return {
      elements,
      weightPercentSum,
      densityGPerCm3: density,
      thicknessUm: thickness * UM_PER_CM,
    };
  });
  const refEl = child(composition, 'reference_layer');
  let ref: number | undefined;
  if (refEl) {
    const r = parseDecimal(refEl.text);
    if (r === undefined || !Number.isInteger(r) || r < 1 || r > layers.length) {
      fail(
        fileName,
        refEl,
        'reference_layer',
        `a layer number 1–${layers.length}`,
        quote(refEl.text.trim()),
      );
    }
    ref = r - 1;
  }
  return { layers, ref };
}

/**
 * Reads an XMI-MSIM `.xmso` output file as a {@link Spectrum} (e.g. a bulk Φ0 spectrum).
 * Calibration: gain from `detector/gain` (else from the channel energies); the channel
 * energies are lower bin edges (see {@link ParseXmsoOptions.channelEnergy}), so the offset is
 * the first channel's energy plus half a channel; each channel energy is checked against the
 * calibration. Live time from `detector/live_time` (s). Layer weight fractions are normalised
 * per layer as XMI-MSIM does (`normalizeLayers`). Decisions are written to `notes`.
 *
 * @throws {ParseError} for malformed XML, a missing spectrum, a channel without the requested
 *   interaction order, non-finite or negative counts, inconsistent channel numbers/energies.
 * @example
 * ```ts
 * const phi0 = parseXmso(text, { fileName: 'bulk.xmso' });
 * // phi0.interactionNumber === highest order, phi0.layers?.[0].densityGPerCm3
 * ```
 */
export function parseXmso(input: TextInput, options: ParseXmsoOptions = {}): XmsoSpectrum {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const root = parseXml(decodeText(input, fileName), fileName);
  if (root.name !== 'xmimsim-results')
    fail(fileName, root, 'xmimsim-results', 'root element <xmimsim-results>', `<${root.name}>`);
  const kind = options.spectrum ?? 'convoluted';
  const tag = kind === 'convoluted' ? 'spectrum_conv' : 'spectrum_unconv';
  const spec = child(root, tag);
  if (!spec) fail(fileName, root, tag, `a <${tag}> element`, 'none');
  const channels = childrenNamed(spec, 'channel');
  if (channels.length === 0) fail(fileName, spec, 'channel', 'at least one <channel>', 'none');

  const orders = childrenNamed(channels[0], 'counts').map((c) =>
    parseDecimal(c.attrs.interaction_number ?? ''),
  );
  const order =
    options.interactionNumber ?? Math.max(...orders.filter((o): o is number => o !== undefined));
  if (!Number.isInteger(order))
    fail(
      fileName,
      channels[0],
      'interaction_number',
      'counts with an integer interaction_number',
      'none',
    );

  const n = channels.length;
  const counts = new Float64Array(n);
  const energies = new Float64Array(n);
  let firstNr = 0;
  channels.forEach((ch, i) => {
    const nrEl = child(ch, 'channelnr');
    const nr = nrEl ? parseDecimal(nrEl.text) : undefined;
    if (i === 0 && nr !== undefined && Number.isInteger(nr)) firstNr = nr;
    if (nr !== firstNr + i)
      fail(
        fileName,
        nrEl ?? ch,
        'channelnr',
        `channel number ${firstNr + i}`,
        quote(nrEl?.text.trim() ?? 'none'),
      );
    const eEl = child(ch, 'energy');
    const e = eEl ? parseDecimal(eEl.text) : undefined;
    if (e === undefined)
      fail(
        fileName,
        eEl ?? ch,
        'energy',
        'a finite energy (keV)',
        quote(eEl?.text.trim() ?? 'none'),
      );
    energies[i] = e;
    const cEl = childrenNamed(ch, 'counts').find(
      (c) => parseDecimal(c.attrs.interaction_number ?? '') === order,
    );
    if (!cEl) fail(fileName, ch, 'counts', `<counts interaction_number="${order}">`, 'none');
    const v = parseDecimal(cEl.text);
    if (v === undefined || v < 0) {
      throw new ParseError(
        { file: fileName, line: cEl.line, channel: i, field: 'counts' },
        'finite counts ≥ 0',
        quote(cEl.text.trim()),
      );
    }
    counts[i] = v;
  });

  const input0 = child(root, 'xmimsim-input');
  const detector = input0 && child(input0, 'detector');
  let gain = detector ? optionalNumber(detector, 'gain', fileName, false) : undefined;
  const zero = detector ? optionalNumber(detector, 'zero', fileName, false) : undefined;
  if (gain === undefined) {
    if (n < 2) fail(fileName, spec, 'gain', 'detector/gain or at least two channels', 'neither');
    gain = (energies[n - 1] - energies[0]) / (n - 1);
  }
  if (!(gain > 0)) fail(fileName, detector ?? spec, 'gain', 'a gain > 0 keV/channel', String(gain));
  const firstEnergy = zero !== undefined && detector ? zero + gain * firstNr : energies[0];
  const tol = (e: number): number => 1e-3 * gain + 1e-5 * Math.abs(e);
  for (let i = 0; i < n; i++) {
    const expected = firstEnergy + gain * i;
    if (Math.abs(energies[i] - expected) > tol(expected)) {
      fail(
        fileName,
        channels[i],
        'energy',
        `${expected} keV (linear calibration)`,
        String(energies[i]),
      );
    }
  }
  const nch = detector ? optionalNumber(detector, 'nchannels', fileName, false) : undefined;
  if (nch !== undefined && nch !== n)
    fail(fileName, detector!, 'nchannels', `${n} channels as in <${tag}>`, String(nch));

  const lt = detector ? optionalNumber(detector, 'live_time', fileName, false) : undefined;
  const liveTimeS = lt ?? options.liveTimeS;
  if (liveTimeS === undefined || !(liveTimeS > 0) || !Number.isFinite(liveTimeS)) {
    fail(
      fileName,
      detector ?? root,
      'live_time',
      'detector/live_time > 0 s (or the liveTimeS option)',
      String(liveTimeS ?? 'none'),
    );
  }
  const notes: string[] = [];
  const channelEnergy = options.channelEnergy ?? 'lowerEdge';
  const offsetKeV = channelEnergy === 'lowerEdge' ? firstEnergy + gain / 2 : firstEnergy;
  notes.push(
    channelEnergy === 'lowerEdge'
      ? 'channel <energy> values are lower bin edges (XMI-MSIM bins E into INT((E − zero)/gain)): offsetKeV is shifted by half a channel to the channel centre'
      : 'channel <energy> values taken as channel centres (channelEnergy option)',
  );
  const { layers, ref } = readLayers(input0, fileName, options.normalizeLayers ?? true, notes);
  const metadata: Record<string, string> = { spectrum: tag, interactionNumber: String(order) };
  if (root.attrs.version !== undefined) metadata.version = root.attrs.version;
  const inputfile = child(root, 'inputfile');
  if (inputfile) metadata.inputfile = inputfile.text.trim();
  const detType = detector && child(detector, 'detector_type');
  if (detType) metadata.detectorType = detType.text.trim();
  const out: XmsoSpectrum = {
    counts,
    calibration: { offsetKeV, gainKeVPerChannel: gain, nChannels: n },
    liveTimeS,
    metadata,
    source: fileName,
    kind,
    interactionNumber: order,
    notes,
  };
  if (layers) out.layers = layers;
  if (ref !== undefined) out.referenceLayerIndex = ref;
  return out;
}

/** True if the head of the text is an XMI-MSIM results document. Never throws. */
export function looksLikeXmso(input: TextInput): boolean {
  const head = sniffHead(input, 4096).trimStart();
  return head.startsWith('<') && head.includes('<xmimsim-results');
}
