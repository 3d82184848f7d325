import { z } from 'zod';
import { joinChallengeSettingSchema } from './join-challenge';

export const ROOM_MODES = ['queue', 'passthrough', 'closed'] as const;
export type RoomMode = (typeof ROOM_MODES)[number];

/** Room names become part of Redis keys and URLs, so they are kept to a safe, short alphabet. */
export const ROOM_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/** Bounded so a ticket record (`visitorId|lastSeen`) stays under Redis' 64-byte listpack value limit. */
export const VISITOR_ID = /^[A-Za-z0-9._:-]{1,48}$/;

/** The room's settings, without defaults: a patch must carry only what its sender named. */
const roomSettings = {
  mode: z.enum(ROOM_MODES),
  maxActive: z.number().int().min(0).max(10_000_000),
  admitPerMinute: z.number().int().min(0).max(10_000_000),
  sessionSeconds: z.number().int().min(10).max(86_400),
  heartbeatTimeoutSeconds: z.number().int().min(5).max(3600),
  /** Epoch ms; visitors who join earlier wait in a pre-queue that is shuffled at opening. */
  opensAt: z.number().int().nonnegative().nullable(),
  redirectUrl: z
    .string()
    .url()
    .refine((u) => /^https?:/.test(u), 'must be http(s)')
    .nullable(),
  /** The target id used when publishing queue_waiting samples; defaults to `virtual-queue/<room>`. */
  targetId: z.string().min(1).max(253),
  /** Proof of work on join (see join-challenge.ts); null, the default, lets joins in without one. */
  joinChallenge: joinChallengeSettingSchema.nullable(),
};

export const roomConfigSchema = z.object({
  mode: roomSettings.mode.default('queue'),
  maxActive: roomSettings.maxActive.default(100),
  admitPerMinute: roomSettings.admitPerMinute.default(600),
  sessionSeconds: roomSettings.sessionSeconds.default(600),
  heartbeatTimeoutSeconds: roomSettings.heartbeatTimeoutSeconds.default(60),
  opensAt: roomSettings.opensAt.default(null),
  redirectUrl: roomSettings.redirectUrl.default(null),
  targetId: roomSettings.targetId.optional(),
  joinChallenge: roomSettings.joinChallenge.default(null),
});
export type RoomConfig = z.output<typeof roomConfigSchema>;

/**
 * A partial update, as PUT /v1/admin/rooms/{room}, the rooms file and scale decisions send it. Built from the
 * settings without their defaults: zod applies a default even to an optional field, so `roomConfigSchema.partial()`
 * would fill every absent setting with its default and a PUT of one setting would reset all the others.
 */
export const roomConfigPatchSchema = z.object(roomSettings).partial().strict();
export type RoomConfigPatch = z.output<typeof roomConfigPatchSchema>;

/**
 * A join's body. The visitor id is the server's to choose (its signed cookie, or the ticket as a bearer credential);
 * one sent by a client, as older clients do, is accepted and ignored, so it can never name another visitor.
 */
export const joinRequestSchema = z.preprocess(
  (v) => v ?? {},
  z
    .object({
      visitorId: z.string().max(256).optional(),
      /** The join gate's signed challenge and the counter that solves it, when the room asks for one. */
      challenge: z.string().max(512).optional(),
      solution: z.string().max(32).optional(),
    })
    .strict(),
);

export function mergeRoomConfig(current: RoomConfig | null, patch: RoomConfigPatch): RoomConfig {
  const base = current ?? roomConfigSchema.parse({});
  const merged = { ...base };
  for (const [key, value] of Object.entries(patch))
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  return roomConfigSchema.parse(merged);
}

export function roomTargetId(room: string, config: Pick<RoomConfig, 'targetId'>): string {
  return config.targetId ?? `virtual-queue/${room}`;
}
