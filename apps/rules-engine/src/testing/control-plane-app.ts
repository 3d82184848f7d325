import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { kafkaEnv, loadConfig, signingEnv } from '@surge/config';
import { CONTROL_PLANE_SIGNING, ControlPlaneModule } from '@surge/control-plane';
import { KafkaModule } from '@surge/kafka';
import { createServiceApp, ObservabilityModule } from '@surge/service-kit';
import { testSigningEnv } from '@surge/signing/testing';
import { z } from 'zod';

/**
 * The control plane as the console's host mounts it (its HTTP API and the control topic's producer), on a free
 * port: the process environment, the control plane's signing keys, then the spec's topics on top. Its operators
 * are one admin token or an operators file.
 */
export async function startControlPlaneApp(
  auth: { adminToken: string } | { operatorsFile: string },
  env: Record<string, string>,
): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      ObservabilityModule.forRoot({ appName: 'control-plane-test', logLevel: 'warn', ...auth }),
      KafkaModule.forRoot({
        config: loadConfig('control-plane-test', z.object({ ...kafkaEnv, ...signingEnv }), {
          ...process.env,
          ...testSigningEnv('control-plane'),
          ...env,
        }),
        clientId: 'control-plane-test',
        topics: ['control'],
        signing: CONTROL_PLANE_SIGNING,
      }),
      ControlPlaneModule,
    ],
  })
  class ControlPlaneTestModule {}
  const app = await createServiceApp(ControlPlaneTestModule, { name: 'control-plane-test' });
  await app.listen(0, '127.0.0.1');
  return app;
}
