/**
 * Writes the Jupyter notebooks in notebooks/ from examples/deno-notebook.ts: one code cell per
 * `// %% Title` block (preceded by a markdown cell with the title).
 * - notebooks/cmxrf-deno.ipynb: Deno kernel, imports the repository's sources (the root
 *   deno.json enables the extension-less imports of src/).
 * - notebooks/cmxrf-tslab.ipynb: tslab kernel (TypeScript on Node), imports the package by name
 *   (`cmxrf/io` …; in this repository after `npm run build`).
 *
 * Run: `npx tsx scripts/make-notebooks.ts` (a test checks the committed notebooks are current).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

interface Cell {
  cell_type: 'markdown' | 'code';
  metadata: Record<string, never>;
  source: string[];
  execution_count?: null;
  outputs?: never[];
}

const lines = (text: string): string[] =>
  text.split('\n').map((l, i, a) => (i < a.length - 1 ? `${l}\n` : l));

/** The `// %%` blocks of the script: [title, code] pairs. */
export function scriptCells(script: string): { title: string; code: string }[] {
  const blocks = script.split(/^\/\/ %% /m).slice(1);
  return blocks.map((b) => {
    const nl = b.indexOf('\n');
    return {
      title: b.slice(0, nl).trim(),
      // Notebook cells are not modules: no `export`.
      code: b
        .slice(nl + 1)
        .replace(/^export /gm, '')
        .trim(),
    };
  });
}

/** Notebook JSON text for one kernel. */
export function notebookJson(script: string, kernel: 'deno' | 'tslab'): string {
  const intro =
    kernel === 'deno'
      ? [
          '# cmxrf in a Deno notebook',
          '',
          'Quantifies the example glass depth profile with the shipped default model',
          '(onnxruntime-web, wasm) and plots the measured profile and the result.',
          '',
          'Setup: `npm ci` in the repository, then `npx deno jupyter --install` and open this',
          'notebook with the Deno kernel from `notebooks/` (the root `deno.json` lets Deno import the',
          "repository's sources). In your own project import `npm:cmxrf/io`, `npm:cmxrf/model`",
          'and `npm:cmxrf/report` instead of `../src/…`.',
        ]
      : [
          '# cmxrf in a tslab notebook (TypeScript on Node)',
          '',
          'Quantifies the example glass depth profile with the shipped default model',
          '(onnxruntime-web, wasm) and plots the measured profile and the result.',
          '',
          'Setup: `npm ci && npm run build` in the repository (the notebook imports the package',
          'by name), `npm install -g tslab && tslab install`, then open this notebook from',
          '`notebooks/` with the TypeScript kernel. In your own project: `npm install cmxrf',
          'onnxruntime-web vega vega-lite`.',
        ];
  const cells: Cell[] = [{ cell_type: 'markdown', metadata: {}, source: lines(intro.join('\n')) }];
  for (const { title, code } of scriptCells(script)) {
    let src = code;
    if (kernel === 'tslab')
      src = src
        .replace(/'\.\.\/src\/([a-z]+)\/index'/g, "'cmxrf/$1'")
        .replace(/'\.\.\/src\/index'/g, "'cmxrf'");
    cells.push({ cell_type: 'markdown', metadata: {}, source: [`### ${title}`] });
    cells.push({
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source: lines(src),
    });
  }
  const metadata =
    kernel === 'deno'
      ? {
          kernelspec: { display_name: 'Deno', language: 'typescript', name: 'deno' },
          language_info: {
            codemirror_mode: 'typescript',
            file_extension: '.ts',
            mimetype: 'text/x.typescript',
            name: 'typescript',
            nbconvert_exporter: 'script',
            pygments_lexer: 'typescript',
          },
        }
      : {
          kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
          language_info: {
            codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
            file_extension: '.ts',
            mimetype: 'text/typescript',
            name: 'typescript',
          },
        };
  return JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n';
}

/** The notebook files and their contents, from the script. */
export function notebooks(): Record<string, string> {
  const script = readFileSync(here('../examples/deno-notebook.ts'), 'utf8');
  return {
    'notebooks/cmxrf-deno.ipynb': notebookJson(script, 'deno'),
    'notebooks/cmxrf-tslab.ipynb': notebookJson(script, 'tslab'),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [path, text] of Object.entries(notebooks())) {
    writeFileSync(here(`../${path}`), text);
    console.log(`wrote ${path}`);
  }
}
