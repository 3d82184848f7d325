import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@surge/kafka';
import { ObservabilityModule } from '@surge/service-kit';
import { NotifierMetrics } from './alertmanager/notifier-metrics';
import { NOTIFIER_CONFIG, type NotifierConfig } from './config/notifier.config';
import { AlertsConsumerService } from './consumer/alerts-consumer.service';
import { DeliveredMarks } from './delivery/delivered-marks';
import { AlertDelivery } from './firing/alert-delivery.service';
import { FiringStore } from './firing/firing-store';
import { RedisProvider } from './firing/redis.provider';
import { ResenderService } from './firing/resender.service';
import { NotifierStartupService } from './notifier-startup.service';
import { loadReceivers } from './receivers/load-receivers';
import { RECEIVER_SETTINGS, ReceiversProvider } from './receivers/receivers.provider';

@Module({})
export class NotifierModule {
  /**
   * The config is loaded once by the caller (main.ts, or a test); the topic names in force are part of it. The
   * receivers file and its secrets are read here, at boot: a bad one stops the app before it consumes anything.
   */
  static forRoot(config: NotifierConfig): DynamicModule {
    return {
      module: NotifierModule,
      imports: [
        ObservabilityModule.forRoot({ appName: 'notifier', logLevel: config.LOG_LEVEL }),
        KafkaModule.forRoot({ config, clientId: 'notifier', topics: ['alerts', 'deadLetter'] }),
      ],
      providers: [
        { provide: NOTIFIER_CONFIG, useValue: config },
        { provide: RECEIVER_SETTINGS, useValue: loadReceivers(config) },
        NotifierMetrics,
        RedisProvider,
        FiringStore,
        ReceiversProvider,
        DeliveredMarks,
        AlertDelivery,
        ResenderService,
        AlertsConsumerService,
        NotifierStartupService,
      ],
    };
  }
}
