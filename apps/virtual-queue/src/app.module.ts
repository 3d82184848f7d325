import { type DynamicModule, Module } from '@nestjs/common';
import type { TopicKey } from '@surge/contracts';
import { EXECUTOR_SIGNING } from '@surge/executor-framework';
import { KafkaModule } from '@surge/kafka';
import { ObservabilityModule } from '@surge/service-kit';
import { AdminController } from './admin/admin.controller';
import { RoomAdminService } from './admin/room-admin.service';
import { RoomConfigCache } from './admin/room-config.cache';
import { AdmitterService } from './admitter/admitter.service';
import { RoomReporterService } from './admitter/room-reporter.service';
import { VQ_CONFIG, type VirtualQueueConfig } from './config/virtual-queue.config';
import { RoomExecutorService } from './decisions/room-executor.service';
import { QueueEventsPublisher } from './events/queue-events.publisher';
import { QueueMetrics } from './events/queue-metrics';
import { WaitingRoomController } from './page/waiting-room.controller';
import { KnownRooms } from './rooms/known-rooms';
import { RoomsFileController } from './rooms/rooms-file.controller';
import { LostRoomsWatcher } from './rooms/lost-rooms.watcher';
import { RoomsFileService } from './rooms/rooms-file.service';
import { RoomsFileStore } from './rooms/rooms-file.store';
import { RedisProvider } from './redis/redis.provider';
import { AdmissionTokenService } from './tokens/admission-token.service';
import { SigningKeysService } from './tokens/signing-keys.service';
import { TokensController } from './tokens/tokens.controller';
import { TicketEventsStream } from './visitor/ticket-events.stream';
import { VisitorController } from './visitor/visitor.controller';
import { VisitorService } from './visitor/visitor.service';
import { JoinChallengeService } from './challenge/join-challenge.service';

/** What the queue reads and writes: room decisions and their results, queue events, samples, observed state. */
const QUEUE_TOPICS: TopicKey[] = [
  'decisions',
  'actions',
  'queueEvents',
  'samples',
  'observed',
  'deadLetter',
  'control',
  'alerts',
];

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
          operatorsFile: config.SURGE_OPERATORS_FILE,
          hotRoutes: [
            { path: 'v1/rooms/:room/join', method: 'POST' },
            { path: 'v1/rooms/:room/challenge', method: 'GET' },
            { path: 'v1/rooms/:room/tickets/:ticketId', method: 'GET' },
            { path: 'v1/rooms/:room/tickets/:ticketId/heartbeat', method: 'POST' },
          ],
        }),
        // Optional: with KAFKA_BROKERS unset the queue runs standalone, without decisions or events.
        // Signed as an executor's: the room executor verifies decisions and control events, signs observed state.
        KafkaModule.forRoot({
          config,
          clientId: 'virtual-queue',
          topics: QUEUE_TOPICS,
          optional: true,
          signing: EXECUTOR_SIGNING,
        }),
      ],
      controllers: [VisitorController, AdminController, RoomsFileController, TokensController, WaitingRoomController],
      providers: [
        { provide: VQ_CONFIG, useValue: config },
        RedisProvider,
        KnownRooms,
        RoomsFileStore,
        RoomsFileService,
        LostRoomsWatcher,
        SigningKeysService,
        AdmissionTokenService,
        RoomConfigCache,
        QueueMetrics,
        QueueEventsPublisher,
        VisitorService,
        JoinChallengeService,
        TicketEventsStream,
        RoomAdminService,
        AdmitterService,
        RoomReporterService,
        RoomExecutorService,
      ],
    };
  }
}
