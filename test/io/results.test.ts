import { describe, expect, it } from 'vitest';
import { CmxrfError } from '../../src/errors';
import { resultsToCsv, resultsToJson } from '../../src/io';

describe('resultsToCsv', () => {
  it('writes a header from the keys in order of appearance, with empty missing values', () => {
    expect(
      resultsToCsv([
        { element: 'Fe', massFraction: 0.12 },
        { element: 'Ni', depthUm: 5 },
      ]),
    ).toBe('element,massFraction,depthUm\nFe,0.12,\nNi,,5\n');
  });

  it('quotes per RFC 4180 and honours delimiter and columns', () => {
    expect(resultsToCsv([{ a: 'x,y', b: 'say "hi"', c: 'two\nlines' }])).toBe(
      'a,b,c\n"x,y","say ""hi""","two\nlines"\n',
    );
    expect(resultsToCsv([{ a: 1, b: 'x;y' }], { delimiter: ';', columns: ['b', 'a'] })).toBe(
      'b;a\n"x;y";1\n',
    );
    expect(resultsToCsv([])).toBe('\n');
  });

  it('refuses NaN and non-scalar values', () => {
    expect(() => resultsToCsv([{ a: Number.NaN }])).toThrow(CmxrfError);
    expect(() => resultsToCsv([{ a: {} as unknown as string }])).toThrow(/rows\[0\]\.a/);
  });
});

describe('resultsToJson', () => {
  it('writes typed arrays as arrays', () => {
    expect(resultsToJson({ depthsUm: new Float64Array([0, 5]), n: 2 }, { indent: 0 })).toBe(
      '{"depthsUm":[0,5],"n":2}',
    );
    expect(JSON.parse(resultsToJson([new Float32Array([0.5])]))).toEqual([[0.5]]);
  });

  it('refuses non-finite numbers instead of writing null', () => {
    expect(() => resultsToJson({ x: [1, Infinity] })).toThrow(CmxrfError);
    expect(() => resultsToJson({ x: 1n })).toThrow(CmxrfError);
  });
});
