import { Injectable } from '@nestjs/common';
import type { MetricSample } from '@surge/contracts';
import { envelopesByTarget, toKafkaMessages } from '../samples/sample-envelopes';
import { IngestUnavailableError } from './ingest.errors';
import { IngestMetrics, type SampleSource } from './ingest.metrics';
import { SampleProducer } from './sample-producer.service';

export interface IngestReceipt {
  samples: number;
  messages: number;
}

/** Valid samples in, durable Kafka messages out: the one path both write endpoints share. */
@Injectable()
export class IngestService {
  constructor(
    private readonly producer: SampleProducer,
    private readonly metrics: IngestMetrics,
  ) {}

  async ingest(samples: readonly MetricSample[], source: SampleSource): Promise<IngestReceipt> {
    if (samples.length === 0) return { samples: 0, messages: 0 };
    const messages = toKafkaMessages(envelopesByTarget(samples));
    const started = performance.now();
    try {
      await this.producer.publish(messages);
    } catch (error) {
      this.metrics.produceSeconds.observe({ outcome: 'failed' }, (performance.now() - started) / 1000);
      if (error instanceof IngestUnavailableError)
        this.metrics.rejected.inc({ source, reason: error.code }, samples.length);
      throw error;
    }
    this.metrics.produceSeconds.observe({ outcome: 'acked' }, (performance.now() - started) / 1000);
    return { samples: samples.length, messages: messages.length };
  }
}
