import type { TargetState } from './state';

/**
 * Folds the target's observed value of its setting (as its executor, or a trace, reported it) into the state:
 * it becomes the current value, and the setting's last sample, which a rule on the setting reads.
 * Ordered and idempotent by event time, so the rules engine can fold the stored observation at every load:
 * a value older than the one folded last, or the very same one, returns the state unchanged (the same object),
 * and a decision's value stays current until an observation newer than the last one folded says otherwise.
 */
export function foldObservedValue(state: TargetState, setting: string, value: number, time: number): TargetState {
  const known = state.samples[setting];
  if (known && (known.time > time || (known.time === time && known.value === value))) return state;
  return { ...state, current: value, samples: { ...state.samples, [setting]: { value, time } } };
}
