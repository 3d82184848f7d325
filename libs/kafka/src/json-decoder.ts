import { decode } from '@surge/contracts';
import type { z } from 'zod';

/** A decoder for BaseConsumerOptions.decode: JSON bytes checked against one of the contracts' schemas. */
export function jsonDecoder<S extends z.ZodType>(contract: string, schema: S): (value: Buffer) => z.output<S> {
  return (value) => decode(contract, schema, JSON.parse(value.toString('utf8')));
}
