// Decimal suffixes go through the exponent, so `500m` is exactly 0.5 rather than 500 * 0.001.
const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POWER: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/**
 * A Kubernetes resource.Quantity (`1k`, `500m`, `128Mi`, `1e3`, or a bare number) as a number. Throws on
 * anything else, with a message fit for a note.
 */
export function parseQuantity(input: unknown): number {
  if (typeof input === 'number' && Number.isFinite(input)) return input;
  if (typeof input !== 'string') throw new Error(`not a quantity: ${JSON.stringify(input)}`);
  const match = QUANTITY.exec(input.trim());
  if (!match) throw new Error(`not a Kubernetes quantity: "${input}"`);
  const [, digits, exponent, suffix = ''] = match;
  if (exponent !== undefined) return Number(`${digits}e${exponent}`);
  if (suffix in BINARY_POWER) return Number(digits) * 2 ** BINARY_POWER[suffix]!;
  return Number(`${digits}e${DECIMAL_EXPONENT[suffix]!}`);
}
