import { ApiErrors } from '@surge/service-kit';

/** The answers both write endpoints share: a refusal of the whole write, or Kafka away (retry it). */
export const ApiIngestRefusals = () =>
  ApiErrors({
    403: 'forbidden_target: the token may not write some target of the batch (listed); nothing was taken',
    413: 'too_many_samples, sample_too_large, decoded_too_large, or a body over SURGE_INGEST_MAX_BODY_BYTES',
    429: 'too_many_targets: more distinct targets per minute than SURGE_INGEST_MAX_TARGETS_PER_MINUTE; see Retry-After',
    503: 'kafka_unavailable or kafka_timeout: nothing is acknowledged, retry after Retry-After seconds',
  });
