import { NAMED_SETTING_VALUES, TARGET_KIND_SETTINGS } from '@surge/contracts';
import type { RoomConfig, RoomConfigPatch, RoomMode } from './room-config';

/** Decisions carry numbers; a room's mode is encoded as 0 closed, 1 queue, 2 passthrough. */
export const MODE_CODES: readonly RoomMode[] = NAMED_SETTING_VALUES.mode;

/** The room's settings are the reserved names of its kind, so what it sets and what it reports cannot drift. */
export const DECISION_SETTINGS = TARGET_KIND_SETTINGS.VirtualQueue;
export type DecisionSetting = (typeof DECISION_SETTINGS)[number];

/** The most a room's `maxActive` or `admitPerMinute` can be set to (as in the room config schema). */
export const MAX_ROOM_CAPACITY = 10_000_000;

export type PatchResult =
  { ok: true; patch: RoomConfigPatch; before: number; after: number } | { ok: false; error: string };

export function currentValue(config: RoomConfig, setting: DecisionSetting): number {
  return setting === 'mode' ? MODE_CODES.indexOf(config.mode) : config[setting];
}

/** Turns a decision's `setting = to` into a room patch, refusing what the room cannot take. */
export function patchForDecision(config: RoomConfig, setting: string, to: number): PatchResult {
  if (!(DECISION_SETTINGS as readonly string[]).includes(setting))
    return { ok: false, error: `setting "${setting}" is not one of ${DECISION_SETTINGS.join(', ')}` };
  const key = setting as DecisionSetting;
  const value = Math.round(to);
  if (key === 'mode') {
    const mode = MODE_CODES[value];
    if (!mode) return { ok: false, error: `mode code ${to} is not 0 (closed), 1 (queue) or 2 (passthrough)` };
    return { ok: true, patch: { mode }, before: currentValue(config, key), after: value };
  }
  if (value < 0 || value > MAX_ROOM_CAPACITY)
    return { ok: false, error: `${key} ${to} is outside 0..${MAX_ROOM_CAPACITY}` };
  return { ok: true, patch: { [key]: value }, before: currentValue(config, key), after: value };
}
