import { uncompressSync } from 'snappy';
import { isReservedMetric, METRIC_NAME, type MetricSample } from '@surge/contracts';
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
  | 'reserved_metric'
  | 'non_finite_value'
  | 'invalid_timestamp'
  | 'future_timestamp';

export interface RemoteWriteResult {
  samples: MetricSample[];
  dropped: Partial<Record<DroppedReason, number>>;
}

/** A body whose decoded form would exceed the limit: refused (413) before a byte of it is decompressed. */
export class DecodedTooLargeError extends Error {
  override readonly name = 'DecodedTooLargeError';

  constructor(
    readonly decodedBytes: number,
    readonly maxBytes: number,
  ) {
    super(`body decodes to ${decodedBytes} bytes, at most ${maxBytes} (SURGE_REMOTE_WRITE_MAX_DECODED_BYTES)`);
  }
}

/**
 * The uncompressed length a snappy block announces in its header (a little-endian base-128 varint of at most 32
 * bits). Decompression allocates that much up front, so this is what a snappy bomb must be stopped by.
 */
export function snappyDecodedLength(body: Buffer): number {
  let length = 0;
  for (let i = 0; i < 5 && i < body.length; i++) {
    const byte = body[i]!;
    length += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return length;
  }
  throw new UndecodablePayloadError('body is not snappy block-compressed: bad length header');
}

/**
 * Remote-write 1.0 specifies snappy *block* format (not the framed stream format) around a serialized
 * WriteRequest. Anything that fails either step is the sender's bug, hence a 400 that Prometheus won't retry.
 * The decoded size is checked from the header first, then protobuf decoding works on at most that many bytes.
 */
export function decodeWriteRequest(body: Buffer, maxDecodedBytes = Number.MAX_SAFE_INTEGER): DecodedWriteRequest {
  const decodedBytes = snappyDecodedLength(body);
  if (decodedBytes > maxDecodedBytes) throw new DecodedTooLargeError(decodedBytes, maxDecodedBytes);
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

export function countSamples(request: DecodedWriteRequest): number {
  let count = 0;
  for (const series of request.timeseries) count += series.samples.length;
  return count;
}

/**
 * Turns decoded series into Surge samples. Series and samples that cannot be Surge samples are dropped and
 * counted rather than failing the request: a Prometheus sends every series it has, most of them not meant for
 * Surge, and a 4xx would make it discard the good ones too. NaN values are Prometheus' staleness markers.
 * The series' labels are not copied into the samples: the engine keys everything by (target, metric), the labels
 * that name the target are already in its id, and the rest (pod, instance, le, …) would only repeat in every
 * sample of every message, up to the whole label set of a scrape per sample, for nothing that reads them.
 */
export function samplesFromWriteRequest(
  request: DecodedWriteRequest,
  mapping: LabelMapping,
  maxTimestamp: number,
  maxMetricNameLength = 200,
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
    if (mapped.metric.length > maxMetricNameLength || !METRIC_NAME.test(mapped.metric)) {
      drop('invalid_metric_name', series.samples.length);
      continue;
    }
    // A target's settings come from its executor only; the rest of the write is still taken.
    if (isReservedMetric(mapped.metric)) {
      drop('reserved_metric', series.samples.length);
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
        });
    }
  }
  return { samples, dropped };
}
