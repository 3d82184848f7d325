/**
 * Settings whose numbers stand for names: decisions carry numbers, policies may write the names. The index is the
 * code (a room's mode 0 closed, 1 queue, 2 passthrough), so this list is the one place the codes are defined.
 * A cache's `ttl_profile` is not here: its profiles are named per target, in the targets file.
 */
export const NAMED_SETTING_VALUES = {
  mode: ['closed', 'queue', 'passthrough'],
} as const satisfies Record<string, readonly string[]>;

/** The code of a named value of a setting, or undefined when the setting has no such name. */
export function namedSettingCode(setting: string, name: string): number | undefined {
  const names = (NAMED_SETTING_VALUES as Record<string, readonly string[]>)[setting];
  const code = names?.indexOf(name) ?? -1;
  return code >= 0 ? code : undefined;
}
