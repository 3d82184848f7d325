import { z } from 'zod';

/**
 * The cache TTL profile convention (the runbooks' "increase cache TTLs"): the executor writes the active profile to a
 * Redis hash, applications read it when they set a TTL. Hash fields:
 *   level        the profile's index, the number decisions set (0 = normal)
 *   profile      its name
 *   ttl:<class>  seconds for each cache class the profile names (ttl:product, ttl:listing, …)
 *   updatedAt    epoch ms;  decisionId  the decision that chose it
 * Applications read `HGET <key> ttl:<class>` and fall back to their own default when the hash or field is missing.
 */
export const ttlProfilesOption = z
  .array(z.object({ name: z.string().min(1), ttls: z.record(z.string().min(1), z.number().int().positive()) }))
  .min(1);
export type TtlProfile = z.infer<typeof ttlProfilesOption>[number];

export const DEFAULT_PROFILE_KEY = 'surge:cache:ttl-profile';

export function profileFields(
  level: number,
  profile: TtlProfile,
  decisionId: string,
  now: number,
): Record<string, string> {
  const fields: Record<string, string> = {
    level: String(level),
    profile: profile.name,
    updatedAt: String(now),
    decisionId,
  };
  for (const [cacheClass, seconds] of Object.entries(profile.ttls)) fields[`ttl:${cacheClass}`] = String(seconds);
  return fields;
}
