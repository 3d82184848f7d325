import { SERVICES, SHOP_PROXY_PORT } from '@surge/harness';
import { describe, expect, it } from 'vitest';
import { demoEnvironment } from './demo-environment';
import { portOf, portPlan } from './port-plan';

describe('npm start ports', () => {
  it('uses the well-known ports by default', async () => {
    const plan = await portPlan(false);
    for (const spec of SERVICES) expect(portOf(plan, spec.name)).toBe(spec.defaultPort);
    expect(plan.shop).toBe(SHOP_PROXY_PORT);
  });

  it('on free ports, gives every service and the shop a port of its own, and the services find each other', async () => {
    const plan = await portPlan(true);
    const ports = [...plan.services.values(), plan.shop];
    expect(new Set(ports).size).toBe(SERVICES.length + 1);
    const env = demoEnvironment('/repo', plan, 'redis://127.0.0.1:1');
    expect(env['SURGE_INGEST_URL']).toBe(`http://127.0.0.1:${portOf(plan, 'metrics-ingest')}`);
    expect(env['SURGE_QUEUE_URL']).toBe(`http://127.0.0.1:${portOf(plan, 'virtual-queue')}`);
    expect(env['SURGE_SHOP_PORT']).toBe(String(plan.shop));
  });
});
