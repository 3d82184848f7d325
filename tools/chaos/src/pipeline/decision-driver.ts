import type { ActionResult, ScaleDecisionInput } from '@surge/contracts';
import type { ExecutorTestBed } from '@surge/executor-framework/testing';

export interface DrivenTarget {
  kind: string;
  id: string;
  setting: string;
  start: number;
}

/** The result that settles a decision: any but `duplicate`, which only says a redelivery was recognised. */
export function finalResults(results: ActionResult[]): ActionResult[] {
  return results.filter((result) => result.status !== 'duplicate');
}

const RESULT_WAIT_MS = 150_000;

/**
 * The suite in the rules engine's place for the targets it drives: one decision at a time per target, each
 * from the value the target last had (the last applied result, or else the executors' observed state, as the
 * engine reads it) one step up, the next only once this one has its final result. Every value is new, so a
 * second apply of any decision shows in the back end's log.
 */
export class DecisionDriver {
  readonly sent: ScaleDecisionInput[] = [];
  private readonly current = new Map<string, number>();
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly bed: ExecutorTestBed,
    private readonly targets: DrivenTarget[],
    private readonly pauseMs = 400,
  ) {
    for (const target of targets) this.current.set(target.id, target.start);
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops deciding; resolves once the decision in flight has its result (or its wait ran out). */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** The last decision that was applied, for a redelivery: the record a replay would hand the executor again. */
  lastApplied(targetId: string): ScaleDecisionInput | undefined {
    return [...this.sent]
      .reverse()
      .find(
        (d) =>
          d.target.id === targetId &&
          finalResults(this.bed.resultsFor(d.decisionId)).some((r) => r.status === 'applied'),
      );
  }

  private async run(): Promise<void> {
    while (this.running) {
      for (const target of this.targets) {
        if (!this.running) break;
        await this.decideOnce(target);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
    }
  }

  private async decideOnce(target: DrivenTarget): Promise<void> {
    const from = this.current.get(target.id)!;
    const decision = this.bed.decision({
      target: { kind: target.kind, id: target.id },
      setting: target.setting,
      from,
      to: from + 1,
      policy: 'chaos-driver',
    });
    // A decision Kafka did not take (the broker down) was never handed to anyone: there is no result to wait
    // for, and the next round decides again. One the broker took but answered late is on the topic, where the
    // readers count it, whatever the driver thinks.
    const accepted = await this.bed.produce(decision).then(
      () => true,
      () => false,
    );
    if (!accepted) return;
    this.sent.push(decision);
    const deadline = Date.now() + RESULT_WAIT_MS;
    let result: ActionResult | undefined;
    while (!(result = finalResults(this.bed.resultsFor(decision.decisionId))[0]) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    if (!result) return;
    if (result.status === 'applied' && result.after !== null) {
      this.current.set(target.id, result.after);
      return;
    }
    // Not applied (a conflict after the room came back from its file, say): take the value from the observed
    // state published after this result, as the rules engine would.
    const observedAfter = Date.now() + 10_000;
    while (Date.now() < observedAfter) {
      const observed = [...this.bed.observed]
        .reverse()
        .find(
          (o) => o.target.id === target.id && o.observedAt > result!.time && o.settings[target.setting] !== undefined,
        );
      if (observed) {
        this.current.set(target.id, observed.settings[target.setting]!);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
