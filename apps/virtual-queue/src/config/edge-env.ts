import { isIP } from 'node:net';
import { z } from 'zod';

const blankIsUnset = (v: unknown) => (v === '' ? undefined : v);

/** An address or CIDR block, as proxy-addr (Fastify's trustProxy) reads them. */
function isAddressOrCidr(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  if (rest.length > 0 || isIP(address) === 0) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/**
 * Which peers may say who the client is. Neither set (the default) means the socket's address is the client's:
 * X-Forwarded-For from anyone else is ignored, so a client cannot pick its own address for the per-IP join limit.
 */
export const edgeEnv = {
  SURGE_QUEUE_TRUSTED_PROXIES: z
    .preprocess(
      blankIsUnset,
      z
        .string()
        .refine((v) => v.split(',').every((e) => isAddressOrCidr(e.trim())), 'comma-separated IP addresses or CIDRs')
        .optional(),
    )
    .describe(
      'Proxies (comma-separated IPs/CIDRs) whose X-Forwarded-For names the client; unset trusts no proxy. ' +
        'Excludes SURGE_QUEUE_TRUSTED_HOPS',
    ),
  SURGE_QUEUE_TRUSTED_HOPS: z
    .preprocess(blankIsUnset, z.coerce.number().int().min(1).max(16).optional())
    .describe(
      'Number of proxy hops in front of the queue whose X-Forwarded-For entries are trusted; unset trusts none',
    ),
};

/** Fastify's trustProxy for these settings; false when no proxy is trusted. */
export function trustProxyOf(config: {
  SURGE_QUEUE_TRUSTED_PROXIES?: string;
  SURGE_QUEUE_TRUSTED_HOPS?: number;
}): string | number | undefined {
  if (config.SURGE_QUEUE_TRUSTED_PROXIES)
    return config.SURGE_QUEUE_TRUSTED_PROXIES.split(',')
      .map((e) => e.trim())
      .join(',');
  return config.SURGE_QUEUE_TRUSTED_HOPS;
}
