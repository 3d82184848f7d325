import type { ImportNotes } from './import-notes';
import { isObject, listAt, type RawObject } from './import-values';
import { parseQuantity } from './k8s-quantity';

const DIRECTIONS = ['scaleUp', 'scaleDown'] as const;
const RULE_FIELDS = ['stabilizationWindowSeconds', 'selectPolicy', 'policies', 'tolerance'];
const RATE_FIELDS = ['type', 'value', 'periodSeconds'];

/**
 * HPA's `behavior` (autoscaling/v2 HorizontalPodAutoscalerBehavior), as Surge's, which has the same fields.
 * Returns undefined when there is none: a policy without `behavior` takes HPA's legacy path, `{}` the defaults,
 * so the difference is kept.
 */
export function importBehavior(raw: unknown, path: string, notes: ImportNotes): RawObject | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) {
    notes.drop(path, 'not a map');
    return undefined;
  }
  notes.dropUnknown(raw, DIRECTIONS, path, 'not a field of HPA behavior');
  const behavior: RawObject = {};
  for (const direction of DIRECTIONS) {
    const rules = raw[direction];
    if (rules === undefined || rules === null) continue;
    if (!isObject(rules)) notes.drop(`${path}.${direction}`, 'not a map');
    else behavior[direction] = importRules(rules, `${path}.${direction}`, notes);
  }
  return behavior;
}

function importRules(raw: RawObject, path: string, notes: ImportNotes): RawObject {
  notes.dropUnknown(raw, RULE_FIELDS, path, 'not a field of HPAScalingRules');
  const rules: RawObject = {};
  if (raw.stabilizationWindowSeconds !== undefined) rules.stabilizationWindowSeconds = raw.stabilizationWindowSeconds;
  if (raw.selectPolicy !== undefined) rules.selectPolicy = raw.selectPolicy;
  if (raw.policies !== undefined)
    rules.policies = listAt(raw.policies).map((policy, index) => {
      const rate = isObject(policy) ? policy : {};
      notes.dropUnknown(rate, RATE_FIELDS, `${path}.policies.${index}`, 'not a field of HPAScalingPolicy');
      return { type: rate.type, value: rate.value, periodSeconds: rate.periodSeconds };
    });
  if (raw.tolerance !== undefined) {
    // A Quantity in the API (KEP-4951): `0.05` and `50m` are the same tolerance.
    try {
      rules.tolerance = parseQuantity(raw.tolerance);
    } catch (error) {
      notes.drop(`${path}.tolerance`, (error as Error).message);
    }
  }
  return rules;
}
