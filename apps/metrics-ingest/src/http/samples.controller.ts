import {
  Body,
  Controller,
  HttpCode,
  Inject,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ApiZodBody, FieldValidationException } from '@surge/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INGEST_CONFIG, type IngestConfig, sampleLimitsOf } from '../config/ingest.config';
import { IngestMetrics } from '../ingest/ingest.metrics';
import { type IngestReceipt, IngestService } from '../ingest/ingest.service';
import { sampleBatchSchema } from '../samples/sample-batch.schema';
import { rejectionReason, SampleBatchValidator } from '../samples/sample-batch.validator';
import { ApiIngestRefusals } from './ingest-responses';
import { IngestTokenGuard, sourceOf } from './ingest-token.guard';
import { rethrowAsUnavailable } from './unavailable';

@Controller('v1/samples')
@UseGuards(IngestTokenGuard)
export class SamplesController {
  private readonly validator: SampleBatchValidator;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly ingestService: IngestService,
    private readonly metrics: IngestMetrics,
  ) {
    this.validator = new SampleBatchValidator(config.SURGE_INGEST_MAX_FUTURE_MS, sampleLimitsOf(config));
  }

  /** 202 means every sample of the batch is in Kafka; anything else means none of it may be counted on. */
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Write a batch of samples as JSON' })
  @ApiZodBody('SampleBatch', sampleBatchSchema)
  @ApiResponse({ status: 202, description: 'every sample is in Kafka: `{ samples, messages }`' })
  @ApiResponse({ status: 400, description: 'validation_failed: `issues` names every bad field; nothing was taken' })
  @ApiIngestRefusals()
  async post(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IngestReceipt> {
    const size = Array.isArray((body as { samples?: unknown })?.samples)
      ? (body as { samples: unknown[] }).samples.length
      : 0;
    this.metrics.received.inc({ source: 'json' }, size);
    this.metrics.batchSamples.observe({ source: 'json' }, size);
    const maxSamples = this.config.SURGE_INGEST_MAX_SAMPLES_PER_REQUEST;
    if (size > maxSamples) {
      this.metrics.rejected.inc({ source: 'json', reason: 'too_many_samples' }, size);
      throw new PayloadTooLargeException({
        error: 'too_many_samples',
        message: `${size} samples in one request, at most ${maxSamples} (SURGE_INGEST_MAX_SAMPLES_PER_REQUEST); nothing of this batch was accepted`,
        issues: [{ path: 'samples', message: `must hold at most ${maxSamples} samples` }],
      });
    }
    const result = this.validator.validate(body);
    if (!result.ok) {
      this.countRejected(result.issues, size);
      const what =
        result.uncheckedFrom !== undefined
          ? `${result.invalidSamples} invalid sample(s) in the first ${result.uncheckedFrom} of ${size}, the rest unchecked`
          : result.invalidSamples > 0
            ? `${result.invalidSamples} invalid sample(s)`
            : 'malformed batch';
      throw new FieldValidationException(result.issues, `${what}; nothing of this batch was accepted`);
    }
    try {
      return await this.ingestService.ingest(result.samples, 'json', sourceOf(request), request.headers);
    } catch (error) {
      rethrowAsUnavailable(error, reply, this.config.SURGE_INGEST_RETRY_AFTER_SECONDS);
    }
  }

  /** The whole batch is rejected; each sample is counted once, under the first field that was wrong with it. */
  private countRejected(issues: { path: string; message: string }[], batchSize: number): void {
    const reasonBySample = new Map<string, string>();
    for (const issue of issues) {
      const sample = issue.path.split('.').slice(0, 2).join('.');
      if (!reasonBySample.has(sample)) reasonBySample.set(sample, rejectionReason(issue));
    }
    for (const reason of reasonBySample.values()) this.metrics.rejected.inc({ source: 'json', reason });
    const innocent = batchSize - reasonBySample.size;
    if (innocent > 0) this.metrics.rejected.inc({ source: 'json', reason: 'batch_rejected' }, innocent);
  }
}
