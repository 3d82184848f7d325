import { describe, expect, it } from 'vitest';
import { parseQuantity } from './k8s-quantity';

describe('parseQuantity', () => {
  it.each([
    ['1k', 1000],
    ['10k', 10000],
    ['500m', 0.5],
    ['1.5', 1.5],
    ['128Mi', 128 * 2 ** 20],
    ['2Gi', 2 * 2 ** 30],
    ['1e3', 1000],
    ['1E', 1e18],
    [30, 30],
  ])('reads %s as %d', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it.each(['1kb', 'ten', '', '1 k'])('refuses %j', (text) => {
    expect(() => parseQuantity(text)).toThrow(/quantity/);
  });
});
