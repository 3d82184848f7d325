import { z } from 'zod';

const unsetWhenEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

/**
 * OpenTelemetry's own variable names (the OTLP exporter spec), so a deployment's usual settings work as they are.
 * Neither endpoint set: tracing is off and costs nothing.
 */
export const tracingEnv = {
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetWhenEmpty(z.string().url().optional()).describe(
    'OTLP/HTTP base URL of a collector, e.g. http://127.0.0.1:4318: spans are exported to `<url>/v1/traces`. With neither OTLP endpoint set, tracing is off',
  ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: unsetWhenEmpty(z.string().url().optional()).describe(
    'Full OTLP/HTTP traces URL, used as is; takes precedence over OTEL_EXPORTER_OTLP_ENDPOINT',
  ),
  OTEL_SERVICE_NAME: unsetWhenEmpty(z.string().min(1).optional()).describe(
    "The spans' service.name; defaults to the app's name",
  ),
};

export interface TracingConfig {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  OTEL_SERVICE_NAME?: string;
}

/** Where spans go, as the OTLP exporter spec derives it; undefined when tracing is off. */
export function otlpTracesUrl(config: TracingConfig): string | undefined {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
}
