import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@surge/kafka';
import { ObservabilityModule } from '@surge/service-kit';
import { TracingModule } from '@surge/tracing';
import { IngestCredentials } from './auth/ingest-credentials';
import { INGEST_CONFIG, type IngestConfig } from './config/ingest.config';
import { RemoteWriteController } from './http/remote-write.controller';
import { SamplesController } from './http/samples.controller';
import { IngestMetrics } from './ingest/ingest.metrics';
import { IngestService } from './ingest/ingest.service';
import { SampleProducer } from './ingest/sample-producer.service';

@Module({})
export class AppModule {
  /** The config is loaded once by the caller (main.ts, or a test) and handed in, never re-read from env. */
  static forRoot(config: IngestConfig): DynamicModule {
    // Built here, at boot, so a missing or weak credential stops ingest before it listens.
    const credentials = IngestCredentials.fromSettings(config);
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({
          appName: 'metrics-ingest',
          logLevel: config.LOG_LEVEL,
          hotRoutes: [
            { path: 'v1/samples', method: 'POST' },
            { path: 'api/v1/write', method: 'POST' },
          ],
        }),
        TracingModule.forRoot({ appName: 'metrics-ingest', config }),
        KafkaModule.forRoot({
          config,
          clientId: 'surge-metrics-ingest',
          topics: ['samples'],
          connect: 'in-background',
        }),
      ],
      controllers: [SamplesController, RemoteWriteController],
      providers: [
        { provide: INGEST_CONFIG, useValue: config },
        { provide: IngestCredentials, useValue: credentials },
        IngestMetrics,
        SampleProducer,
        IngestService,
      ],
    };
  }
}
