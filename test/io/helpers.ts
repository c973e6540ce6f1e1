import { expect } from 'vitest';
import { ParseError } from '../../src/errors';

/** Runs `fn`, asserts it throws a ParseError, and returns it. */
export function catchParseError(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}
