import { HttpException, HttpStatus } from '@nestjs/common';

export enum QueueErrorCode {
  UnknownRoom = 'unknown_room',
  RoomClosed = 'room_closed',
  UnknownTicket = 'unknown_ticket',
  TicketGone = 'ticket_gone',
  NotActive = 'not_active',
  JoinRateLimited = 'join_rate_limited',
  /** The room is configured but its state is gone from Redis (flushed, or restarted without persistence). */
  RoomUnavailable = 'room_unavailable',
  /** Redis does not answer: every room is out of reach until it does. */
  StoreUnavailable = 'store_unavailable',
  /** The room is stored in a layout this release cannot read: mid rolling upgrade, a newer instance can. */
  RoomLayoutUnknown = 'room_layout_unknown',
  /** The room's join gate refused the join's proof of work (missing, invalid, expired or spent). */
  JoinChallengeRefused = 'join_challenge_refused',
}

const STATUS: Record<QueueErrorCode, HttpStatus> = {
  [QueueErrorCode.UnknownRoom]: HttpStatus.NOT_FOUND,
  [QueueErrorCode.RoomClosed]: HttpStatus.CONFLICT,
  [QueueErrorCode.UnknownTicket]: HttpStatus.NOT_FOUND,
  [QueueErrorCode.TicketGone]: HttpStatus.GONE,
  [QueueErrorCode.NotActive]: HttpStatus.CONFLICT,
  [QueueErrorCode.JoinRateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [QueueErrorCode.RoomUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [QueueErrorCode.StoreUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [QueueErrorCode.RoomLayoutUnknown]: HttpStatus.SERVICE_UNAVAILABLE,
  [QueueErrorCode.JoinChallengeRefused]: HttpStatus.FORBIDDEN,
};

/** The queue's one exception: its code picks the HTTP status, in this one place. */
export class QueueError extends HttpException {
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
    /** Extra fields for the body, such as the field and reason of a refused join challenge. */
    details?: Record<string, string>,
  ) {
    super({ error: code, message, ...details }, STATUS[code]);
  }
}
