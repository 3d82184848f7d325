import { Injectable, type PipeTransform } from '@nestjs/common';
import { toFieldIssues } from '@surge/contracts';
import type { z } from 'zod';
import { FieldValidationException } from './field-validation.exception';

@Injectable()
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    /** Read by the OpenAPI document too: the body it documents is the one this pipe validates. */
    readonly schema: S,
    private readonly prefix: string[] = [],
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) throw new FieldValidationException(toFieldIssues(result.error, this.prefix));
    return result.data;
  }
}
