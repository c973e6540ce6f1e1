/**
 * Default composition prior of the cmxrf training-data generator (docs/physics.md §9).
 *
 * Provenance. Numbers below are either (a) transcribed from the sources in
 * {@link COMPOSITION_PRIOR_SOURCES}, rounded to two or three significant figures, with the source
 * key next to them; (b) alloy specification limits (ranges, not certificate values); (c)
 * stoichiometry of a named compound; or (d) modelling choices, marked `choice`. No number is
 * a certificate value unless its comment names the certificate.
 *
 * Derivation of trace priors from a reference abundance `r` (mass fraction), rule
 * {@link traceFromReference} (a modelling choice): occurrence 0.9 if r ≥ 1e-4, 0.6 if r ≥ 1e-5,
 * 0.3 if r ≥ 1e-6, else 0.12 (0.1 if the element is not listed); median = max(r, 2e-5) because
 * natural sub-ppm levels are far below CMXRF detection limits and would teach the network
 * nothing; log-sigma 1.2 (a factor 3.3 per σ); upper truncation 0.05 unless stated.
 *
 * @module
 */
import { PREDICTED_ELEMENTS, type PredictedElement } from '../../predictedElements.js';
import type {
  ArchetypePrior,
  CompositionPrior,
  TraceElementPrior,
  TraceTable,
} from '../compositionPriorTypes.js';

/** Bibliography of the default prior (key → citation with DOI or URL). */
export const COMPOSITION_PRIOR_SOURCES = {
  RG2003:
    'R. L. Rudnick, S. Gao, "Composition of the continental crust", in Treatise on Geochemistry ' +
    'vol. 3 (Elsevier, 2003) 1–64, doi:10.1016/B0-08-043751-6/03016-4 (upper continental crust, ' +
    'Table 1/3; transcribed via pyrolite, https://github.com/morganjwilliams/pyrolite, ' +
    'pyrolite/data/refcomp/UCC_RudnickGao2003.csv). Oxides converted to elements.',
  TW1961:
    'K. K. Turekian, K. H. Wedepohl, "Distribution of the elements in some major units of the ' +
    'Earth\'s crust", Geol. Soc. Am. Bull. 72 (1961) 175–192, ' +
    'doi:10.1130/0016-7606(1961)72[175:DOTEIS]2.0.CO;2 (carbonate column; abundance-table estimate; ' +
    'not re-checked against the paper in the latest revision).',
  MARKERT1992:
    "B. Markert, \"Establishing of 'Reference Plant' for inorganic characterization of different " +
    'plant species by chemical fingerprinting", Water Air Soil Pollut. 64 (1992) 533–538, ' +
    'doi:10.1007/BF00483363 (abundance-table estimate, dry mass; not re-checked against the paper ' +
    'in the latest revision, used only for the plant/organic table).',
  SRM1577B:
    'NIST, Certificate of Analysis, SRM 1577b Bovine Liver (1991), ' +
    'https://tsapps.nist.gov/srmext/certificates/archives/1577b.pdf (rounded; used as medians).',
  XPROC_CNC:
    'Certificate values of NIST SRM 1577b (certified and non-certified), SRM 2711 and the ' +
    'GeoReM values of the USGS BCR-2G/BHVO-2G glasses as transcribed in P. Tack, XProc ' +
    '(https://github.com/PieterTack/XProc, cnc_files/nist1577b.cnc, nist2711.cnc, bcr-2g.cnc, ' +
    'bhvo-2g.cnc, commit 0d2e302b34e55d422acdab6d8b15295307f1e99a); used to check the values of ' +
    'the SRM1577B, SRM2711 and USGS_BASALT entries.',
  SRM1573A:
    'NIST, Certificate of Analysis, SRM 1573a Tomato Leaves (1995), ' +
    'https://tsapps.nist.gov/srmext/certificates/1573a.pdf (Ca ≈ 5.05 %, K ≈ 2.70 %: upper ends of the plant K/Ca ranges; not re-checked against the certificate in the latest revision).',
  SRM2711:
    'NIST, Certificate of Analysis, SRM 2711 Montana Soil, Moderately Elevated Trace Element ' +
    'Concentrations (1993), https://tsapps.nist.gov/srmext/certificates/archives/2711.pdf ' +
    '(rounded; sets the contaminated-soil medians); renewal described in E. A. Mackey et al., ' +
    'NIST SP 260-172 (2010), doi:10.6028/NIST.SP.260-172.',
  SRM610:
    'N. J. G. Pearce et al., "A compilation of new and published major and trace element data ' +
    'for NIST SRM 610 and NIST SRM 612 glass reference materials", Geostandards Newsletter 21 ' +
    '(1997) 115–144, doi:10.1111/j.1751-908X.1997.tb00538.x (nominal matrix 72 % SiO2, 14 % Na2O, ' +
    '12 % CaO, 2 % Al2O3; ~61 trace elements doped at nominal ~500 µg/g (610) and ~50 µg/g (612)).',
  USGS_BASALT:
    'S. A. Wilson, Certificates of Analysis, USGS BCR-2 (Columbia River basalt) and BHVO-2 ' +
    '(Hawaiian basalt), U.S. Geological Survey (1997), ' +
    'https://www.usgs.gov/programs/mineral-resources-program/science/reference-materials ' +
    '(majors: Fe2O3T ≈ 12–14 %, CaO ≈ 7–11 %, TiO2 ≈ 2.3–2.8 %, K2O ≈ 0.5–1.8 %: upper ends of rock ranges; ' +
    'checked against the BCR-2G/BHVO-2G values in XPROC_CNC: Fe2O3T 13.9/12.6 %, CaO 7.1/11.4 %, ' +
    'TiO2 2.35/2.79 %, K2O 1.74/0.51 %).',
  ICRU44:
    'ICRU Report 44, "Tissue substitutes in radiation dosimetry and measurement" (1989), ' +
    'doi:10.1093/jicru/os23.1.Report44 (soft-tissue H, C, N, O, Na, P, S, Cl, K composition); ' +
    'freeze-dried tissue (as SRM 1577b) widens the C and N ranges — choice.',
  STOICHIOMETRY:
    'Stoichiometric mass fractions of cellulose C6H10O5, calcite CaCO3, dolomite CaMg(CO3)2 and ' +
    'kaolinite Al2Si2O5(OH)4 with IUPAC standard atomic weights: T. Prohaska et al., Pure Appl. ' +
    'Chem. 94 (2022) 573–600, doi:10.1515/pac-2019-0603.',
  SAE_J403_J404:
    'SAE J403 "Chemical compositions of SAE carbon steels" and SAE J404 "Chemical compositions ' +
    'of SAE alloy steels" (grades 1018, 1045, 4140, 4340; specification ranges).',
  ASTM_A240:
    'ASTM A240/A240M, "Chromium and chromium-nickel stainless steel plate, sheet, and strip" ' +
    '(UNS S30400 and S31600 limits), doi:10.1520/A0240_A0240M.',
  CDA_COPPER:
    'Copper Development Association, UNS standard designations for wrought and cast copper ' +
    'alloys, https://alloys.copper.org (C23000, C26000, C28000, C36000, C46400; C51000, C90700, ' +
    'C93200; specification ranges). High-tin archaeological bronze up to 20 % Sn — choice.',
  ISO9453:
    'ISO 9453:2020, "Soft solder alloys — Chemical compositions and forms" (Sn60Pb40, Sn63Pb37, ' +
    'Sn96.5Ag3Cu0.5; specification ranges).',
  NICKEL_UNS:
    'Special Metals Corp. datasheets, INCONEL alloy 600 (UNS N06600), INCONEL alloy 625 ' +
    '(UNS N06625), MONEL alloy 400 (UNS N04400), https://www.specialmetals.com (limiting ' +
    'chemical compositions).',
  AA_TEAL:
    'The Aluminum Association, "International alloy designations and chemical composition limits ' +
    'for wrought aluminum and wrought aluminum alloys" (Teal Sheets, 2015): 2024, 6061, 7075.',
  choice:
    'Modelling choice of the cmxrf authors (no external source); stated in the comment next to the value.',
  DENSITY:
    'Densities: W. M. Haynes (ed.), CRC Handbook of Chemistry and Physics, 97th ed. (2016), ' +
    'doi:10.1201/9781315380476, and the alloy datasheets above; porous/pressed-pellet lower ends — choice.',
} as const;

/** Lower truncation of trace mass fractions (10 µg/g). */
export const MIN_TRACE_MASS_FRACTION = 1e-5;

/**
 * Trace prior from a reference abundance (see the module comment for the rule).
 * @internal
 */
export function traceFromReference(
  referenceMassFraction: number | null,
  overrides: Partial<TraceElementPrior> = {},
): TraceElementPrior {
  const r = referenceMassFraction;
  const occurrence = r === null ? 0.1 : r >= 1e-4 ? 0.9 : r >= 1e-5 ? 0.6 : r >= 1e-6 ? 0.3 : 0.12;
  return {
    occurrence,
    medianMassFraction: Math.max(r ?? 0, 2e-5),
    logSigma: 1.2,
    maxMassFraction: 0.05,
    referenceMassFraction: r,
    ...overrides,
  };
}

type Overrides = Partial<Record<PredictedElement, Partial<TraceElementPrior>>>;

function table(
  sources: readonly string[],
  reference: Partial<Record<PredictedElement, number | null>>,
  overrides: Overrides = {},
): TraceTable {
  const elements: Partial<Record<PredictedElement, TraceElementPrior>> = {};
  for (const el of PREDICTED_ELEMENTS) {
    elements[el] = traceFromReference(reference[el] ?? null, overrides[el]);
  }
  return { sources, elements };
}

const PPM = 1e-6;

/**
 * Upper continental crust, mass fractions (RG2003). Oxide → element: K2O 2.80 %, CaO 3.59 %,
 * TiO2 0.64 %, MnO 0.10 %, FeO(T) 5.04 %. Te has no value in RG2003.
 */
const UCC: Record<PredictedElement, number | null> = {
  K: 0.0232, Ca: 0.0257, Sc: 14 * PPM, Ti: 0.00384, V: 97 * PPM, Cr: 92 * PPM, Mn: 774 * PPM,
  Fe: 0.0392, Co: 17.3 * PPM, Ni: 47 * PPM, Cu: 28 * PPM, Zn: 67 * PPM, Ga: 17.5 * PPM,
  Ge: 1.4 * PPM, As: 4.8 * PPM, Se: 0.09 * PPM, Br: 1.6 * PPM, Rb: 84 * PPM, Sr: 320 * PPM,
  Y: 21 * PPM, Zr: 193 * PPM, Nb: 12 * PPM, Cd: 0.09 * PPM, In: 0.056 * PPM, Sn: 2.1 * PPM,
  Sb: 0.4 * PPM, Te: null, I: 1.4 * PPM, Cs: 4.9 * PPM, Ba: 628 * PPM, La: 31 * PPM,
  Ce: 63 * PPM, Pr: 7.1 * PPM, Nd: 27 * PPM, Sm: 4.7 * PPM, Eu: 1.0 * PPM, Gd: 4.0 * PPM,
  Tb: 0.7 * PPM, Dy: 3.9 * PPM, Ho: 0.83 * PPM, Er: 2.3 * PPM, Tm: 0.3 * PPM, Yb: 1.96 * PPM,
  Lu: 0.31 * PPM, Hf: 5.3 * PPM, Ta: 0.9 * PPM, W: 1.9 * PPM, Pt: 0.0005 * PPM,
  Au: 0.0015 * PPM, Hg: 0.05 * PPM, Tl: 0.9 * PPM, Pb: 17 * PPM, Bi: 0.16 * PPM,
}; // prettier-ignore

/** Reference plant, dry mass (MARKERT1992); elements not listed there are `null`. */
const PLANT: Partial<Record<PredictedElement, number>> = {
  K: 0.019, Ca: 0.01, Fe: 150 * PPM, Mn: 200 * PPM, Zn: 50 * PPM, Cu: 10 * PPM, Br: 4 * PPM,
  Rb: 50 * PPM, Sr: 50 * PPM, Ba: 40 * PPM, Ni: 1.5 * PPM, Cr: 1.5 * PPM, Co: 0.2 * PPM,
  Pb: 1 * PPM, Cd: 0.05 * PPM, As: 0.1 * PPM, Se: 0.02 * PPM, Hg: 0.1 * PPM, I: 3 * PPM,
  Ti: 5 * PPM, V: 0.5 * PPM,
}; // prettier-ignore

/**
 * Animal tissue: NIST SRM 1577b (bovine liver, dry mass), every predicted element the
 * certificate gives a value for, and nothing else (elements it does not list are `null`, not
 * borrowed from the plant table). Certified: K 9940, Ca 116, Mn 10.5, Fe 184, Cu 160, Zn 127,
 * Se 0.73, Rb 13.7, Sr 0.136, Cd 0.50, Pb 0.129 µg/g. Non-certified (information values of the
 * certificate): V 0.123, Co 0.25, As 0.05, Br 9.7, Sb 0.003, Hg 0.003 µg/g. Read from the
 * certificate's table as transcribed in XPROC_CNC; the certificate PDF itself was not
 * re-read for this revision.
 */
const TISSUE: Partial<Record<PredictedElement, number>> = {
  K: 9940 * PPM, Ca: 116 * PPM, V: 0.123 * PPM, Mn: 10.5 * PPM, Fe: 184 * PPM, Co: 0.25 * PPM,
  Cu: 160 * PPM, Zn: 127 * PPM, As: 0.05 * PPM, Se: 0.73 * PPM, Br: 9.7 * PPM, Rb: 13.7 * PPM,
  Sr: 0.136 * PPM, Cd: 0.5 * PPM, Sb: 0.003 * PPM, Hg: 0.003 * PPM, Pb: 0.129 * PPM,
}; // prettier-ignore

/**
 * Contaminated soil (SRM2711, rounded): medians of the pollutant traces of the soil table.
 * Checked against the certificate table in XPROC_CNC (nist2711.cnc: Pb 1162, Zn 350.4,
 * Cu 114, Cd 41.7, As 105, Sb 19.4, Hg 6.25, Ba 726, Sr 245.3 µg/g).
 */
const SRM2711_TRACES: Overrides = {
  Pb: { occurrence: 0.7, medianMassFraction: 1160 * PPM, logSigma: 1.8, referenceMassFraction: 1160 * PPM },
  Zn: { occurrence: 0.9, medianMassFraction: 350 * PPM, logSigma: 1.5, referenceMassFraction: 350 * PPM },
  Cu: { occurrence: 0.8, medianMassFraction: 114 * PPM, logSigma: 1.5, referenceMassFraction: 114 * PPM },
  Cd: { occurrence: 0.3, medianMassFraction: 42 * PPM, logSigma: 1.5, referenceMassFraction: 42 * PPM },
  As: { occurrence: 0.5, medianMassFraction: 105 * PPM, logSigma: 1.5, referenceMassFraction: 105 * PPM },
  Sb: { occurrence: 0.3, medianMassFraction: 19 * PPM, logSigma: 1.5, referenceMassFraction: 19 * PPM },
  // Hg 6.25 µg/g in SRM 2711 lies below the 2e-5 median floor.
  Hg: { occurrence: 0.2, medianMassFraction: 2e-5, logSigma: 1.5, referenceMassFraction: 6.25 * PPM },
  Ba: { occurrence: 0.9, medianMassFraction: 726 * PPM, referenceMassFraction: 726 * PPM },
  Sr: { occurrence: 0.9, medianMassFraction: 245 * PPM, referenceMassFraction: 245 * PPM },
}; // prettier-ignore

/**
 * Glass traces: SRM 610/612-like doping (choice: occurrence 0.25, median 5e-5, log-sigma 1.5, so
 * the 612 (~50 µg/g) and 610 (~500 µg/g) levels are both typical) plus colourants, decolourisers
 * and opacifiers of historical glass (choice; levels are order-of-magnitude estimates).
 */
const GLASS_BASE: Partial<TraceElementPrior> = {
  occurrence: 0.25,
  medianMassFraction: 5e-5,
  logSigma: 1.5,
};
const GLASS_OVERRIDES: Overrides = {
  Fe: { occurrence: 0.9, medianMassFraction: 3e-3, logSigma: 1.0 },
  Mn: { occurrence: 0.6, medianMassFraction: 2e-3, logSigma: 1.2 },
  Ti: { occurrence: 0.8, medianMassFraction: 5e-4, logSigma: 1.0 },
  // Sr, Zr, Ba, Zn widened to percent levels (choice): SrO/BaO in CRT and crystal glass, ZrO2 as
  // opacifier, ZnO in borosilicate/opal glass — the first default model underestimated a glass
  // with 0.7–1.6 wt% of each because the prior put them at ~100 µg/g.
  Sr: { occurrence: 0.8, medianMassFraction: 5e-4, logSigma: 1.6, maxMassFraction: 0.08 },
  Zr: { occurrence: 0.6, medianMassFraction: 2e-4, logSigma: 1.8, maxMassFraction: 0.05 },
  Ba: { occurrence: 0.5, medianMassFraction: 1e-3, logSigma: 1.8, maxMassFraction: 0.1 },
  Zn: { occurrence: 0.4, medianMassFraction: 1e-3, logSigma: 1.8, maxMassFraction: 0.08 },
  Co: { occurrence: 0.3, medianMassFraction: 3e-4, logSigma: 1.2 },
  Cu: { occurrence: 0.5, medianMassFraction: 1e-3, logSigma: 1.5 },
  Sb: { occurrence: 0.4, medianMassFraction: 2e-3, logSigma: 1.5, maxMassFraction: 0.08 },
  Sn: { occurrence: 0.3, medianMassFraction: 1e-3, logSigma: 1.5 },
  Pb: { occurrence: 0.5, medianMassFraction: 5e-3, logSigma: 1.8, maxMassFraction: 0.3 },
  As: { occurrence: 0.2, medianMassFraction: 1e-4, logSigma: 1.5 },
};

/** Residual and tramp elements of commercial alloys (choice: 10–1000 µg/g typical). */
const METAL_BASE: Partial<TraceElementPrior> = {
  occurrence: 0.12,
  medianMassFraction: 1e-4,
  logSigma: 1.2,
  maxMassFraction: 5e-3,
};

function uniformTable(sources: readonly string[], base: Partial<TraceElementPrior>, o: Overrides) {
  const overrides: Overrides = {};
  for (const el of PREDICTED_ELEMENTS) {
    overrides[el] = { ...base, referenceMassFraction: null, ...o[el] };
  }
  return table(sources, {}, overrides);
}

const TRACE_TABLES: Record<string, TraceTable> = {
  crust: table(['RG2003'], UCC),
  soil: table(['RG2003', 'SRM2711'], UCC, SRM2711_TRACES),
  carbonate: table(['RG2003', 'TW1961'], UCC, {
    // TW1961 carbonate column (rounded): Sr 610, Mn 1100, Fe 3800, Ba 10, Ti 400, K 2700 µg/g.
    Sr: { occurrence: 0.95, medianMassFraction: 610 * PPM, referenceMassFraction: 610 * PPM },
    Mn: { occurrence: 0.9, medianMassFraction: 1100 * PPM, referenceMassFraction: 1100 * PPM },
    Fe: { occurrence: 0.9, medianMassFraction: 3800 * PPM, referenceMassFraction: 3800 * PPM },
    Ba: { occurrence: 0.6, medianMassFraction: 2e-5, referenceMassFraction: 10 * PPM },
    Ti: { occurrence: 0.9, medianMassFraction: 400 * PPM, referenceMassFraction: 400 * PPM },
    K: { occurrence: 0.9, medianMassFraction: 2700 * PPM, referenceMassFraction: 2700 * PPM },
  }),
  plant: table(['MARKERT1992', 'SRM1573A'], PLANT, {
    K: { maxMassFraction: 0.05 },
    Ca: { maxMassFraction: 0.06 },
  }),
  tissue: table(['SRM1577B', 'XPROC_CNC'], TISSUE),
  glass: uniformTable(['SRM610'], GLASS_BASE, GLASS_OVERRIDES),
  metal: uniformTable(['choice'], METAL_BASE, {}),
};

type Range = readonly [number, number];
const r = (min: number, max: number): Range => [min, max];
const major = (min: number, max: number, occurrence = 1) => ({
  minMassFraction: min,
  maxMassFraction: max,
  occurrence,
});

/** Archetypes; weights are a choice (light 0.65, metallic 0.35). */
const ARCHETYPES: readonly ArchetypePrior[] = [
  {
    id: 'organic',
    description: 'Cellulose, paper, wood, plant matter, polymers',
    kind: 'light',
    weight: 0.1,
    majors: {},
    // Cellulose C6H10O5: H 0.062, C 0.444, O 0.493 (STOICHIOMETRY); widened — choice.
    matrix: {
      H: r(0.05, 0.09), C: r(0.4, 0.6), O: r(0.25, 0.5), N: r(0, 0.05), Na: r(0, 0.003),
      Mg: r(0, 0.005), Si: r(0, 0.01), P: r(0, 0.005), S: r(0, 0.005), Cl: r(0, 0.005),
    }, // prettier-ignore
    minBalanceMassFraction: 0.5,
    traceTable: 'plant',
    densityGPerCm3: r(0.5, 1.5),
    sources: ['STOICHIOMETRY', 'MARKERT1992', 'DENSITY'],
  },
  {
    id: 'biologicalTissue',
    description: 'Soft tissue, wet or freeze-dried',
    kind: 'light',
    weight: 0.12,
    majors: {},
    matrix: {
      H: r(0.06, 0.105), C: r(0.12, 0.52), N: r(0.02, 0.12), O: r(0.2, 0.72), Na: r(0.001, 0.01),
      Mg: r(0.0001, 0.001), P: r(0.002, 0.012), S: r(0.002, 0.01), Cl: r(0.001, 0.01),
    }, // prettier-ignore
    minBalanceMassFraction: 0.6,
    traceTable: 'tissue',
    densityGPerCm3: r(0.9, 1.5),
    sources: ['ICRU44', 'SRM1577B', 'XPROC_CNC', 'DENSITY'],
  },
  {
    id: 'silicateGlass',
    description: 'Soda-lime, potash and lead silicate glass (SRM 610/612-like matrix)',
    kind: 'light',
    weight: 0.1,
    // CaO 1.4–12.6 %, K2O 0.1–14 % (potash glass) — choice spanning SRM 610 (12 % CaO).
    majors: { Ca: major(0.01, 0.09), K: major(0.001, 0.12) },
    // SiO2 58–77 %, Na2O 1.5–16 % (SRM 610 nominal 72 % SiO2, 14 % Na2O, 2 % Al2O3).
    matrix: {
      Si: r(0.27, 0.36), O: r(0.44, 0.48), Na: r(0.01, 0.12), Mg: r(0, 0.04), Al: r(0.002, 0.03),
      P: r(0, 0.005), Cl: r(0, 0.01),
    }, // prettier-ignore
    minBalanceMassFraction: 0.45,
    traceTable: 'glass',
    densityGPerCm3: r(2.2, 4.0),
    sources: ['SRM610', 'DENSITY'],
  },
  {
    id: 'carbonate',
    description: 'Calcite, dolomite, limestone, chalk, shell',
    kind: 'light',
    weight: 0.07,
    // CaCO3: Ca 0.400, C 0.120, O 0.480; CaMg(CO3)2: Ca 0.217, Mg 0.132 (STOICHIOMETRY).
    majors: { Ca: major(0.2, 0.4) },
    matrix: { C: r(0.115, 0.13), O: r(0.47, 0.52), Mg: r(0, 0.13), Si: r(0, 0.02) },
    minBalanceMassFraction: 0.5,
    traceTable: 'carbonate',
    densityGPerCm3: r(1.5, 2.95),
    sources: ['STOICHIOMETRY', 'TW1961', 'DENSITY'],
  },
  {
    id: 'oxideClay',
    description: 'Clay, fired ceramic, ochre (kaolinite/illite with iron oxides)',
    kind: 'light',
    weight: 0.08,
    majors: {
      Fe: major(0.005, 0.25), Ti: major(0.001, 0.02), K: major(0.001, 0.05), Ca: major(0.002, 0.05, 0.5),
    }, // prettier-ignore
    // Kaolinite: Al 0.209, Si 0.218, O 0.558, H 0.016 (STOICHIOMETRY); widened — choice.
    matrix: {
      Al: r(0.08, 0.22), Si: r(0.15, 0.32), O: r(0.45, 0.56), H: r(0, 0.016), Mg: r(0, 0.03),
      Na: r(0, 0.02),
    }, // prettier-ignore
    minBalanceMassFraction: 0.5,
    traceTable: 'crust',
    densityGPerCm3: r(1.5, 3.5),
    sources: ['STOICHIOMETRY', 'RG2003', 'DENSITY'],
  },
  {
    id: 'soil',
    description: 'Soil and sediment, natural to moderately contaminated',
    kind: 'light',
    weight: 0.1,
    // Ranges contain SRM 2711 (Fe 2.89 %, K 2.45 %, Ca 2.88 %, Ti 0.306 %, Mn 638 µg/g).
    majors: {
      K: major(0.003, 0.03), Ca: major(0.002, 0.05), Fe: major(0.005, 0.06),
      Ti: major(0.0005, 0.008), Mn: major(0.0001, 0.002),
    }, // prettier-ignore
    matrix: {
      Si: r(0.2, 0.38), Al: r(0.02, 0.1), O: r(0.4, 0.55), C: r(0.005, 0.15), H: r(0.002, 0.02),
      N: r(0, 0.01), Na: r(0.001, 0.025), Mg: r(0.001, 0.02), P: r(0.0002, 0.003),
      S: r(0, 0.005), Cl: r(0, 0.003),
    }, // prettier-ignore
    minBalanceMassFraction: 0.5,
    traceTable: 'soil',
    densityGPerCm3: r(1.0, 2.7),
    sources: ['RG2003', 'SRM2711', 'DENSITY'],
  },
  {
    id: 'silicateRock',
    description: 'Granite to basalt (UCC to BCR-2/BHVO-2)',
    kind: 'light',
    weight: 0.08,
    majors: {
      Fe: major(0.005, 0.1), Ca: major(0.003, 0.09), K: major(0.002, 0.045),
      Ti: major(0.0005, 0.02), Mn: major(0.0002, 0.0025),
    }, // prettier-ignore
    matrix: {
      Si: r(0.21, 0.36), Al: r(0.06, 0.1), O: r(0.44, 0.5), Mg: r(0.001, 0.05), Na: r(0.01, 0.035),
      P: r(0.0002, 0.003), H: r(0, 0.003),
    }, // prettier-ignore
    minBalanceMassFraction: 0.5,
    traceTable: 'crust',
    densityGPerCm3: r(2.5, 3.1),
    sources: ['RG2003', 'USGS_BASALT', 'DENSITY'],
  },
  {
    id: 'steel',
    description: 'Carbon and low-alloy steel (SAE 1018/1045/4140/4340)',
    kind: 'metallic',
    weight: 0.05,
    majors: {
      Mn: major(0.003, 0.016), C: major(0.0005, 0.01), Si: major(0.001, 0.0035),
      Cr: major(0.007, 0.012, 0.4), Mo: major(0.0015, 0.0025, 0.3), Ni: major(0.0165, 0.02, 0.2),
    }, // prettier-ignore
    matrix: {},
    balanceElement: 'Fe',
    minBalanceMassFraction: 0.9,
    traceTable: 'metal',
    densityGPerCm3: r(7.75, 7.9),
    sources: ['SAE_J403_J404', 'DENSITY'],
  },
  {
    id: 'stainlessSteel',
    description: 'Austenitic stainless steel (UNS S30400, S31600)',
    kind: 'metallic',
    weight: 0.05,
    majors: {
      Cr: major(0.16, 0.2), Ni: major(0.08, 0.14), Mn: major(0.005, 0.02), Mo: major(0.02, 0.03, 0.4),
      Si: major(0.002, 0.0075), C: major(0.0002, 0.0008),
    }, // prettier-ignore
    matrix: {},
    balanceElement: 'Fe',
    minBalanceMassFraction: 0.55,
    traceTable: 'metal',
    densityGPerCm3: r(7.9, 8.0),
    sources: ['ASTM_A240', 'DENSITY'],
  },
  {
    id: 'brass',
    description: 'Cu–Zn brass, unleaded and leaded (C23000 … C36000, C46400)',
    kind: 'metallic',
    weight: 0.05,
    majors: {
      Zn: major(0.05, 0.4), Pb: major(0.005, 0.037, 0.4), Sn: major(0.005, 0.012, 0.2),
      Fe: major(0.0005, 0.0035, 0.3),
    }, // prettier-ignore
    matrix: {},
    balanceElement: 'Cu',
    minBalanceMassFraction: 0.54,
    traceTable: 'metal',
    densityGPerCm3: r(8.4, 8.75),
    sources: ['CDA_COPPER', 'DENSITY'],
  },
  {
    id: 'bronze',
    description: 'Tin bronze, phosphor bronze, leaded bronze (C51000, C90700, C93200)',
    kind: 'metallic',
    weight: 0.05,
    majors: {
      Sn: major(0.03, 0.2), Pb: major(0.01, 0.08, 0.4), Zn: major(0.005, 0.04, 0.4),
      P: major(0.0003, 0.0035, 0.3), Ni: major(0.001, 0.01, 0.2),
    }, // prettier-ignore
    matrix: {},
    balanceElement: 'Cu',
    minBalanceMassFraction: 0.6,
    traceTable: 'metal',
    densityGPerCm3: r(8.7, 8.95),
    sources: ['CDA_COPPER', 'DENSITY'],
  },
  {
    id: 'solder',
    description: 'Sn–Pb and lead-free Sn–Ag–Cu solders',
    kind: 'metallic',
    weight: 0.05,
    majors: {
      Pb: major(0.3, 0.4, 0.6), Ag: major(0.025, 0.04, 0.4), Cu: major(0.003, 0.008, 0.5),
      Sb: major(0.0005, 0.005, 0.2), Bi: major(0.0005, 0.005, 0.1),
    }, // prettier-ignore
    matrix: {},
    balanceElement: 'Sn',
    minBalanceMassFraction: 0.5,
    traceTable: 'metal',
    densityGPerCm3: r(7.3, 8.5),
    sources: ['ISO9453', 'DENSITY'],
  },
  {
    id: 'nickelChromiumAlloy',
    description: 'Ni–Cr(–Fe, –Mo–Nb) superalloys (INCONEL 600, 625)',
    kind: 'metallic',
    weight: 0.03,
    majors: {
      Cr: major(0.14, 0.23), Fe: major(0.01, 0.1), Mo: major(0.08, 0.1, 0.4),
      Nb: major(0.0315, 0.0415, 0.4), Mn: major(0.001, 0.01), Co: major(0.001, 0.01, 0.3),
    }, // prettier-ignore
    matrix: {},
    balanceElement: 'Ni',
    minBalanceMassFraction: 0.5,
    traceTable: 'metal',
    densityGPerCm3: r(8.2, 8.5),
    sources: ['NICKEL_UNS', 'DENSITY'],
  },
  {
    id: 'nickelCopperAlloy',
    description: 'Ni–Cu alloy (MONEL 400)',
    kind: 'metallic',
    weight: 0.02,
    majors: { Cu: major(0.28, 0.34), Fe: major(0.005, 0.025), Mn: major(0.002, 0.02) },
    matrix: {},
    balanceElement: 'Ni',
    minBalanceMassFraction: 0.55,
    traceTable: 'metal',
    densityGPerCm3: r(8.7, 8.9),
    sources: ['NICKEL_UNS', 'DENSITY'],
  },
  {
    id: 'aluminiumAlloy',
    description: 'Wrought aluminium alloys (2024, 6061, 7075)',
    kind: 'metallic',
    weight: 0.05,
    majors: {
      Cu: major(0.0015, 0.049), Mg: major(0.008, 0.029), Zn: major(0.051, 0.061, 0.35),
      Si: major(0.002, 0.008), Mn: major(0.003, 0.009, 0.5), Fe: major(0.001, 0.007),
      Cr: major(0.0004, 0.0035, 0.5), Ti: major(0.0005, 0.0015, 0.5),
    }, // prettier-ignore
    matrix: {},
    balanceElement: 'Al',
    minBalanceMassFraction: 0.8,
    traceTable: 'metal',
    densityGPerCm3: r(2.6, 2.85),
    sources: ['AA_TEAL', 'DENSITY'],
  },
];

/**
 * Broad component (choice): in a quarter of the samples, 1–3 predicted elements outside the
 * archetype's majors at 0.1–12 wt% each (log-uniform, at most 30 wt% together), so every
 * predicted element appears at percent levels in every matrix class — about 1 % of the samples
 * per element. Without it, compositions off the archetypes (Cd-rich glass, leaded bronze with
 * Sb/As, W or rare-earth additions) were outside the training distribution.
 */
const BROAD = {
  probability: 0.25,
  maxElements: 3,
  minMassFraction: 1e-3,
  maxMassFraction: 0.12,
  maxTotalMassFraction: 0.3,
} as const;

/**
 * The default prior: 15 archetypes (7 light, 8 metallic), 7 trace tables, traces ≥ 1e-5, and a
 * broad component.
 */
export const DEFAULT_COMPOSITION_PRIOR: CompositionPrior = {
  minMassFraction: MIN_TRACE_MASS_FRACTION,
  archetypes: ARCHETYPES,
  traceTables: TRACE_TABLES,
  broad: BROAD,
};
