/**
 * Every function exported from a package subpath carries a TSDoc `@example` (typedoc shows it),
 * except the ones listed here, which still lack one. The list may only shrink: a new export
 * without an example fails, and so does a listed function that gained one.
 */
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const SUBPATHS = [
  'physics',
  'sampling',
  'spectra',
  'io',
  'model',
  'dataset',
  'report',
  'ndarray',
  'instrument',
  'refine',
];

/** Exported functions that do not have an example yet (subpath/name). */
const WITHOUT_EXAMPLE = new Set([
  'physics/atomicNumber',
  'physics/elementData',
  'physics/resolveMaterial',
  'physics/crossSectionGrid',
  'physics/photoCrossSectionGrid',
  'physics/costerKronig',
  'physics/edge',
  'physics/line',
  'physics/lineRadiativeRate',
  'physics/fluorescenceProductionGrid',
  'physics/shellVacancyFraction',
  'spectra/bandPass',
  'spectra/resolveInstrument',
  'spectra/electronicNoiseEv',
  'spectra/escapeFraction',
  'spectra/sigmaKeV',
  'spectra/defaultConfocalDepthsUm',
  'spectra/confocalProfileFromBulkSpectrum',
  'spectra/spectrumConfocalChannels',
  'spectra/rebinChannels',
  'io/looksLikeEmsa',
  'io/looksLikeDepthProfileCsv',
  'io/looksLikeBrukerSpx',
  'io/looksLikeXmso',
  'model/modelId',
  'model/applyEnergyRebin',
  'model/calibrationRangeKeV',
  'dataset/npyHeader',
  'dataset/readNpyHeader',
  'dataset/shardFiles',
]);

function exportedFunctions(): Map<string, boolean> {
  const files = SUBPATHS.map((s) => resolve(root, `src/${s}/index.ts`));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    resolveJsonModule: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, boolean>();
  SUBPATHS.forEach((sub, i) => {
    const sf = program.getSourceFile(files[i]);
    const mod = sf && checker.getSymbolAtLocation(sf);
    if (!mod) throw new Error(`cannot read the exports of src/${sub}/index.ts`);
    for (let sym of checker.getExportsOfModule(mod)) {
      if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
      if (!(sym.flags & ts.SymbolFlags.Function) || !sym.declarations?.length) continue;
      const has = sym.declarations.some((d) =>
        ts.getJSDocTags(d).some((t) => t.tagName.text === 'example'),
      );
      out.set(`${sub}/${sym.name}`, has);
    }
  });
  return out;
}

describe('API documentation', () => {
  it('has an @example on every exported function but the listed ones', () => {
    const fns = exportedFunctions();
    expect(fns.size).toBeGreaterThan(100);
    const missing = [...fns].filter(([, has]) => !has).map(([k]) => k);
    expect(
      missing.filter((k) => !WITHOUT_EXAMPLE.has(k)),
      'new exports without @example',
    ).toEqual([]);
    expect(
      [...WITHOUT_EXAMPLE].filter((k) => fns.get(k) !== false),
      'listed but documented (or gone): remove from the list',
    ).toEqual([]);
  });
});
