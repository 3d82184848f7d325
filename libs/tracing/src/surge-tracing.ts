import {
  context,
  type Context,
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { type TraceCarrier, traceCarrierGetter } from './trace-carrier';

export interface TracingOptions {
  serviceName: string;
  /** The OTLP/HTTP traces URL (`otlpTracesUrl` of the app's config); undefined: tracing off. */
  tracesUrl: string | undefined;
}

export interface SpanOptions {
  parent?: SpanContext;
  links?: SpanContext[];
  kind?: SpanKind;
  attributes?: Record<string, string | number | boolean>;
}

const propagator = new W3CTraceContextPropagator();

/**
 * The app's one tracer. Callers test `enabled` first and skip all tracing work when it is false, so an app
 * without an OTLP endpoint pays one boolean check where a span would start. Spans leave in batches every second
 * (a decision should be visible while it is still news) and are flushed at shutdown.
 */
export class SurgeTracing {
  static readonly OFF = new SurgeTracing(undefined, undefined);

  private constructor(
    private readonly provider: TracerProvider | undefined,
    private readonly tracer: Tracer | undefined,
    private readonly contextManager?: AsyncLocalStorageContextManager,
  ) {}

  static start(options: TracingOptions): SurgeTracing {
    if (!options.tracesUrl) return SurgeTracing.OFF;
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': options.serviceName }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: options.tracesUrl }),
          scheduledDelayMillis: 1000,
        }),
      ],
    });
    // The active span follows async work (a batch's evaluation down to its decisions' publish) only through a
    // context manager: registered only when tracing is on, so an app without it keeps the no-op one.
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    return new SurgeTracing(provider, provider.getTracer('surge'), contextManager);
  }

  get enabled(): boolean {
    return this.tracer !== undefined;
  }

  /** The valid W3C trace context `headers` carry, if any. */
  spanContextOf(headers: TraceCarrier | undefined): SpanContext | undefined {
    if (!headers) return undefined;
    const found = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, traceCarrierGetter));
    return found && isSpanContextValid(found) ? found : undefined;
  }

  startSpan(name: string, options: SpanOptions = {}): Span {
    const parent = options.parent ? trace.setSpanContext(ROOT_CONTEXT, options.parent) : ROOT_CONTEXT;
    const links: Link[] | undefined = options.links?.map((linked) => ({ context: linked }));
    return this.tracer!.startSpan(
      name,
      { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links },
      parent,
    );
  }

  /** Runs `work` with `span` active, ending it when `work` settles (marked as an error when it throws). */
  async within<T>(span: Span, work: () => Promise<T>): Promise<T> {
    try {
      return await context.with(trace.setSpan(context.active(), span), work);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }

  /** The headers that carry `span`'s context to the next service. */
  headersOf(span: Span): Record<string, string> {
    return this.headersOfContext(trace.setSpan(ROOT_CONTEXT, span));
  }

  /** The headers of the span active here (see `within`); undefined when tracing is off or none is. */
  activeHeaders(): Record<string, string> | undefined {
    if (!this.enabled || !trace.getSpan(context.active())) return undefined;
    return this.headersOfContext(context.active());
  }

  /** Exports what is still buffered; the app closes it at shutdown, after its producers have flushed. */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown();
    this.contextManager?.disable();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shutdown();
  }

  private headersOfContext(active: Context): Record<string, string> {
    const headers: Record<string, string> = {};
    propagator.inject(active, headers, { set: (carrier, key, value) => (carrier[key] = value) });
    return headers;
  }
}

export { SpanKind, SpanStatusCode, type Span, type SpanContext };
