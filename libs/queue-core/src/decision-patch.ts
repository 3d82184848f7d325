import type { RoomConfig, RoomConfigPatch, RoomMode } from './room-config';

/** Decisions carry numbers; a room's mode is encoded as 0 closed, 1 queue, 2 passthrough. */
export const MODE_CODES: readonly RoomMode[] = ['closed', 'queue', 'passthrough'];

export const DECISION_SETTINGS = ['maxActive', 'admitPerMinute', 'mode'] as const;
export type DecisionSetting = (typeof DECISION_SETTINGS)[number];

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
  if (value < 0 || value > 10_000_000) return { ok: false, error: `${key} ${to} is outside 0..10000000` };
  return { ok: true, patch: { [key]: value }, before: currentValue(config, key), after: value };
}
