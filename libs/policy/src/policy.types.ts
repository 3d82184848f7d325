import type { CompiledExpression } from './expression';
import type { RuleSeverity } from './severity';

/** The normalized policy the decision core reads: every default filled in, every duration in seconds. */
export interface ScalingPolicy {
  name: string;
  /** Hash of this normalized document: decisions name the exact policy that made them. */
  version: string;
  /** Where it was loaded from, for error messages and explanations. */
  source?: string;
  target: PolicyTarget;
  /** Other targets whose samples also feed this policy: a pool sized by the load of the app that uses it. */
  metricsFrom: string[];
  /** The one value the policy scales: `replicas`, `default_pool_size`, `maxmemory`, `maxActive`, … */
  setting: string;
  min: number;
  max: number;
  /** The setting moves in multiples of `step` (1 for replicas). */
  step: number;
  metrics: MetricTarget[];
  rules: ThresholdRule[];
  behavior: Behavior;
  /**
   * The policy names no `behavior` at all: HPA then takes its legacy path (normalizeDesiredReplicas), the
   * highest recommendation of the last 5 minutes and a scale-up of at most max(2 × current, 4) per 15 s sync,
   * rather than the behavior defaults. Left out (not false) otherwise, so the versions of other policies stay.
   */
  legacyBehavior?: true;
  schedules: Schedule[];
  /** Largest change a single decision may make, in units of the setting. */
  maxStep?: number;
  /** A metric without a sample for longer than this counts as missing. */
  metricStalenessSeconds: number;
  paused: boolean;
  dryRun: boolean;
}

export interface PolicyTarget {
  id: string;
  kind: string;
  namespace?: string;
  name?: string;
}

export type MetricTargetType = 'Utilization' | 'Value' | 'AverageValue';

export interface MetricTarget {
  metric: string;
  type: MetricTargetType;
  /** averageUtilization, value or averageValue, whichever the type names. */
  target: number;
  /**
   * How long the metric must stay beyond its target, in one direction, before it asks for a change (the
   * runbooks' "above 70 % for 5 minutes"). Left out, not 0, when the policy names none: versions stay.
   */
  forSeconds?: number;
  /** The metric reads its time-weighted average over this window instead of its last sample. */
  windowSeconds?: number;
}

export type ComparisonOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

export type Condition =
  | { kind: 'threshold'; metric: string; op: ComparisonOp; value: number }
  | { kind: 'all'; conditions: Condition[] }
  | { kind: 'any'; conditions: Condition[] }
  | { kind: 'expr'; expression: CompiledExpression };

export type { RuleSeverity };

export type RuleAction =
  { kind: 'scaleBy'; mode: 'percent' | 'absolute'; amount: number } | { kind: 'scaleTo'; value: number };

export interface ThresholdRule {
  name: string;
  when: Condition;
  forSeconds: number;
  /** As written in the policy: `P1`, `SEV-2`, `warning`, … (severity.ts orders them). */
  severity: RuleSeverity;
  /** Absent for a rule that only notifies, or one that runs a plan. */
  action?: RuleAction;
  /** Ordered steps on any targets, instead of an action (plan-run.ts in the decision core carries them out). */
  plan?: Plan;
  /** What happens once the condition has cleared for a while: the action or the plan is undone, gradually. */
  recovery?: Recovery;
  /** A plan's check of its own work once its last step is done (plan-verification.ts in the decision core). */
  verify?: Verify;
  /** The rule sends alerts (surge.alerts); left out rather than false, so other policies' versions stay. */
  notify?: true;
  paused: boolean;
}

export type ScalingPolicyType = 'Pods' | 'Percent';
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

/** HPA v2's HPAScalingPolicy: `Pods` counts units of the setting for value-typed targets. */
export interface RatePolicy {
  type: ScalingPolicyType;
  value: number;
  periodSeconds: number;
}

/** HPA v2's HPAScalingRules, plus KEP-4951's per-direction tolerance. */
/**
 * A runbook step as one unit: its steps run in order, each decided only once the one before has its final result
 * from the executor and its own `after` has passed. One plan run per breach of its rule.
 */
export interface Plan {
  /** `stop` (the default) ends the run at a failed step; `continue` records the failure and goes on. */
  onStepFailure: 'stop' | 'continue';
  /** A step (or a revert move) without a final result after this long has failed: no executor answered. */
  resultTimeoutSeconds: number;
  steps: PlanStep[];
}

export interface PlanStep {
  /** `step-<n>` unless named. */
  name: string;
  /** The policy's own target unless the step names another. */
  target: PolicyTarget;
  /** The policy's own setting unless the step names another. */
  setting: string;
  /** A named value (`mode: queue`) is already its code here. */
  action: RuleAction;
  /** Wait this long after the previous step's result (or the firing, for the first) before deciding this one. */
  afterSeconds: number;
  /** Alert when the step has its result; a failed step alerts whatever this says. */
  notify?: true;
  /** The step's own approval, or its plan's: absent, the step never waits for an operator. */
  approval?: StepApproval;
  /** The step's own way back, named values its setting's; its `everySeconds` defaults to the rule's recovery's. */
  recovery?: RecoveryPath;
}

/**
 * A step that adds more than `aboveReplicas` units, or whose estimated cost is more than `aboveCost`, waits up to
 * `timeoutSeconds` for an operator (plan-approval.ts in the decision core); then `onTimeout` applies or skips it.
 */
export interface StepApproval {
  aboveReplicas?: number;
  aboveCost?: number;
  timeoutSeconds: number;
  onTimeout: 'skip' | 'apply';
}

/**
 * Undoing a rule's change once its condition has stayed clear for `afterSeconds`: every `everySeconds` one move
 * toward the value from before the rule acted (or `to`), by `by` of the distance left, through the listed
 * `through` values, or straight there when neither is given. `10 → 6 → 4 → 2, one step per 5 minutes` is
 * `through: [6, 4], every: 5m`.
 */
export interface Recovery extends RecoveryPath {
  afterSeconds: number;
}

/**
 * How one setting goes back: the rule's recovery for the steps on the policy's own setting, a step's own
 * `recovery` for its setting; a plan step with neither goes straight back to its value from before.
 */
export interface RecoveryPath {
  everySeconds: number;
  by?: { mode: 'percent' | 'absolute'; amount: number };
  through?: number[];
  /** A fixed value to return to instead of each step's value from before. */
  to?: number;
}

/**
 * `expression` must hold `withinSeconds` after a plan's last step has its result; `before_<metric>` reads the
 * metric as it was when the run started (`http_p95_ms < before_http_p95_ms`). When it does not (or cannot be
 * judged, a metric missing), `rollback` reverts the run at once, last step first, `notify` only alerts, and
 * `continue` records it.
 */
export interface Verify {
  withinSeconds: number;
  expression: CompiledExpression;
  onFailure: 'rollback' | 'notify' | 'continue';
}

export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: SelectPolicy;
  policies: RatePolicy[];
  tolerance: number;
}

export interface Behavior {
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

/**
 * A window whose `min` and `max` replace the policy's while it is active, below `minReplicas` too (a weekend at 2
 * when the policy says 3). At least one is set; a bound it leaves out stays the policy's, as far as the other
 * allows. Among active schedules the highest floor and the lowest cap win, and a floor above a cap wins over it:
 * capacity is the safer mistake.
 */
export type Schedule = CronSchedule | OneOffSchedule;

interface ScheduleLimits {
  name: string;
  timezone: string;
  /** The floor while active. */
  min?: number;
  /** The cap while active. */
  max?: number;
}

/** Every time `cron` fires (in `timezone`), for `durationSeconds`. */
export interface CronSchedule extends ScheduleLimits {
  cron: string;
  durationSeconds: number;
}

/** Once, over [from, to), in epoch ms: a launch day, a final's ticket sale. */
export interface OneOffSchedule extends ScheduleLimits {
  from: number;
  to: number;
}
