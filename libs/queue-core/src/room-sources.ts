import { mergeRoomConfig, roomConfigSchema, type RoomConfig, type RoomConfigPatch } from './room-config';

/** Who set a room's setting last: the rooms file is the base, admin changes and decisions apply on top of it. */
export const CONFIG_SOURCES = ['file', 'admin', 'decision'] as const;
export type ConfigSource = (typeof CONFIG_SOURCES)[number];

export type RoomSetting = keyof RoomConfig;
export const ROOM_SETTINGS = Object.keys(roomConfigSchema.shape) as RoomSetting[];

/** Per setting, the source that set it last; a setting no source set yet holds the room default. */
export type SettingSources = Partial<Record<RoomSetting, ConfigSource>>;

export interface RoomState {
  config: RoomConfig;
  sources: SettingSources;
}

export interface ConfigChange extends RoomState {
  /** The settings whose value changed, in schema order. */
  changed: RoomSetting[];
}

/**
 * An admin change or a decision on top of what the room has: only the settings the patch names change, and only
 * they take the patch's source, so a PUT of one setting leaves every other setting and its source as it was.
 */
export function applyPatch(current: RoomState | null, patch: RoomConfigPatch, source: ConfigSource): ConfigChange {
  const config = mergeRoomConfig(current?.config ?? null, patch);
  const sources: SettingSources = { ...current?.sources };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) sources[key as RoomSetting] = source;
  return { config, sources, changed: changedSettings(current?.config ?? null, config) };
}

/**
 * The rooms file applied to a room. A room that is missing is created from its entry. An existing room takes the
 * file's value (or the default, for a setting the entry leaves out) for every setting the file set last or nobody
 * set, and keeps the settings an operator or a decision set since: those are `kept`, so a reload never silently
 * undoes an operator's change.
 */
export function applyFileEntry(
  current: RoomState | null,
  entry: RoomConfigPatch,
): ConfigChange & { kept: RoomSetting[] } {
  const fromFile = mergeRoomConfig(null, entry);
  const kept = current ? ROOM_SETTINGS.filter((s) => current.sources[s] && current.sources[s] !== 'file') : [];
  const config = { ...fromFile } as Record<RoomSetting, unknown>;
  for (const setting of kept) config[setting] = current!.config[setting];
  const merged = roomConfigSchema.parse(config);
  const sources: SettingSources = {};
  for (const setting of ROOM_SETTINGS) sources[setting] = kept.includes(setting) ? current!.sources[setting] : 'file';
  return { config: merged, sources, changed: changedSettings(current?.config ?? null, merged), kept };
}

function changedSettings(before: RoomConfig | null, after: RoomConfig): RoomSetting[] {
  // By value: a setting may be an object (joinChallenge), a fresh one on every parse.
  return ROOM_SETTINGS.filter((s) => before === null || JSON.stringify(before[s]) !== JSON.stringify(after[s]));
}
