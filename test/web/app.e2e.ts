/**
 * The web app in a real headless browser (Debian's chromium driven by playwright-core): load the
 * built app (`npm run build:app`), quantify a bundled example and a chosen file with
 * onnxruntime-web, check the element table against onnxruntime-node on the same file, download
 * the CSV, and save a screenshot to tmp/web-app.png.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDepthProfileAuto } from '../../src/io/auto';
import { loadDefaultQuantifier } from '../../src/model/node';
import type { QuantificationResult } from '../../src/model/result';

const root = resolve(import.meta.dirname, '../..');
const site = join(root, 'app/dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `SKIPPED: no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

let server: Server;
let base = '';
let context: BrowserContext;
let page: Page;
let profileDir = '';
const pageErrors: string[] = [];

/** Element rows of the page's table: element → [mass fraction, presence probability, detected]. */
async function tableRows(p: Page): Promise<Record<string, string[]>> {
  return p.$$eval('#elements tbody tr', (trs) =>
    Object.fromEntries(
      trs.map((tr) => {
        const cells = Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '');
        return [cells[0], cells.slice(1)];
      }),
    ),
  );
}

async function nodeResult(file: string, intensityScale = 1): Promise<QuantificationResult> {
  const q = await loadDefaultQuantifier();
  return q.quantify(parseDepthProfileAuto(readFileSync(file), { fileName: file }), {
    intensityScale,
  });
}

beforeAll(async () => {
  if (!hasChromium) return;
  if (!existsSync(join(site, 'index.html')))
    throw new Error('app/dist is missing: run `npm run build:app` before `npm run test:e2e`.');
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(site, path === '/' ? 'index.html' : path);
    if (!file.startsWith(site) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  profileDir = mkdtempSync(join(tmpdir(), 'cmxrf-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1200, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`);
  });
});

afterAll(async () => {
  await context?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('web app in headless chromium', () => {
  it('loads the default model with onnxruntime-web', async () => {
    await page.goto(base);
    await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', {
      timeout: 30_000,
    });
    expect(await page.textContent('#status')).toMatch(/^Model cmxrf-default@[0-9a-f]{12} ready/);
    // The threshold field starts at the card's presence-probability threshold.
    const card = JSON.parse(readFileSync(join(root, 'models/cmxrf-default.json'), 'utf8')) as {
      presenceProbabilityThreshold: number;
    };
    expect(Number(await page.inputValue('#threshold'))).toBe(card.presenceProbabilityThreshold);
  });

  it('quantifies the glass example like onnxruntime-node does, and shows the charts', async () => {
    await page.selectOption('#example', { label: 'glass.msa' });
    await page.click('#run-example');
    await page.waitForSelector('body[data-state="done"], body[data-state="error"]');
    expect(await page.textContent('#status')).toMatch(/^Quantified glass\.msa in \d+ ms/);
    const rows = await tableRows(page);
    const node = await nodeResult(join(root, 'examples/data/glass.msa'));
    const detected = node.elements.filter((e) => e.detected);
    expect(detected.length).toBeGreaterThan(5);
    for (const e of detected) {
      expect(rows[e.element], e.element).toBeDefined();
      // Same model, same input, float32 on both runtimes: same 3 significant digits.
      expect(Number(rows[e.element][0]), e.element).toBeCloseTo(
        e.massFraction,
        3 - Math.floor(Math.log10(e.massFraction)) - 1,
      );
      expect(rows[e.element].at(-1)).toBe('yes');
    }
    // Truth column: Pb 11.1 wt% in the simulated glass.
    expect(rows.Pb[1]).toBe('0.111');
    const density = await page.textContent('#summary');
    expect(density).toContain(`${node.densityGPerCm3.toFixed(3)} g/cm³`);
    expect(await page.locator('#heatmap canvas').count()).toBe(1);
    expect(await page.locator('#lines svg').count()).toBe(1);
    expect(await page.textContent('#lines')).toContain('Pb Lα');
    expect(await page.locator('#bars svg').count()).toBe(1);
    mkdirSync(join(root, 'tmp'), { recursive: true });
    await page.screenshot({ path: join(root, 'tmp/web-app.png'), fullPage: true });
  });

  it('downloads the result as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#download-csv'),
    ]);
    expect(download.suggestedFilename()).toBe('glass.cmxrf.csv');
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe(
      'file,element,massFraction,massFractionRaw,presenceProbability,detected,densityGPerCm3,surfaceUm',
    );
    expect(csv).toHaveLength(54);
  });

  it('applies an intensity scale k and lists the warnings and notes of the result', async () => {
    // No warnings on the in-distribution glass: the list stays hidden.
    expect(await page.locator('#warnings').isHidden()).toBe(true);
    await page.fill('#intensity-scale', '0.5');
    await page.selectOption('#example', { label: 'glass.msa' });
    await page.click('#run-example');
    await page.waitForFunction(
      () =>
        document.body.dataset.state === 'done' &&
        document.querySelector('#warnings li[data-code="intensity-scaled"]') !== null,
      undefined,
      { timeout: 20_000 },
    );
    expect(await page.locator('#warnings').isVisible()).toBe(true);
    const node = await nodeResult(join(root, 'examples/data/glass.msa'), 0.5);
    const plain = await nodeResult(join(root, 'examples/data/glass.msa'));
    const rows = await tableRows(page);
    const pb = (r: QuantificationResult): number =>
      r.elements.find((e) => e.element === 'Pb')?.massFraction ?? NaN;
    // The browser used k: its Pb is node's with k = 0.5 (3 significant digits), not node's with k = 1.
    expect(Number(rows.Pb[0])).toBeCloseTo(pb(node), 3 - Math.floor(Math.log10(pb(node))) - 1);
    expect(Math.abs(pb(node) / pb(plain) - 1)).toBeGreaterThan(0.01);
    const items = await page
      .locator('#warnings li')
      .evaluateAll((li) => li.map((x) => x.getAttribute('data-code')));
    expect(items).toEqual(node.warnings.map((w) => w.code));
    // A bad k is an error message, not a silent default.
    await page.fill('#intensity-scale', '-1');
    await page.click('#run-example');
    await page.waitForSelector('body[data-state="error"]');
    expect(await page.textContent('#status')).toContain(
      'intensity scale k must be a positive number',
    );
    await page.fill('#intensity-scale', '1');
  });

  it('quantifies a file the user chooses', async () => {
    await page.setInputFiles('#file', join(root, 'examples/data/biological-pellet.csv'));
    await page.waitForFunction(
      () =>
        document.body.dataset.state !== 'busy' &&
        document.getElementById('result-title')?.textContent === 'biological-pellet.csv',
      undefined,
      { timeout: 20_000 },
    );
    const rows = await tableRows(page);
    expect(rows.K[rows.K.length - 1]).toBe('yes');
    expect(Number(rows.K[0])).toBeGreaterThan(0.0067); // true 0.0100
    // Within a factor 2 of the truth (the network alone gives 1.38 wt%: K in light matrices
    // comes out high, e.g. +31 % on the liver-like held-out composition of models/REPORT.md).
    expect(Number(rows.K[0])).toBeLessThan(0.02);
    expect(pageErrors).toEqual([]);
  });
});
