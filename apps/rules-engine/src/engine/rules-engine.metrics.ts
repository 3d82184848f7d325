import { Injectable } from '@nestjs/common';
import type { ScaleDecision } from '@surge/contracts';
import type { UnusedCounts } from '@surge/decision-core';
import { MetricsRegistry } from '@surge/service-kit';
import { Counter, Gauge, Histogram } from 'prom-client';

/** What is paused right now: scope `global`, or `policy:<name>` for each policy (1 paused, 0 running). */
export type PauseSource = () => Iterable<[scope: string, paused: boolean]>;

/** The engine's Prometheus metrics, on the app's one registry. */
@Injectable()
export class RulesEngineMetrics {
  readonly decisions: Counter<'target' | 'direction' | 'severity'>;
  readonly reactionSeconds: Histogram;
  readonly evaluationSeconds: Histogram;
  readonly evaluations: Counter;
  readonly invalidPolicies: Gauge;
  readonly policyReloadErrors: Counter;
  readonly policiesLoaded: Gauge;
  readonly samplesUnused: Counter<'reason'>;
  private pauseSource: PauseSource = () => [];

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.decisions = new Counter({
      name: 'surge_decisions_total',
      help: 'Scale decisions emitted',
      labelNames: ['target', 'direction', 'severity'],
      registers,
    });
    // Event time to publication: a sample that waited in Kafka counts, which is what an operator feels.
    this.reactionSeconds = new Histogram({
      name: 'surge_reaction_seconds',
      help: "From the triggering sample's event time to its decision being published",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    // Sub-millisecond buckets: an evaluation is pure CPU work plus a share of its batch's Redis round trips.
    // Observed once per batch: one observation per evaluation cost the hot loop more than the evaluations.
    this.evaluationSeconds = new Histogram({
      name: 'surge_rules_evaluation_seconds',
      help: "Time per evaluation, state I/O included, averaged over each batch (or a timer's single evaluation)",
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25],
      registers,
    });
    this.evaluations = new Counter({
      name: 'surge_rules_evaluations_total',
      help: 'Evaluations of a target: one per envelope of samples it could use, or per timer due',
      registers,
    });
    this.invalidPolicies = new Gauge({
      name: 'surge_rules_invalid_policies',
      help: 'Policy files currently invalid (their last good version is in force)',
      registers,
    });
    this.policyReloadErrors = new Counter({
      name: 'surge_rules_policy_errors_total',
      help: 'Policy files found invalid on a (re)load',
      registers,
    });
    this.samplesUnused = new Counter({
      name: 'surge_rules_samples_unused_total',
      help:
        'Samples the engine could not use, by reason: duplicate (its target, metric and timestamp already handled), ' +
        'too_old (a newer sample of that metric already handled), future (beyond the future-skew limit), unread ' +
        '(no policy reads the metric). duplicate and too_old count once per policy reading the sample',
      labelNames: ['reason'],
      registers,
    });
    this.policiesLoaded = new Gauge({ name: 'surge_rules_policies', help: 'Policies in force', registers });
    const pausesOf = () => this.pauseSource();
    new Gauge({
      name: 'surge_paused',
      help: 'Automatic scaling paused (1) or running (0), by scope: global or policy:<name>',
      labelNames: ['scope'],
      registers,
      collect() {
        // Reset first: a deleted policy must not keep reporting its last pause.
        this.reset();
        for (const [scope, paused] of pausesOf()) this.set({ scope }, paused ? 1 : 0);
      },
    });
  }

  setPauseSource(source: PauseSource): void {
    this.pauseSource = source;
  }

  countDecision(decision: ScaleDecision): void {
    this.decisions.inc({ target: decision.target.id, direction: decision.direction, severity: decision.severity });
  }

  countUnused(unused: UnusedCounts): void {
    for (const reason of ['duplicate', 'too_old', 'future', 'unread'] as const)
      if (unused[reason]) this.samplesUnused.inc({ reason }, unused[reason]);
  }

  /** `count` evaluations that took `seconds` together. */
  observeEvaluations(count: number, seconds: number): void {
    if (count <= 0) return;
    this.evaluations.inc(count);
    this.evaluationSeconds.observe(seconds / count);
  }

  /** `sampleTime` is the triggering sample's event time (epoch ms); a decision from a timer has none. */
  observeReaction(sampleTime: number, now = Date.now()): void {
    this.reactionSeconds.observe(Math.max(0, now - sampleTime) / 1000);
  }
}
