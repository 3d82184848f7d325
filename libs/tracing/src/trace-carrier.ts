import type { TextMapGetter } from '@opentelemetry/api';

/** Kafka record headers (kafkajs gives Buffers) or HTTP request headers (strings): either carries a traceparent. */
export type TraceCarrier = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

const text = (value: Buffer | string): string => (typeof value === 'string' ? value : value.toString('utf8'));

/** Reads W3C trace context from either kind of headers; the propagator asks only for `traceparent`/`tracestate`. */
export const traceCarrierGetter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.map(text) : text(value);
  },
};
