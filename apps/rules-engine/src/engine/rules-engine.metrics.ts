import { Injectable } from '@nestjs/common';
import type { ScaleDecision } from '@surge/contracts';
import { MetricsRegistry } from '@surge/service-kit';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The engine's Prometheus metrics, on the app's one registry. */
@Injectable()
export class RulesEngineMetrics {
  readonly decisions: Counter<'target' | 'direction' | 'severity'>;
  readonly evaluationSeconds: Histogram;
  readonly invalidPolicies: Gauge;
  readonly policyReloadErrors: Counter;
  readonly policiesLoaded: Gauge;
  readonly consumerLag: Gauge;
  private lagSource: () => number = () => 0;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.decisions = new Counter({ name: 'surge_rules_decisions_total', help: 'Scale decisions emitted', labelNames: ['target', 'direction', 'severity'], registers });
    // Sub-millisecond buckets: an evaluation is pure CPU work plus one Redis round trip.
    this.evaluationSeconds = new Histogram({ name: 'surge_rules_evaluation_seconds', help: 'Time to evaluate one target on a sample, state I/O included', buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25], registers });
    this.invalidPolicies = new Gauge({ name: 'surge_rules_invalid_policies', help: 'Policy files currently invalid (their last good version is in force)', registers });
    this.policyReloadErrors = new Counter({ name: 'surge_rules_policy_errors_total', help: 'Policy files found invalid on a (re)load', registers });
    this.policiesLoaded = new Gauge({ name: 'surge_rules_policies', help: 'Policies in force', registers });
    const lagOf = () => this.lagSource();
    this.consumerLag = new Gauge({
      name: 'surge_rules_consumer_lag',
      help: 'Samples not yet consumed, summed over assigned partitions',
      registers,
      collect() {
        this.set(lagOf());
      },
    });
  }

  setLagSource(source: () => number): void {
    this.lagSource = source;
  }

  countDecision(decision: ScaleDecision): void {
    this.decisions.inc({ target: decision.target.id, direction: decision.direction, severity: decision.severity });
  }
}
