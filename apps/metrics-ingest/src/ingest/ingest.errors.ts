export enum IngestErrorCode {
  KafkaUnavailable = 'kafka_unavailable',
  KafkaTimeout = 'kafka_timeout',
}

/** Kafka could not take a batch: the client must retry it, nothing of it is guaranteed to be stored. */
export class IngestUnavailableError extends Error {
  override readonly name = 'IngestUnavailableError';

  constructor(
    readonly code: IngestErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RefusalIssue {
  path: string;
  message: string;
}

/**
 * The client's batch will never be taken as it is (4xx): it names what is wrong, field by field, so the sender
 * can fix it rather than retry it. `retryAfterSeconds` only for a limit that lifts with time (429).
 */
export class IngestRefusedError extends Error {
  override readonly name = 'IngestRefusedError';

  constructor(
    readonly status: 403 | 413 | 429,
    readonly code: string,
    message: string,
    readonly issues: RefusalIssue[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
