import type { ApprovalRef, ControlEvent } from '@surge/contracts';
import type { OperatorVerdict, VerdictLookup } from '@surge/decision-core';

type Answer = Pick<ControlEvent, 'type' | 'actor' | 'reason' | 'time'> & { plan?: ApprovalRef | undefined };

/**
 * Operators' answers to plan steps awaiting approval, from the control topic, by run id and step. The latest
 * answer of a step wins, by its time, as compaction keeps it: replaying the topic after a restart gives the
 * same answers. The decision core reads them when it next evaluates the run; a step answered once keeps its
 * answer in the run's state, so a later word on the same step changes nothing.
 */
export class PlanAnswers {
  private readonly answers = new Map<string, OperatorVerdict>();
  private readonly listeners: ((plan: ApprovalRef) => void)[] = [];

  /** True when the event is an answer (applied or older than the one known), false for any other event. */
  apply(event: Answer): boolean {
    if ((event.type !== 'approve' && event.type !== 'reject') || !event.plan) return false;
    const key = keyOf(event.plan.runId, event.plan.step);
    const known = this.answers.get(key);
    if (known && known.time > event.time) return true;
    this.answers.set(key, {
      verdict: event.type,
      actor: event.actor,
      time: event.time,
      ...(event.reason ? { reason: event.reason } : {}),
    });
    for (const listener of this.listeners) listener(event.plan);
    return true;
  }

  readonly verdicts: VerdictLookup = (runId, step) => this.answers.get(keyOf(runId, step));

  onAnswer(listener: (plan: ApprovalRef) => void): void {
    this.listeners.push(listener);
  }
}

const keyOf = (runId: string, step: number) => `${runId}\u0000${step}`;
