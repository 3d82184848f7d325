import { Root, type Type } from 'protobufjs';

/**
 * The parts of Prometheus' remote-write 1.0 schema Surge reads, as a protobufjs JSON descriptor taken from
 * prometheus/prompb remote.proto and types.proto (package `prometheus`, same field numbers). Fields Surge does
 * not use (TimeSeries.exemplars = 3, TimeSeries.histograms = 4, WriteRequest.metadata = 3) are left out on
 * purpose: protobuf decoders skip unknown fields, so payloads carrying them still decode.
 * It is a descriptor in TypeScript rather than a .proto file so the build ships it without a copy step.
 */
const descriptor = {
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } },
          reserved: [[2, 2]],
        },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
};

export const WriteRequestType: Type = Root.fromJSON(descriptor).lookupType('prometheus.WriteRequest');

export interface DecodedSample {
  value: number;
  /** int64 on the wire: a Long when the `long` package is present, else a number. */
  timestamp: number | { toNumber(): number };
}

export interface DecodedSeries {
  labels: { name: string; value: string }[];
  samples: DecodedSample[];
}

export interface DecodedWriteRequest {
  timeseries: DecodedSeries[];
}
