import 'reflect-metadata';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { buildOpenApiDocument } from '@surge/service-kit';
import { auditLogEnv } from '../../../apps/audit-log/src/config/audit-log.config';
import { ConsoleHostModule } from '../../../apps/audit-log/src/console-host.module';
import { SHOP_OPENAPI } from '../../../apps/demo-shop/src/shop.openapi';
import { POOL_ADMIN_OPENAPI } from '../../../apps/local-pool/src/admin/pool-admin.openapi';
import { AppModule as IngestModule } from '../../../apps/metrics-ingest/src/app.module';
import { ingestEnv } from '../../../apps/metrics-ingest/src/config/ingest.config';
import { rulesEngineEnv } from '../../../apps/rules-engine/src/config/rules-engine.config';
import { RulesEngineModule } from '../../../apps/rules-engine/src/rules-engine.module';
import { AppModule as QueueModule } from '../../../apps/virtual-queue/src/app.module';
import {
  type VirtualQueueConfig,
  virtualQueueConfigSchema,
} from '../../../apps/virtual-queue/src/config/virtual-queue.config';

/**
 * Settings that only let each module be built: the document depends on none of their values (a test compares
 * it with what the running service serves). Nothing connects: the apps are created in preview mode.
 */
const DOCUMENT_ENV = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://surge@127.0.0.1:5432/surge',
  SURGE_ADMIN_TOKEN: 'openapi-document-admin-token-0123456789abcdef',
  SURGE_INGEST_OPEN: 'true',
  VQ_KEY_ENCRYPTION_KEY_FILE: '/dev/null',
};

export interface ApiSource {
  /** docs/api/<file>.openapi.json and <file>.md */
  file: string;
  /** What the service is, for the index. */
  summary: string;
  /** How the document is made: generated from the controllers, or written by hand and checked by a test. */
  origin: 'generated' | 'hand-written';
  document(): Promise<object>;
}

/**
 * The document `createServiceApp` serves, from the same module, built in preview mode: Nest reads the modules
 * and controllers but instantiates no provider, so no client is created and nothing is connected to.
 */
async function nestDocument(name: string, module: DynamicModule, consoleSessions: boolean): Promise<object> {
  @Module({ imports: [module] })
  class DocumentRoot {}
  const app = await NestFactory.create(DocumentRoot as Type, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app, { name, consoleSessions });
  } finally {
    await app.close();
  }
}

export const API_SOURCES: ApiSource[] = [
  {
    file: 'metrics-ingest',
    summary: 'Samples in: JSON batches and Prometheus remote-write',
    origin: 'generated',
    document: () => nestDocument('metrics-ingest', IngestModule.forRoot(ingestEnv.parse(DOCUMENT_ENV)), false),
  },
  {
    file: 'rules-engine',
    summary: "The engine's read API: each target's status, the policies in force",
    origin: 'generated',
    document: () => nestDocument('rules-engine', RulesEngineModule.forRoot(rulesEngineEnv.parse(DOCUMENT_ENV)), false),
  },
  {
    file: 'virtual-queue',
    summary: 'The waiting room: join, ticket status, admission tokens, room administration',
    origin: 'generated',
    document: () =>
      nestDocument(
        'virtual-queue',
        QueueModule.forRoot(virtualQueueConfigSchema.parse(DOCUMENT_ENV) as VirtualQueueConfig),
        false,
      ),
  },
  {
    file: 'audit-log',
    summary: "The audit trail's read API and stream, console sessions, and the control API it hosts",
    origin: 'generated',
    document: () => nestDocument('audit-log', ConsoleHostModule.forRoot(auditLogEnv.parse(DOCUMENT_ENV)), true),
  },
  {
    file: 'local-pool',
    summary: "The LocalPool target's admin API (node:http), which executor-localpool drives",
    origin: 'hand-written',
    document: () => Promise.resolve(POOL_ADMIN_OPENAPI),
  },
  {
    file: 'demo-shop',
    summary: 'The demo ticket shop (node:http) and its load-shedding admin API',
    origin: 'hand-written',
    document: () => Promise.resolve(SHOP_OPENAPI),
  },
];
