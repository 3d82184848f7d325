import type { ActionResult, AlertEvent, ScaleDecision } from '@surge/contracts';
import { NAMED_SETTING_VALUES } from '@surge/contracts';
import type { PlanStep, PolicyTarget, RecoveryPath, ScalingPolicy, ThresholdRule } from '@surge/policy';
import { clampToBounds } from './bounds';
import { previewHeldValue } from './dry-run-preview';
import { planAlert, stepAlert } from './plan-alerts';
import { approvalNote, type CostLookup, gateStep, type VerdictLookup, withdrawApproval } from './plan-approval';
import { planStepDecision } from './plan-decision';
import { planRunIdOf } from './plan-ids';
import type { PlanClaim } from './plan-claims';
import { heldValue, type PlanRun } from './plan-state';
import { judgeVerification, snapshotFor, startVerification } from './plan-verification';
import { nextRecoveryValue } from './recovery-path';
import type { TargetState } from './state';
import { actionTarget, type RuleOutcome } from './threshold-rules';

/** The latest observed value of a setting of another target, as the engine stores the executors' observations. */
export type ObservedLookup = (target: Pick<PolicyTarget, 'kind' | 'id'>, setting: string) => number | undefined;

export interface PlanContext {
  policy: ScalingPolicy;
  /** Owned by the caller's evaluation: `plans` is advanced in place. */
  state: TargetState;
  now: number;
  observed?: ObservedLookup;
  /** The policy's metrics, fresh or undefined, for a verification and its snapshot. */
  metric?: (name: string) => number | undefined;
  /** Where the plans' alerts go (a failed verification, a rollback). */
  alerts?: AlertEvent[];
  /** The holds of every other run (this policy's other plans, other policies'), which a revert must respect. */
  claims?: (exceptRun: string) => readonly PlanClaim[];
  /** Operators' answers to steps awaiting approval, and the cost models their size is priced with. */
  verdicts?: VerdictLookup;
  costs?: CostLookup;
}

/** Results that count as the step done: a duplicate was done before, a dry run did all a preview does. */
const SUCCEEDED: ReadonlySet<ActionResult['status']> = new Set(['applied', 'duplicate', 'dry-run']);

/**
 * Follows each plan rule's breach: a firing starts a run (one per breach), a clearing is noted for recovery.
 * Bookkeeping only, done even while paused, so a pause does not make a breach look longer or shorter.
 */
export function trackPlanRules(ctx: PlanContext, outcomes: readonly RuleOutcome[]): void {
  for (const rule of ctx.policy.rules) {
    if (!rule.plan) continue;
    const outcome = outcomes.find((o) => o.name === rule.name);
    const run = ctx.state.plans?.[rule.name];
    if (outcome && run?.rollbackAlertOpen && !outcome.holds) {
      delete run.rollbackAlertOpen;
      ctx.alerts?.push(planAlert(ctx.policy, rule, run, 'rollback', run.verification!.dueAt, ctx.now));
    }
    if (!outcome || !run || run.phase === 'done') continue;
    if (outcome.holds) delete run.clearedSince;
    else run.clearedSince ??= ctx.now;
  }
}

/**
 * Starts the runs of rules that fired and decides every step that is due: the next step of a run once the one
 * before has its result and its `after` has passed, and the next revert move once the recovery's time has come.
 * At most one decision per run is ever awaiting its result, which is what makes the steps run in order.
 */
export function advancePlans(ctx: PlanContext): ScaleDecision[] {
  const decisions: ScaleDecision[] = [];
  for (const rule of ctx.policy.rules) {
    if (!rule.plan) continue;
    let run = ctx.state.plans?.[rule.name];
    // A run of an earlier shape of this plan (a reload added or removed steps) cannot be carried on step by step:
    // it ends where it is, letting go of its holds, and the next breach runs the plan as it is now.
    if (run && !sameShape(rule, run) && run.phase !== 'done') {
      run.reason = `the plan changed while it ran (${run.steps.length} steps, now ${rule.plan.steps.length})`;
      for (const step of run.steps) {
        delete step.decisionId;
        delete step.lateDecisionId;
      }
      // Its alerts resolve with it, as with any run that is done: nothing of it will ever resolve them later.
      finishRun(ctx, rule, run);
    }
    // A breach that fired (maybe while paused) and has no run of its own starts one; a run still holding its
    // settings from an earlier breach is not run again on top of itself.
    const breach = ctx.state.rules[rule.name];
    const firedBreach = breach?.lastFiredAt != null ? breach.holdingSince : null;
    if (firedBreach !== null && (!run || (run.phase === 'done' && run.breach !== firedBreach)))
      run = startRun(ctx, rule, firedBreach);
    if (!run) continue;
    const decision = driveRun(ctx, rule, run);
    if (decision) decisions.push(decision);
  }
  return decisions;
}

/**
 * Folds one action result into its run: the awaited step succeeded or failed, or the awaited revert move. A
 * result of another run, or of a decision the run no longer awaits (a redelivery, a decision superseded), is
 * ignored: only the awaited decision's first final result moves a run. The one exception is a step's own
 * result after its resultTimeout: the run has gone on without it, but what it moved is held from then on.
 */
export function foldPlanResult(ctx: PlanContext, result: ActionResult): boolean {
  const ref = result.plan;
  const run = ref && ctx.state.plans?.[ref.rule];
  const rule = ref && ctx.policy.rules.find((r) => r.name === ref.rule);
  const step = run?.steps[ref!.step];
  if (!run || !rule?.plan || run.runId !== ref!.runId || !step) return false;
  // An executor refuses a decision whose signature fails and says so, echoing the unverified decision's plan:
  // that refusal is about a forgery, not the genuine step, which may still come and be applied.
  if ('reason' in result && result.reason === 'signature') return false;
  if (!sameShape(rule, run) || !resultOfStep(rule.plan.steps[ref!.step]!, result)) return false;
  const said = `${result.status}${result.error ? `: ${result.error}` : result.note ? `: ${result.note}` : ''}`;
  if (step.lateDecisionId === result.decisionId && ref!.phase === 'apply')
    return foldLate(run, ref!.step, result, said);
  // The id says which decision; the phase must say the same, or a result of a revert could settle a step.
  if (step.decisionId !== result.decisionId || ref!.phase !== awaitedPhase(run)) return false;
  const change = changeOf(result, ctx.policy.dryRun);
  settleStep(ctx, rule, run, ref!.step, ref!.phase, { ok: SUCCEEDED.has(result.status), said, ...change });
  return true;
}

/** Whether a result is about the step's own target and setting: another's must not move the run. */
function resultOfStep(spec: PlanStep, result: ActionResult): boolean {
  return (
    result.setting === spec.setting && result.target.id === spec.target.id && result.target.kind === spec.target.kind
  );
}

function awaitedPhase(run: PlanRun): 'apply' | 'revert' {
  return run.phase === 'reverting' ? 'revert' : 'apply';
}

/**
 * What a result says the step set: the executor's `after` when the change was made (applied, or `not-ready`: made
 * but not ready in time), so a failed step that moved its setting still holds it and has it reverted. A dry run's
 * executor reads the value it left alone: its preview stands at what the step asked for (dry-run-preview.ts).
 */
function changeOf(result: ActionResult, dryRun: boolean): { made: boolean; after?: number } {
  const made = SUCCEEDED.has(result.status) || result.status === 'not-ready';
  if (result.after === null || (dryRun && result.status === 'dry-run')) return { made };
  // An unverified read-back is the setting on its way (a pool's copies still starting), not what was set: the step
  // holds what it asked for, else its hold would let go of copies that are coming.
  if (result.verified === false) return { made };
  return { made, after: result.after };
}

/**
 * A step's result after its resultTimeout: the run counted it failed and went on (or stopped), and stays so, but
 * a change that was made is the run's to hold and to revert, like any step's. A revert under way that has passed
 * the step comes back to it, unless a move is awaited (the step then stays as the executor left it).
 */
function foldLate(run: PlanRun, index: number, result: ActionResult, said: string): boolean {
  const step = run.steps[index]!;
  delete step.lateDecisionId;
  const change = changeOf(result, false);
  if (!change.made || run.phase === 'done') return true;
  step.holds = change.after ?? step.to;
  step.outcome = `${said} (after the result timeout)`;
  const awaiting = run.steps.some((s) => s.decisionId !== undefined);
  if (run.phase === 'reverting' && !awaiting && run.step < index) run.step = index;
  return true;
}

/**
 * The final outcome of the step (or revert move) a run awaits: its result, or the silence of an executor that
 * never answered within the plan's resultTimeout (a decision for a kind no executor owns, a lost record).
 */
function settleStep(
  ctx: PlanContext,
  rule: ThresholdRule,
  run: PlanRun,
  index: number,
  phase: 'apply' | 'revert',
  { ok, said, made = ok, after }: { ok: boolean; said: string; made?: boolean; after?: number },
): void {
  const step = run.steps[index]!;
  delete step.decisionId;
  delete step.decidedAt;
  if (!rule.plan) return;
  if (phase === 'apply') {
    step.status = ok ? 'succeeded' : 'failed';
    step.outcome = said;
    // What the executor really set (a target's bounds may have held it back), else what was asked; a failed step
    // whose change was made all the same (`not-ready`) holds it too, so a rollback or recovery takes it back.
    if (made) step.holds = after ?? step.to;
    if (!ok || rule.plan.steps[index]!.notify) {
      const source = ok ? 'rule' : 'action-failed';
      (run.stepAlerts ??= []).push({ step: index, source, at: ctx.now });
      ctx.alerts?.push(stepAlert(ctx.policy, rule, run, index, source, ctx.now, null));
    }
    if (!ok && rule.plan.onStepFailure === 'stop') {
      run.phase = 'stopped';
      run.reason = `step ${rule.plan.steps[index]!.name} ${said}`;
      return;
    }
    nextStep(run, rule, ctx.now);
    return;
  }
  // A revert move that did not go through leaves the setting to whoever changed it (a conflict: the value is no
  // longer the plan's own) or to people (a failure): the revert goes on with the steps before it.
  if (ok) step.holds = step.revertTo ?? step.holds;
  else {
    step.status = 'skipped';
    step.outcome = `revert ${said}`;
  }
  delete step.revertTo;
  // A move waits `every` after the one before; a skipped step was no move, and a rollback does not wait.
  const every = rule.plan.steps[index]!.recovery?.everySeconds ?? rule.recovery?.everySeconds ?? 0;
  const wait = ok && !run.rollback ? every * 1000 : 0;
  run.revert = { nextAt: ctx.now + wait, moves: run.revert?.moves ?? 0 };
}

/** Whether a run was started by the plan as it is now: its steps line up one for one. */
export function sameShape(rule: ThresholdRule, run: PlanRun): boolean {
  return run.steps.length === (rule.plan?.steps.length ?? -1);
}

/** A step or revert move still awaiting its result past the plan's resultTimeout has failed: the run goes on. */
function expireAwaited(ctx: PlanContext, rule: ThresholdRule, run: PlanRun): void {
  const index = run.steps.findIndex((step) => step.decisionId !== undefined);
  const step = run.steps[index];
  if (!step || step.decidedAt === undefined || !rule.plan) return;
  const timeout = rule.plan.resultTimeoutSeconds * 1000;
  if (ctx.now < step.decidedAt + timeout) return;
  const phase = awaitedPhase(run);
  // Its result may still come: a step's own is then recognised (foldLate). A late revert move is not: the revert
  // has gone on to the steps before, and what that move set is no longer the plan's.
  if (phase === 'apply') step.lateDecisionId = step.decisionId;
  settleStep(ctx, rule, run, index, phase, { ok: false, said: `no result within ${rule.plan.resultTimeoutSeconds}s` });
}

function startRun(ctx: PlanContext, rule: ThresholdRule, breach: number): PlanRun {
  const plan = rule.plan!;
  const run: PlanRun = {
    runId: planRunIdOf(ctx.policy.target.id, ctx.policy.name, rule.name, breach, ctx.policy.dryRun),
    breach,
    startedAt: ctx.now,
    phase: 'applying',
    step: 0,
    steps: plan.steps.map(() => ({ status: 'pending' })),
  };
  run.steps[0]!.notBefore = ctx.now + plan.steps[0]!.afterSeconds * 1000;
  const snapshot = ctx.metric && snapshotFor(rule, ctx.metric);
  if (snapshot) run.snapshot = snapshot;
  (ctx.state.plans ??= {})[rule.name] = run;
  return run;
}

function nextStep(run: PlanRun, rule: ThresholdRule, now: number): void {
  run.step += 1;
  const next = rule.plan!.steps[run.step];
  if (next) run.steps[run.step]!.notBefore = now + next.afterSeconds * 1000;
  else {
    run.phase = 'applied';
    startVerification(rule, run, now);
  }
}

function driveRun(ctx: PlanContext, rule: ThresholdRule, run: PlanRun): ScaleDecision | undefined {
  expireAwaited(ctx, rule, run);
  for (;;) {
    if (run.phase === 'applying') {
      const step = run.steps[run.step]!;
      const waiting = step.status === 'pending' || step.status === 'awaiting-approval';
      if (!waiting) return undefined;
      // The next step escalates a breach: one that has cleared (during a pause, or while the step waited its
      // after) does not call for it. It waits; held clear for the recovery's after, the run goes back instead.
      if (run.clearedSince !== undefined) {
        if (!clearedForGood(ctx, rule, run)) {
          step.outcome = 'waiting: the condition no longer holds';
          return undefined;
        }
        withdrawApproval(ctx, rule, run);
        skipRemaining(run);
        continue;
      }
      if (ctx.now < (step.notBefore ?? 0)) return undefined;
      const spec = rule.plan!.steps[run.step]!;
      const from = currentValue(ctx, spec);
      if (from === undefined) {
        step.outcome = `waiting: ${spec.target.id} ${spec.setting} not observed yet`;
        return undefined;
      }
      const to = stepGoal(ctx.policy, spec, from);
      step.before = from;
      step.to = to;
      const gate = gateStep(ctx, rule, run, from, to);
      if (gate === 'wait') return undefined;
      const rejected = { ok: false, said: approvalNote(step.approval)!, made: false };
      if (gate === 'rejected') settleStep(ctx, rule, run, run.step, 'apply', rejected);
      if (gate === 'skipped') nextStep(run, rule, ctx.now);
      if (gate !== 'decide') continue;
      if (to === from) {
        step.status = 'succeeded';
        step.holds = to;
        step.outcome = `already ${to}: nothing to change`;
        nextStep(run, rule, ctx.now);
        continue;
      }
      step.status = 'decided';
      delete step.outcome;
      const approval = step.approval?.answer;
      const why = approval ? `fired; ${approvalNote(step.approval)}` : 'fired';
      const decision = planStepDecision({
        ...ctx,
        rule,
        run,
        index: run.step,
        phase: 'apply',
        from,
        to,
        why,
        approvedBy: approval?.by,
      });
      step.decisionId = decision.decisionId;
      step.decidedAt = ctx.now;
      return decision;
    }
    if (run.phase === 'applied' && verify(ctx, rule, run) === 'pending') return undefined;
    if (run.phase === 'reverting') return revertMove(ctx, rule, run);
    if (run.phase === 'applied' || run.phase === 'stopped') {
      if (run.clearedSince === undefined) return undefined;
      if (!rule.recovery) {
        // Without a recovery the run's values stay as they are, and it lets go of them with the breach.
        finishRun(ctx, rule, run);
        return undefined;
      }
      if (!clearedForGood(ctx, rule, run)) return undefined;
      run.phase = 'reverting';
      run.step = run.steps.length - 1;
      run.revert = { nextAt: ctx.now, moves: 0 };
      continue;
    }
    return undefined;
  }
}

/** Clear long enough to let go: at once without a recovery (the breach is over), else for the recovery's after. */
function clearedForGood(ctx: PlanContext, rule: ThresholdRule, run: PlanRun): boolean {
  if (run.clearedSince === undefined) return false;
  return !rule.recovery || ctx.now >= run.clearedSince + rule.recovery.afterSeconds * 1000;
}

/** The steps not decided yet are not needed: the run stops where it is, its done steps held until it lets go. */
function skipRemaining(run: PlanRun): void {
  for (const step of run.steps.slice(run.step))
    Object.assign(step, { status: 'skipped', outcome: 'not decided: the condition cleared before it' });
  run.phase = 'stopped';
  run.reason = `the condition cleared before step ${run.step + 1} of ${run.steps.length}`;
}

/**
 * Judges a due verification; a failure alerts, and with `rollback` turns the run into its revert at once. The
 * run's own recovery is the slow way back after a breach; a rollback is the quick one, because the change hurt.
 */
function verify(ctx: PlanContext, rule: ThresholdRule, run: PlanRun): 'pending' | 'passed' | 'failed' {
  const before = run.verification?.status;
  const verdict = judgeVerification(rule, run, ctx.now, ctx.metric ?? (() => undefined));
  if (verdict !== 'failed' || before === 'failed') return verdict;
  const onFailure = rule.verify!.onFailure;
  if (onFailure === 'continue') return verdict;
  const source = onFailure === 'rollback' ? 'rollback' : 'verification-failed';
  ctx.alerts?.push(planAlert(ctx.policy, rule, run, source, ctx.now, null));
  if (onFailure === 'rollback') {
    run.phase = 'reverting';
    run.rollback = true;
    run.step = run.steps.length - 1;
    run.revert = { nextAt: ctx.now, moves: 0 };
  }
  return verdict;
}

/** The run is done: the alerts it raised (its steps', its verification's) resolve with it. */
function finishRun(ctx: PlanContext, rule: ThresholdRule, run: PlanRun): void {
  run.phase = 'done';
  for (const fired of run.stepAlerts ?? [])
    ctx.alerts?.push(stepAlert(ctx.policy, rule, run, fired.step, fired.source, fired.at, ctx.now));
  if (run.verification?.status !== 'failed' || rule.verify?.onFailure === 'continue') return;
  const source = run.rollback ? 'rollback' : 'verification-failed';
  // Undoing the change did not end the trouble it answered: the rollback's alert fires until the breach clears
  // (trackPlanRules), as an alert resolved the moment it fired would reach nobody past Alertmanager's group_wait.
  if (source === 'rollback' && run.clearedSince === undefined) {
    run.rollbackAlertOpen = true;
    return;
  }
  const failedAt = run.verification.dueAt;
  ctx.alerts?.push(planAlert(ctx.policy, rule, run, source, failedAt, ctx.now));
}

/** The next move of the revert, last step first; a step whose setting is back at its goal hands on to the one before. */
function revertMove(ctx: PlanContext, rule: ThresholdRule, run: PlanRun): ScaleDecision | undefined {
  // A breach again pauses the revert where it is (the settings it holds stay held); a rollback goes on.
  if (run.clearedSince === undefined && !run.rollback) return undefined;
  while (run.step >= 0) {
    const step = run.steps[run.step]!;
    const spec = rule.plan!.steps[run.step]!;
    const way = run.rollback ? undefined : recoveryPathOf(ctx.policy, rule, spec);
    const held = heldValue(step);
    const goal = revertGoal(ctx, run, spec, way?.to ?? step.before);
    if (held === undefined || goal === undefined || held === goal) {
      run.step -= 1;
      continue;
    }
    if (step.decisionId !== undefined || ctx.now < run.revert!.nextAt) return undefined;
    // Only a value that is still the plan's own is walked back: one that someone (a person, a policy's
    // metrics) has moved since is theirs now, and a revert from the plan's value would only conflict.
    const reads = currentValue(ctx, spec);
    if (reads !== undefined && reads !== held) {
      step.status = 'skipped';
      step.outcome = `revert skipped: ${spec.setting} reads ${reads}, not the plan's ${held}`;
      run.step -= 1;
      continue;
    }
    // A named setting's values are no scale to walk, unless the step lists its own way through them.
    const straight = !way || (spec.setting in NAMED_SETTING_VALUES && !spec.recovery?.through);
    const to = straight ? goal : nextRecoveryValue(held, goal, way, unitOf(ctx.policy, spec));
    const move = run.revert!.moves + 1;
    run.revert!.moves = move;
    const why = run.rollback
      ? `verification failed (${run.verification?.detail ?? 'no detail'}); rolling back`
      : `clear since ${Math.round((ctx.now - run.clearedSince!) / 1000)}s: back toward ${goal}`;
    const decision = planStepDecision({
      ...ctx,
      rule,
      run,
      index: run.step,
      phase: 'revert',
      move,
      from: held,
      to,
      why,
    });
    step.decisionId = decision.decisionId;
    step.decidedAt = ctx.now;
    step.revertTo = to;
    return decision;
  }
  finishRun(ctx, rule, run);
  return undefined;
}

/**
 * Where a step's revert stops: its value from before (or the recovery's `to`), within the policy's bounds for its
 * own setting, and never past what another running plan holds on the same setting (its floor or its cap).
 */
function revertGoal(ctx: PlanContext, run: PlanRun, spec: PlanStep, wanted: number | undefined): number | undefined {
  if (wanted === undefined) return undefined;
  let goal = isOwnSetting(ctx.policy, spec) ? clampToBounds(wanted, ctx.policy.min, ctx.policy.max) : wanted;
  for (const claim of ctx.claims?.(run.runId) ?? []) {
    if (claim.target.id !== spec.target.id || claim.target.kind !== spec.target.kind) continue;
    if (claim.setting !== spec.setting) continue;
    goal = claim.direction === 'floor' ? Math.max(goal, claim.value) : Math.min(goal, claim.value);
  }
  return goal;
}

/**
 * A step's way back: its own recovery, else the rule's for a step on the policy's own setting (the values the rule
 * names are that setting's), else none: straight back to the value from before (plan-recovery.ts in the policy).
 */
function recoveryPathOf(policy: ScalingPolicy, rule: ThresholdRule, step: PlanStep): RecoveryPath | undefined {
  if (!rule.recovery) return undefined;
  return step.recovery ?? (isOwnSetting(policy, step) ? rule.recovery : undefined);
}

function isOwnSetting(policy: ScalingPolicy, step: PlanStep): boolean {
  return (
    step.target.id === policy.target.id && step.target.kind === policy.target.kind && step.setting === policy.setting
  );
}

function currentValue(ctx: PlanContext, step: PlanStep): number | undefined {
  if (isOwnSetting(ctx.policy, step)) return ctx.state.current ?? undefined;
  return (
    previewHeldValue(ctx.policy, ctx.state, step.target, step.setting) ?? ctx.observed?.(step.target, step.setting)
  );
}

function unitOf(policy: ScalingPolicy, step: PlanStep): number {
  return isOwnSetting(policy, step) ? policy.step : 1;
}

/** The step's value: on the policy's own setting within its bounds; elsewhere the executor holds it to the target's. */
function stepGoal(policy: ScalingPolicy, step: PlanStep, from: number): number {
  const to = actionTarget(step.action, from, unitOf(policy, step));
  return isOwnSetting(policy, step) ? clampToBounds(to, policy.min, policy.max) : to;
}
