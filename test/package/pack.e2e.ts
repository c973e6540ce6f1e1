/**
 * The published package as a user gets it: `npm pack` of the built tree must hold the licence,
 * README, default model and card (and the plots its report links to), no source maps; a CommonJS
 * TypeScript consumer (`--module node16`) and an ES-module one (`--module nodenext`) must
 * compile against the tarball's types and run against its code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
let work = '';
let files: string[] = [];
let tarball = '';

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout}\n${err.stderr}`);
  }
}

/** Consumer code, compiled under both module systems: every subpath, types and values. */
const CONSUMER = `
import { lineEnergyKeV, type QuantificationResult } from 'cmxrf';
import { massAttenuation } from 'cmxrf/physics';
import { createRng } from 'cmxrf/sampling';
import { createMxrfSimulator } from 'cmxrf/spectra';
import { ParseError, CmxrfError, parseDepthProfileCsv, type ParseErrorLocation } from 'cmxrf/io';
import {
  createQuantifier,
  defaultModelCardPath,
  loadQuantifier,
  parseModelCard,
  type Quantifier,
} from 'cmxrf/model';
import { DATASET_FORMAT_VERSION } from 'cmxrf/dataset';
import { elementChartSpec, renderSpecToSvg, reportElementRows, type VegaLiteSpec } from 'cmxrf/report';
import { depthProfileFromNdarray, type NdarrayLike } from 'cmxrf/ndarray';

const where: ParseErrorLocation = { file: 'x.csv', line: 3 };
let parseError = '';
try {
  parseDepthProfileCsv('not a profile', { fileName: 'x.csv' });
} catch (e) {
  if (e instanceof ParseError && e instanceof CmxrfError) parseError = e.code;
}
const counts: NdarrayLike = { data: new Float64Array(8), shape: [2, 4], stride: [4, 1], offset: 0 };
const profile = depthProfileFromNdarray(counts, {
  calibration: { offsetKeV: 0, gainKeVPerChannel: 0.02, nChannels: 4 },
  depthStepUm: 5,
  liveTimesS: 1,
});
const unused: [QuantificationResult?, Quantifier?, VegaLiteSpec?] = [];
async function main(): Promise<void> {
  // vega (ES modules only) loads from both module systems.
  const svg = await renderSpecToSvg(elementChartSpec([]));
  // Worker threads: the worker script is found in the package's dist/; the too-short profiles
  // come back rejected, with their error class.
  const q = await loadQuantifier(await defaultModelCardPath(), { workers: 2 });
  const settled = await q.quantifySettled([profile, profile]);
  await q.release();
  const workerErrors = settled
    .map((s) => (s.status === 'rejected' && s.reason instanceof CmxrfError ? s.reason.name : s.status))
    .join(',');
  console.log(JSON.stringify({
    cuKa: lineEnergyKeV('Cu', 'KA1'),
    water20: massAttenuation('H2O', 20),
    rng: typeof createRng('a'),
    sim: typeof createMxrfSimulator,
    q: typeof createQuantifier,
    card: typeof parseModelCard,
    dataset: typeof DATASET_FORMAT_VERSION,
    rows: typeof reportElementRows,
    svg: svg.slice(0, 4),
    steps: profile.nSteps,
    parseError,
    where: where.file,
    unused: unused.length,
    workerErrors,
  }));
}
void main();
`;

function consumer(kind: 'cjs' | 'esm'): string {
  const dir = join(work, kind);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  run('tar', ['-xzf', tarball, '-C', join(dir, 'node_modules')], dir);
  run('mv', [join(dir, 'node_modules/package'), join(dir, 'node_modules/cmxrf')], dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `consumer-${kind}`,
      private: true,
      type: kind === 'cjs' ? 'commonjs' : 'module',
    }),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: kind === 'cjs' ? 'node16' : 'nodenext',
        moduleResolution: kind === 'cjs' ? 'node16' : 'nodenext',
        target: 'es2022',
        strict: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
        outDir: 'out',
      },
      files: ['index.ts'],
    }),
  );
  writeFileSync(join(dir, 'index.ts'), CONSUMER);
  return dir;
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js')))
    throw new Error('dist/ is missing: run `npm run build` before `npm run test:e2e`.');
  // Inside the repository (git-ignored /tmp/) so the tarball's own dependencies (ndarray, vega)
  // resolve from the repository's node_modules, as they would from the consumer's.
  mkdirSync(join(root, 'tmp'), { recursive: true });
  work = mkdtempSync(join(root, 'tmp/pack-'));
  const out = run('npm', ['pack', '--json', '--pack-destination', work], root);
  const info = JSON.parse(out.slice(out.indexOf('['))) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  files = info[0].files.map((f) => f.path);
  tarball = join(work, info[0].filename);
  console.log(
    `cmxrf tarball: ${(info[0].size / 1e6).toFixed(2)} MB packed, ` +
      `${(info[0].unpackedSize / 1e6).toFixed(2)} MB unpacked, ${files.length} files`,
  );
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('contains the licence, README, default model and card', () => {
    for (const f of [
      'LICENSE',
      'README.md',
      'package.json',
      'models/cmxrf-default.onnx',
      'models/cmxrf-default.json',
      'models/REPORT.md',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.cts',
      'dist/cli.js',
    ])
      expect(files, f).toContain(f);
  });
  it('has no source maps', () => {
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });
  it('contains every file its README and model report link to', () => {
    let n = 0;
    for (const doc of ['README.md', 'models/REPORT.md']) {
      const text = readFileSync(join(root, doc), 'utf8');
      const dir = doc.includes('/') ? doc.slice(0, doc.lastIndexOf('/') + 1) : '';
      for (const m of text.matchAll(/\]\(([^)#\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(m[1])) continue;
        expect(files, `${doc} links ${m[1]}`).toContain(`${dir}${m[1]}`);
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
  });
  it('points every export condition at a file it ships', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, Record<string, string>>>;
    };
    for (const [sub, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      for (const cond of ['import', 'require'])
        for (const p of Object.values(target[cond]))
          expect(files, `${sub} ${cond}`).toContain(p.replace(/^\.\//, ''));
      expect(target.require.types, sub).toMatch(/\.d\.cts$/);
      expect(target.import.types, sub).toMatch(/\.d\.ts$/);
    }
  });
});

describe.each(['cjs', 'esm'] as const)('a %s TypeScript consumer of the tarball', (kind) => {
  it('compiles with strict types and runs', () => {
    const dir = consumer(kind);
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    const js = readFileSync(join(dir, 'out/index.js'), 'utf8');
    expect(js.includes('require("cmxrf/io")')).toBe(kind === 'cjs');
    const got = JSON.parse(run(process.execPath, ['out/index.js'], dir)) as Record<string, unknown>;
    expect(got.cuKa).toBeCloseTo(8.0478, 2); // Cu Kα1: Bearden 8.04778 keV (Elam 8.0463)
    expect(got.water20).toBeCloseTo(0.8096, 2); // NIST XCOM H2O at 20 keV: 0.8096 cm²/g
    expect(got.parseError).toBe('PARSE_ERROR');
    expect(got.steps).toBe(2);
    expect(got.dataset).not.toBe('undefined');
    expect(got.svg).toBe('<svg');
    expect(got.workerErrors).toBe('ProfileNotRepresentableError,ProfileNotRepresentableError');
  });
});
