import {
  BadRequestException,
  Controller,
  HttpCode,
  Inject,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { IngestMetrics } from '../ingest/ingest.metrics';
import { IngestService } from '../ingest/ingest.service';
import { LabelMapping } from '../remote-write/label-mapping';
import {
  countSamples,
  DecodedTooLargeError,
  decodeWriteRequest,
  samplesFromWriteRequest,
  UndecodablePayloadError,
} from '../remote-write/remote-write.decoder';
import { ApiIngestRefusals } from './ingest-responses';
import { IngestTokenGuard, sourceOf } from './ingest-token.guard';
import { rethrowAsUnavailable } from './unavailable';

/**
 * Prometheus remote-write 1.0 receiver. Status codes follow the spec's retry semantics: 204 stored,
 * 400 for a payload that will never decode (Prometheus drops it), 503 when Kafka is down (Prometheus retries
 * with backoff, so no sample is lost while Kafka recovers).
 */
@Controller('api/v1/write')
@UseGuards(IngestTokenGuard)
export class RemoteWriteController {
  private readonly mapping: LabelMapping;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly ingestService: IngestService,
    private readonly metrics: IngestMetrics,
  ) {
    this.mapping = new LabelMapping(config.SURGE_REMOTE_WRITE_TARGET_LABELS, config.SURGE_REMOTE_WRITE_METRIC_LABEL);
  }

  @Post()
  @HttpCode(204)
  @ApiOperation({ summary: 'Prometheus remote-write 1.0 receiver' })
  @ApiConsumes('application/x-protobuf', 'application/octet-stream')
  @ApiBody({
    required: true,
    description: 'A snappy-compressed protobuf prometheus.WriteRequest',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiResponse({ status: 204, description: 'every sample is in Kafka' })
  @ApiResponse({ status: 400, description: 'undecodable: Prometheus drops the write' })
  @ApiIngestRefusals()
  async write(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    if (!Buffer.isBuffer(request.body)) {
      this.metrics.rejected.inc({ source: 'remote_write', reason: 'undecodable' });
      throw new BadRequestException({
        error: 'undecodable',
        message: 'expected a snappy-compressed protobuf body (Content-Type: application/x-protobuf)',
      });
    }
    let decoded;
    try {
      decoded = decodeWriteRequest(request.body, this.config.SURGE_REMOTE_WRITE_MAX_DECODED_BYTES);
    } catch (error) {
      if (error instanceof DecodedTooLargeError) {
        this.metrics.rejected.inc({ source: 'remote_write', reason: 'decoded_too_large' });
        throw new PayloadTooLargeException({
          error: 'decoded_too_large',
          message: `${error.message}; nothing of this write was accepted, send smaller writes (queue_config.max_samples_per_send)`,
          issues: [{ path: 'body', message: `must decode to at most ${error.maxBytes} bytes` }],
        });
      }
      if (!(error instanceof UndecodablePayloadError)) throw error;
      this.metrics.rejected.inc({ source: 'remote_write', reason: 'undecodable' });
      throw new BadRequestException({ error: 'undecodable', message: error.message });
    }
    const count = countSamples(decoded);
    const maxSamples = this.config.SURGE_INGEST_MAX_SAMPLES_PER_REQUEST;
    if (count > maxSamples) {
      this.metrics.rejected.inc({ source: 'remote_write', reason: 'too_many_samples' }, count);
      throw new PayloadTooLargeException({
        error: 'too_many_samples',
        message: `${count} samples in one write, at most ${maxSamples} (SURGE_INGEST_MAX_SAMPLES_PER_REQUEST); send smaller writes (queue_config.max_samples_per_send)`,
        issues: [{ path: 'timeseries', message: `must hold at most ${maxSamples} samples` }],
      });
    }
    const result = samplesFromWriteRequest(
      decoded,
      this.mapping,
      Date.now() + this.config.SURGE_INGEST_MAX_FUTURE_MS,
      this.config.SURGE_INGEST_MAX_METRIC_NAME_LENGTH,
    );
    let total = result.samples.length;
    for (const [reason, count] of Object.entries(result.dropped)) {
      total += count;
      this.metrics.rejected.inc({ source: 'remote_write', reason }, count);
    }
    this.metrics.received.inc({ source: 'remote_write' }, total);
    this.metrics.batchSamples.observe({ source: 'remote_write' }, total);
    try {
      await this.ingestService.ingest(result.samples, 'remote_write', sourceOf(request), request.headers);
    } catch (error) {
      rethrowAsUnavailable(error, reply, this.config.SURGE_INGEST_RETRY_AFTER_SECONDS);
    }
  }
}
