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
