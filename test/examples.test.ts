import { describe, expect, it } from 'vitest';
import { physicsReport } from '../examples/physics-basics.js';

describe('examples run', () => {
  it('physics-basics prints a table', () => {
    const lines = physicsReport();
    expect(lines.length).toBe(9);
    expect(lines[0]).toContain('Iron');
    expect(lines.join('\n')).not.toMatch(/NaN|Infinity/);
  });
});
