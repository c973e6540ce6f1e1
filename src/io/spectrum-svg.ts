/**
 * SVG plot of a spectrum: log10 counts vs energy, with the strongest lines labelled.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/** A label to place on the plot. */
export interface PlotLabel {
  energyKeV: number;
  text: string;
}

/** Options of {@link spectrumToSvg}. */
export interface SpectrumSvgOptions {
  /** @default 900 */
  widthPx?: number;
  /** @default 420 */
  heightPx?: number;
  /** Energy range (keV). @default [0.5, last channel] */
  energyRangeKeV?: [number, number];
  title?: string;
  labels?: PlotLabel[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Renders `counts` (per channel, at `energyKeV`) as a standalone SVG document (log y axis;
 * channels with < 0.1 counts are drawn at the floor).
 * @throws {@link InvalidArgumentError} if the arrays differ in length or are empty.
 * @example
 * ```ts
 * const svg = spectrumToSvg(s.energyKeV, s.counts, {
 *   labels: [{ energyKeV: 10.55, text: 'Pb Lα' }],
 *   title: 'glass',
 * });
 * ```
 */
export function spectrumToSvg(
  energyKeV: ArrayLike<number>,
  counts: ArrayLike<number>,
  options: SpectrumSvgOptions = {},
): string {
  if (energyKeV.length !== counts.length || counts.length === 0) {
    throw new InvalidArgumentError(
      `energyKeV (${energyKeV.length}) and counts (${counts.length}) must be non-empty and of equal length.`,
    );
  }
  const w = options.widthPx ?? 900;
  const h = options.heightPx ?? 420;
  const [e0, e1] = options.energyRangeKeV ?? [0.5, energyKeV[energyKeV.length - 1]];
  const m = { l: 60, r: 15, t: options.title ? 30 : 12, b: 40 };
  let maxC = 1;
  for (let i = 0; i < counts.length; i++) {
    if (energyKeV[i] >= e0 && energyKeV[i] <= e1 && counts[i] > maxC) maxC = counts[i];
  }
  const yMax = Math.ceil(Math.log10(maxC) + 0.3);
  const yMin = -1;
  const x = (e: number) => m.l + ((e - e0) / (e1 - e0)) * (w - m.l - m.r);
  const y = (c: number) => {
    const v = Math.log10(Math.max(c, 10 ** yMin));
    return m.t + (1 - (v - yMin) / (yMax - yMin)) * (h - m.t - m.b);
  };
  const pts: string[] = [];
  for (let i = 0; i < counts.length; i++) {
    const e = energyKeV[i];
    if (e < e0 || e > e1) continue;
    pts.push(`${x(e).toFixed(1)},${y(counts[i]).toFixed(1)}`);
  }
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
  ];
  if (options.title)
    parts.push(
      `<text x="${w / 2}" y="18" text-anchor="middle" font-size="13">${esc(options.title)}</text>`,
    );
  for (let d = yMin; d <= yMax; d++) {
    parts.push(
      `<line x1="${m.l}" x2="${w - m.r}" y1="${y(10 ** d)}" y2="${y(10 ** d)}" stroke="#ddd"/>`,
    );
    parts.push(`<text x="${m.l - 6}" y="${y(10 ** d) + 4}" text-anchor="end">1e${d}</text>`);
  }
  const step = e1 - e0 > 20 ? 5 : e1 - e0 > 8 ? 2 : 1;
  for (let e = Math.ceil(e0 / step) * step; e <= e1; e += step) {
    parts.push(
      `<line x1="${x(e)}" x2="${x(e)}" y1="${h - m.b}" y2="${h - m.b + 4}" stroke="black"/>`,
    );
    parts.push(`<text x="${x(e)}" y="${h - m.b + 16}" text-anchor="middle">${e}</text>`);
  }
  parts.push(
    `<text x="${(m.l + w - m.r) / 2}" y="${h - 6}" text-anchor="middle">energy (keV)</text>`,
  );
  parts.push(
    `<text x="14" y="${(m.t + h - m.b) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(m.t + h - m.b) / 2})">counts per channel</text>`,
  );
  parts.push(
    `<rect x="${m.l}" y="${m.t}" width="${w - m.l - m.r}" height="${h - m.t - m.b}" fill="none" stroke="black"/>`,
  );
  parts.push(`<polyline fill="none" stroke="#1f4e9c" stroke-width="1" points="${pts.join(' ')}"/>`);
  for (const l of options.labels ?? []) {
    if (l.energyKeV < e0 || l.energyKeV > e1) continue;
    const idx = Math.round(
      ((l.energyKeV - energyKeV[0]) / (energyKeV[energyKeV.length - 1] - energyKeV[0])) *
        (counts.length - 1),
    );
    const yy = y(counts[Math.min(Math.max(idx, 0), counts.length - 1)]) - 6;
    parts.push(
      `<text x="${x(l.energyKeV)}" y="${Math.max(yy, m.t + 10)}" text-anchor="middle" fill="#b22">${esc(l.text)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
