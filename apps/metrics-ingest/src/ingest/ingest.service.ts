import { Inject, Injectable } from '@nestjs/common';
import type { MetricSample } from '@surge/contracts';
import { MessageTooLargeError } from '@surge/kafka';
import { SpanKind, SurgeTracing, type TraceCarrier } from '@surge/tracing';
import type { IngestSource } from '../auth/ingest-credentials';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { envelopesByTarget, toKafkaMessages } from '../samples/sample-envelopes';
import { IngestRefusedError, IngestUnavailableError } from './ingest.errors';
import { IngestMetrics, type SampleSource } from './ingest.metrics';
import { SampleProducer } from './sample-producer.service';
import { TargetAdmission } from './target-admission';

export interface IngestReceipt {
  samples: number;
  messages: number;
}

/** Lists at most this many targets in a 403, so a refused batch of 10k targets does not get a 1 MB answer. */
const MAX_LISTED_TARGETS = 100;

/** Valid samples in, durable Kafka messages out: the one path both write endpoints share. */
@Injectable()
export class IngestService {
  private readonly admission: TargetAdmission;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly producer: SampleProducer,
    private readonly metrics: IngestMetrics,
    private readonly tracing: SurgeTracing,
  ) {
    this.admission = new TargetAdmission(config.SURGE_INGEST_MAX_TARGETS_PER_MINUTE);
  }

  /**
   * Checks what `source` may write before anything is produced; a refused batch is refused whole. With tracing
   * on, the request is one span (continuing the client's `traceparent`, from `requestHeaders`), and every message
   * of the batch carries its context to the rules engine.
   */
  async ingest(
    samples: readonly MetricSample[],
    kind: SampleSource,
    source: IngestSource,
    requestHeaders?: TraceCarrier,
  ): Promise<IngestReceipt> {
    if (samples.length === 0) return { samples: 0, messages: 0 };
    if (!this.tracing.enabled) return this.accept(samples, kind, source);
    const span = this.tracing.startSpan('metrics-ingest accept', {
      kind: SpanKind.SERVER,
      parent: this.tracing.spanContextOf(requestHeaders),
      attributes: { 'surge.samples': samples.length, 'surge.sample_source': kind },
    });
    return this.tracing.within(span, () => this.accept(samples, kind, source, this.tracing.headersOf(span)));
  }

  private async accept(
    samples: readonly MetricSample[],
    kind: SampleSource,
    source: IngestSource,
    traceHeaders?: Record<string, string>,
  ): Promise<IngestReceipt> {
    const envelopes = envelopesByTarget(samples);
    try {
      this.admit(
        source,
        envelopes.map((envelope) => envelope.target),
      );
    } catch (error) {
      this.metrics.rejected.inc({ source: kind, reason: (error as IngestRefusedError).code }, samples.length);
      throw error;
    }
    const messages = toKafkaMessages(envelopes, this.producer.maxMessageBytes);
    if (traceHeaders) for (const message of messages) message.headers = { ...message.headers, ...traceHeaders };
    const started = performance.now();
    try {
      await this.producer.publish(messages);
    } catch (error) {
      if (error instanceof MessageTooLargeError) {
        this.metrics.rejected.inc({ source: kind, reason: 'sample_too_large' }, samples.length);
        throw sampleTooLarge(error, kind);
      }
      this.metrics.produceSeconds.observe({ outcome: 'failed' }, (performance.now() - started) / 1000);
      if (error instanceof IngestUnavailableError)
        this.metrics.rejected.inc({ source: kind, reason: error.code }, samples.length);
      throw error;
    }
    this.metrics.produceSeconds.observe({ outcome: 'acked' }, (performance.now() - started) / 1000);
    return { samples: samples.length, messages: messages.length };
  }

  private admit(source: IngestSource, targets: string[]): void {
    const admission = this.admission.admit(source, targets, Date.now());
    if (admission.ok) return;
    if (admission.reason === 'forbidden_target') {
      const listed = admission.targets.slice(0, MAX_LISTED_TARGETS);
      throw new IngestRefusedError(
        403,
        'forbidden_target',
        `source "${source.name}" may not write ${admission.targets.length} target(s): ${listed.join(', ')}`,
        listed.map((target) => ({
          path: 'target',
          message: `"${target}" is not among the targets "${source.name}" may write`,
        })),
      );
    }
    throw new IngestRefusedError(
      429,
      'too_many_targets',
      `source "${source.name}" may write at most ${admission.limit} distinct targets per minute (SURGE_INGEST_MAX_TARGETS_PER_MINUTE)`,
      [{ path: 'target', message: `more than ${admission.limit} distinct targets this minute` }],
      admission.retryAfterSeconds,
    );
  }
}

/** Only a sample alone in its message can be too large (larger envelopes are split): it must shrink, not retry. */
function sampleTooLarge(error: MessageTooLargeError, kind: SampleSource): IngestRefusedError {
  const message = `a sample of target "${error.key}" does not fit in one Kafka message`;
  return new IngestRefusedError(
    413,
    'sample_too_large',
    `${message} (KAFKA_MAX_MESSAGE_BYTES=${error.maxBytes}); nothing of this batch was accepted`,
    [{ path: kind === 'json' ? 'samples' : 'timeseries', message }],
  );
}
