import { freePorts, SERVICES, SHOP_PROXY_PORT } from '@surge/harness';

/** The port of every service `npm start` runs, by name, and of the shop's proxy. */
export interface PortPlan {
  services: ReadonlyMap<string, number>;
  shop: number;
}

/**
 * The well-known ports (8080 for the console, …) a newcomer's bookmarks expect, or, with `free`, a port the
 * kernel hands out for each, so runs side by side (the e2e test next to a developer's `npm start`) never meet.
 * Never fixed offsets: a port picked by arithmetic can fall in the ephemeral range, where an outgoing connection
 * of any process on a busy machine may hold it.
 */
export async function portPlan(free: boolean): Promise<PortPlan> {
  if (!free) return { services: new Map(SERVICES.map((spec) => [spec.name, spec.defaultPort])), shop: SHOP_PROXY_PORT };
  const ports = await freePorts(SERVICES.length + 1);
  return {
    services: new Map(SERVICES.map((spec, index) => [spec.name, ports[index]!])),
    shop: ports[SERVICES.length]!,
  };
}

export function portOf(plan: PortPlan, service: string): number {
  const port = plan.services.get(service);
  if (port === undefined) throw new Error(`no port planned for ${service}`);
  return port;
}
