import { Injectable, type PipeTransform } from '@nestjs/common';
import { ROOM_NAME } from '@surge/queue-core';
import { FieldValidationException } from '@surge/service-kit';

@Injectable()
export class RoomNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ROOM_NAME.test(value))
      throw new FieldValidationException(
        [{ path: 'room', message: 'must match [a-z0-9][a-z0-9._-]{0,62}' }],
        'invalid room name',
      );
    return value;
  }
}
