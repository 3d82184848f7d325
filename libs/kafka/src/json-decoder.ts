import { decode } from '@surge/contracts';
import type { z } from 'zod';

/**
 * A decoder for BaseConsumerOptions.decode: JSON bytes checked against one of the contracts' schemas. `fast`, a
 * hand-written check of the same schema for a hot contract (see fastSampleEnvelope), answers first; what it
 * leaves undefined the schema decides, so a refusal always carries the schema's own field errors.
 */
export function jsonDecoder<S extends z.ZodType>(
  contract: string,
  schema: S,
  fast?: (input: unknown) => z.output<S> | undefined,
): (value: Buffer) => z.output<S> {
  return (value) => {
    const input: unknown = JSON.parse(value.toString('utf8'));
    return fast?.(input) ?? decode(contract, schema, input);
  };
}
