import { uncompressSync } from 'snappy';
import { METRIC_NAME, type MetricSample } from '@surge/contracts';
import { MAX_TARGET_LENGTH } from '../samples/sample-batch.validator';
import { type LabelMapping } from './label-mapping';
import { type DecodedWriteRequest, WriteRequestType } from './remote-write.schema';

export class UndecodablePayloadError extends Error {
  override readonly name = 'UndecodablePayloadError';
}

export type DroppedReason =
  | 'unmapped_series'
  | 'invalid_target'
  | 'invalid_metric_name'
  | 'non_finite_value'
  | 'invalid_timestamp'
  | 'future_timestamp';

export interface RemoteWriteResult {
  samples: MetricSample[];
  dropped: Partial<Record<DroppedReason, number>>;
}

/**
 * Remote-write 1.0 specifies snappy *block* format (not the framed stream format) around a serialized
 * WriteRequest. Anything that fails either step is the sender's bug, hence a 400 that Prometheus won't retry.
 */
export function decodeWriteRequest(body: Buffer): DecodedWriteRequest {
  let raw: Buffer;
  try {
    raw = uncompressSync(body, { asBuffer: true }) as Buffer;
  } catch (error) {
    throw new UndecodablePayloadError(`body is not snappy block-compressed: ${(error as Error).message}`);
  }
  try {
    return WriteRequestType.decode(raw) as unknown as DecodedWriteRequest;
  } catch (error) {
    throw new UndecodablePayloadError(`body is not a prometheus.WriteRequest: ${(error as Error).message}`);
  }
}

/**
 * Turns decoded series into Surge samples. Series and samples that cannot be Surge samples are dropped and
 * counted rather than failing the request: a Prometheus sends every series it has, most of them not meant for
 * Surge, and a 4xx would make it discard the good ones too. NaN values are Prometheus' staleness markers.
 */
export function samplesFromWriteRequest(
  request: DecodedWriteRequest,
  mapping: LabelMapping,
  maxTimestamp: number,
): RemoteWriteResult {
  const samples: MetricSample[] = [];
  const dropped: RemoteWriteResult['dropped'] = {};
  const drop = (reason: DroppedReason, count: number) => (dropped[reason] = (dropped[reason] ?? 0) + count);
  for (const series of request.timeseries) {
    const mapped = mapping.map(series.labels);
    if (!mapped) {
      drop('unmapped_series', series.samples.length);
      continue;
    }
    if (mapped.target.length > MAX_TARGET_LENGTH) {
      drop('invalid_target', series.samples.length);
      continue;
    }
    if (!METRIC_NAME.test(mapped.metric)) {
      drop('invalid_metric_name', series.samples.length);
      continue;
    }
    for (const sample of series.samples) {
      const timestamp = typeof sample.timestamp === 'number' ? sample.timestamp : sample.timestamp.toNumber();
      if (!Number.isFinite(sample.value)) drop('non_finite_value', 1);
      else if (!Number.isSafeInteger(timestamp) || timestamp < 0) drop('invalid_timestamp', 1);
      else if (timestamp > maxTimestamp) drop('future_timestamp', 1);
      else
        samples.push({
          schemaVersion: 1,
          target: mapped.target,
          metric: mapped.metric,
          value: sample.value,
          timestamp,
          labels: mapped.labels,
        });
    }
  }
  return { samples, dropped };
}
