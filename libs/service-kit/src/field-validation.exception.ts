import { BadRequestException } from '@nestjs/common';
import type { FieldIssue } from '@surge/contracts';

/** A 400 whose body names every bad field by its path, so a client can fix all of them in one go. */
export class FieldValidationException extends BadRequestException {
  constructor(
    readonly issues: FieldIssue[],
    message = 'invalid request',
  ) {
    super({ error: 'validation_failed', message, issues });
  }
}
