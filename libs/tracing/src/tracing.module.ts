import { type DynamicModule, Global, Module } from '@nestjs/common';
import { otlpTracesUrl, type TracingConfig } from '@surge/config';
import { SurgeTracing } from './surge-tracing';

export interface TracingModuleOptions {
  /** The spans' service.name unless OTEL_SERVICE_NAME says otherwise. */
  appName: string;
  config: TracingConfig;
}

/** Global: the app's one SurgeTracing, built from its validated config at boot and flushed at shutdown. */
@Global()
@Module({})
export class TracingModule {
  static forRoot(options: TracingModuleOptions): DynamicModule {
    return {
      module: TracingModule,
      providers: [
        {
          provide: SurgeTracing,
          useFactory: () =>
            SurgeTracing.start({
              serviceName: options.config.OTEL_SERVICE_NAME ?? options.appName,
              tracesUrl: otlpTracesUrl(options.config),
            }),
        },
      ],
      exports: [SurgeTracing],
    };
  }
}
