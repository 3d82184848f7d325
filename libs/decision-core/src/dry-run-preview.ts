import type { PolicyTarget, ScalingPolicy } from '@surge/policy';
import { runClaims } from './plan-claims';
import type { PreviewState, TargetState } from './state';

/**
 * A dry run's own copy of what its changes would have moved (TargetState.preview): its value, scale events and
 * recommendations, and its plans' runs. Its runs live there and nowhere else, so a live run never inherits the
 * holds of changes nobody made (leaving dry-run drops them), and a preview never takes a live run for its own.
 */
export function previewFields(state: TargetState): PreviewState {
  const { current, lastScaleTime, scaleUpEvents, scaleDownEvents, recommendations, plans } = state;
  return { current, lastScaleTime, scaleUpEvents, scaleDownEvents, recommendations, ...(plans ? { plans } : {}) };
}

/** The live fields a preview's evaluation leaves as they were: the preview's own are written to `preview`. */
export function liveFields(state: TargetState): PreviewState {
  return { ...previewFields(state), plans: state.plans };
}

/**
 * The state as the preview sees it; a preview not started yet, or whose value was unknown, starts from the live
 * value. Never from the live runs: those are of changes really made, the preview's are its own.
 */
export function previewView(live: TargetState): TargetState {
  const { preview, plans: _live, ...rest } = live;
  if (preview && preview.current !== null) return { ...rest, ...preview };
  return preview?.plans ? { ...rest, plans: preview.plans } : rest;
}

export function withoutPreview(state: TargetState): TargetState {
  const { preview: _preview, ...live } = state;
  return live;
}

/**
 * Where a dry run's own runs hold another target's setting: nothing moved it, so the live value is not where its
 * preview stands (a revert would read the live value and take the setting for someone else's).
 */
export function previewHeldValue(
  policy: ScalingPolicy,
  state: TargetState,
  target: Pick<PolicyTarget, 'kind' | 'id'>,
  setting: string,
): number | undefined {
  if (!policy.dryRun) return undefined;
  const claim = runClaims(policy, state).find(
    (c) => c.setting === setting && c.target.id === target.id && c.target.kind === target.kind,
  );
  return claim?.value;
}
