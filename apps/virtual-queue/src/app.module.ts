import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@surge/service-kit';
import { AdminController } from './admin/admin.controller';
import { RoomAdminService } from './admin/room-admin.service';
import { RoomConfigCache } from './admin/room-config.cache';
import { AdmitterService } from './admitter/admitter.service';
import { RoomReporterService } from './admitter/room-reporter.service';
import { VQ_CONFIG, type VirtualQueueConfig } from './config/virtual-queue.config';
import { DecisionConsumerService } from './decisions/decision-consumer.service';
import { RoomDecisionApplier } from './decisions/room-decision.applier';
import { KafkaProvider } from './events/kafka.provider';
import { QueueEventsPublisher } from './events/queue-events.publisher';
import { QueueMetrics } from './events/queue-metrics';
import { WaitingRoomController } from './page/waiting-room.controller';
import { RedisProvider } from './redis/redis.provider';
import { AdmissionTokenService } from './tokens/admission-token.service';
import { SigningKeysService } from './tokens/signing-keys.service';
import { TokensController } from './tokens/tokens.controller';
import { TicketEventsStream } from './visitor/ticket-events.stream';
import { VisitorController } from './visitor/visitor.controller';
import { VisitorService } from './visitor/visitor.service';

@Module({})
export class AppModule {
  static forRoot(config: VirtualQueueConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({
          appName: 'virtual-queue',
          logLevel: config.LOG_LEVEL,
          adminToken: config.SURGE_ADMIN_TOKEN,
          hotRoutes: [
            { path: 'v1/rooms/:room/join', method: 'POST' },
            { path: 'v1/rooms/:room/tickets/:ticketId', method: 'GET' },
            { path: 'v1/rooms/:room/tickets/:ticketId/heartbeat', method: 'POST' },
          ],
        }),
      ],
      controllers: [VisitorController, AdminController, TokensController, WaitingRoomController],
      providers: [
        { provide: VQ_CONFIG, useValue: config },
        RedisProvider,
        KafkaProvider,
        SigningKeysService,
        AdmissionTokenService,
        RoomConfigCache,
        QueueMetrics,
        QueueEventsPublisher,
        VisitorService,
        TicketEventsStream,
        RoomAdminService,
        AdmitterService,
        RoomReporterService,
        RoomDecisionApplier,
        DecisionConsumerService,
      ],
    };
  }
}
