import { serialize } from 'prometheus-remote-write';
import { compressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { LabelMapping, parseTargetRules } from './label-mapping';
import {
  DecodedTooLargeError,
  decodeWriteRequest,
  samplesFromWriteRequest,
  snappyDecodedLength,
  UndecodablePayloadError,
} from './remote-write.decoder';

const mapping = new LabelMapping(parseTargetRules('surge_target,namespace/deployment,namespace/job'));
const T = 1_700_000_000_000;

// prometheus-remote-write's types describe one series; its serializer takes the WriteRequest shape.
async function payload(
  timeseries: { labels: { name: string; value: string }[]; samples: { value: number; timestamp: number }[] }[],
) {
  return compressSync(Buffer.from((await serialize({ timeseries } as never)) as unknown as Uint8Array));
}
const labels = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));

describe('remote-write decoding', () => {
  it.each([
    [
      'explicit surge_target wins',
      { __name__: 'up', surge_target: 'db/main', namespace: 'shop', deployment: 'api' },
      'db/main',
    ],
    ['namespace/deployment', { __name__: 'up', namespace: 'shop', deployment: 'api', job: 'x' }, 'shop/api'],
    ['namespace/job when there is no deployment', { __name__: 'up', namespace: 'shop', job: 'worker' }, 'shop/worker'],
    ['no rule matches', { __name__: 'up', job: 'worker' }, null],
    ['empty label value does not match', { __name__: 'up', surge_target: '', namespace: 'a', job: 'b' }, 'a/b'],
  ])('maps %s', async (_name, seriesLabels, target) => {
    const request = decodeWriteRequest(
      await payload([{ labels: labels(seriesLabels), samples: [{ value: 7, timestamp: T }] }]),
    );
    const result = samplesFromWriteRequest(request, mapping, T + 1000);
    if (target === null) {
      expect(result).toEqual({ samples: [], dropped: { unmapped_series: 1 } });
    } else {
      // The series' labels stay out of the sample: only the target and metric they name are kept.
      expect(result.samples).toEqual([
        { schemaVersion: 1, target, metric: seriesLabels.__name__, value: 7, timestamp: T },
      ]);
    }
  });

  it('drops staleness markers, future samples and bad metric names, counting each', async () => {
    const series = [
      {
        labels: labels({ __name__: 'queue_depth', surge_target: 'q/a' }),
        samples: [
          { value: NaN, timestamp: T },
          { value: 3, timestamp: T + 10_000 },
          { value: 4, timestamp: T - 5 },
        ],
      },
      { labels: labels({ __name__: 'bad-name', surge_target: 'q/a' }), samples: [{ value: 1, timestamp: T }] },
    ];
    const result = samplesFromWriteRequest(decodeWriteRequest(await payload(series)), mapping, T + 1000);
    expect(result.samples.map((s) => [s.metric, s.value, s.timestamp])).toEqual([['queue_depth', 4, T - 5]]);
    expect(result.dropped).toEqual({ non_finite_value: 1, future_timestamp: 1, invalid_metric_name: 1 });
  });

  it("drops a target's settings, which only its executor reports, and keeps the rest of the write", async () => {
    const series = [
      { labels: labels({ __name__: 'replicas', surge_target: 'shop/web' }), samples: [{ value: 1e6, timestamp: T }] },
      {
        labels: labels({ __name__: 'default_pool_size', surge_target: 'db/pool' }),
        samples: [
          { value: 1, timestamp: T },
          { value: 2, timestamp: T + 1 },
        ],
      },
      {
        labels: labels({ __name__: 'cpu_utilization', surge_target: 'shop/web' }),
        samples: [{ value: 80, timestamp: T }],
      },
    ];
    const result = samplesFromWriteRequest(decodeWriteRequest(await payload(series)), mapping, T + 1000);
    expect(result.samples.map((s) => [s.target, s.metric, s.value])).toEqual([['shop/web', 'cpu_utilization', 80]]);
    expect(result.dropped).toEqual({ reserved_metric: 3 });
  });

  it.each([
    ['not snappy', Buffer.from('hello world, definitely not snappy')],
    ['snappy around garbage protobuf', compressSync(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]))],
  ])('rejects %s as undecodable', (_name, body) => {
    expect(() => decodeWriteRequest(body)).toThrow(UndecodablePayloadError);
  });

  it.each([[''], ['a//b'], ['ok,bad-label']])('refuses the label rule spec %j', (spec) => {
    expect(() => parseTargetRules(spec)).toThrow();
  });

  it('reads the decoded size from the snappy header, as snappy itself does', () => {
    for (const size of [0, 1, 127, 128, 300_000, 5 * 1024 * 1024])
      expect(snappyDecodedLength(compressSync(Buffer.alloc(size, 7)))).toBe(size);
  });

  it('refuses a body that would decode past the limit before decompressing it', () => {
    // 16 MiB of zeros compress to ~770 KB; the limit is checked against the header, so nothing is allocated.
    const bomb = compressSync(Buffer.alloc(16 * 1024 * 1024));
    expect(() => decodeWriteRequest(bomb, 4 * 1024 * 1024)).toThrow(DecodedTooLargeError);
    // A forged header announcing 4 GiB with no data behind it is refused the same way.
    const forged = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
    expect(() => decodeWriteRequest(forged, 4 * 1024 * 1024)).toThrow(/decodes to 4294967295 bytes, at most 4194304/);
  });

  it('matches the metric-name length limit', async () => {
    const series = [
      { labels: labels({ __name__: 'm'.repeat(201), surge_target: 'q/a' }), samples: [{ value: 1, timestamp: T }] },
    ];
    const result = samplesFromWriteRequest(decodeWriteRequest(await payload(series)), mapping, T + 1000, 200);
    expect(result).toEqual({ samples: [], dropped: { invalid_metric_name: 1 } });
  });
});
