import { describe, expect, it } from 'vitest';
import { numberOf, renderBody } from './request-body';

describe('renderBody', () => {
  it('puts the value in as a number, a boolean or text', () => {
    expect(
      renderBody(
        { limitPerSecond: '{{value}}', open: '{{value:boolean}}', note: 'set to {{value}}', keep: [1, null] },
        50,
      ),
    ).toEqual({ limitPerSecond: 50, open: true, note: 'set to 50', keep: [1, null] });
    expect(renderBody({ open: '{{value:boolean}}' }, 0)).toEqual({ open: false });
    expect(renderBody('{{value}}', 7)).toBe(7);
  });
});

describe('numberOf', () => {
  it('reads numbers, numeric strings and booleans as 0/1', () => {
    expect(numberOf(12.5)).toBe(12.5);
    expect(numberOf('40')).toBe(40);
    expect(numberOf(true)).toBe(1);
    expect(numberOf(false)).toBe(0);
  });

  it('refuses anything else', () => {
    for (const value of [undefined, null, '', 'fast', {}, [], Number.NaN]) expect(numberOf(value)).toBeNull();
  });
});
