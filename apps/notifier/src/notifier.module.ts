import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@surge/kafka';
import { ObservabilityModule } from '@surge/service-kit';
import { AlertmanagerClient } from './alertmanager/alertmanager.client';
import { NotifierMetrics } from './alertmanager/notifier-metrics';
import { NOTIFIER_CONFIG, type NotifierConfig } from './config/notifier.config';
import { AlertsConsumerService } from './consumer/alerts-consumer.service';
import { AlertDelivery } from './firing/alert-delivery.service';
import { FiringStore } from './firing/firing-store';
import { RedisProvider } from './firing/redis.provider';
import { ResenderService } from './firing/resender.service';
import { NotifierStartupService } from './notifier-startup.service';

@Module({})
export class NotifierModule {
  /** The config is loaded once by the caller (main.ts, or a test); the topic names in force are part of it. */
  static forRoot(config: NotifierConfig): DynamicModule {
    return {
      module: NotifierModule,
      imports: [
        ObservabilityModule.forRoot({ appName: 'notifier', logLevel: config.LOG_LEVEL }),
        KafkaModule.forRoot({ config, clientId: 'notifier', topics: ['alerts', 'deadLetter'] }),
      ],
      providers: [
        { provide: NOTIFIER_CONFIG, useValue: config },
        NotifierMetrics,
        RedisProvider,
        FiringStore,
        AlertmanagerClient,
        AlertDelivery,
        ResenderService,
        AlertsConsumerService,
        NotifierStartupService,
      ],
    };
  }
}
