import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { AlertEvent, Topics } from '@surge/contracts';
import { KAFKA_TOPICS, SurgeProducer } from '@surge/kafka';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { PolicyStore } from '../policies/policy-store.service';
import { ControlConsumer } from './control.consumer';
import { type OperatorPause, ControlState } from './control-state.service';
import { pauseAlert } from './pause-alert';

const RETRY_MS = 5_000;
const keyOf = (pause: OperatorPause) => `${pause.policy ?? ''}\u0000${pause.since}`;

/**
 * Warns when an operator pause lasts SURGE_PAUSE_ALERT_AFTER (a pause forgotten after an incident stops all
 * scaling silently), and resolves the warning when the pause ends, by a resume or its expiry. Sent once per
 * pause by this instance: memory is enough, as a restart sends the same alert id again and Alertmanager
 * deduplicates it. A pause is only judged once the whole control topic is read, so a pause the replay resumes
 * a moment later never fires.
 */
@Injectable()
export class PauseAlerts implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PauseAlerts.name);
  private readonly afterMs: number;
  /** Pauses whose alert is not due yet, by key. */
  private readonly due = new Map<string, NodeJS.Timeout>();
  /** The firing alert of each pause it was sent for, by key: what its resolution repeats. */
  private readonly firing = new Map<string, { pause: OperatorPause; alert: AlertEvent }>();
  private stopped = false;

  constructor(
    private readonly control: ControlState,
    private readonly consumer: ControlConsumer,
    private readonly policies: PolicyStore,
    private readonly producer: SurgeProducer,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    @Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig,
  ) {
    this.afterMs = config.SURGE_PAUSE_ALERT_AFTER * 1000;
  }

  onModuleInit(): void {
    this.control.onChange(() => this.check());
  }

  onModuleDestroy(): void {
    this.stopped = true;
    for (const timer of this.due.values()) clearTimeout(timer);
    this.due.clear();
  }

  private check(): void {
    if (this.stopped) return;
    const now = Date.now();
    const active = new Map(this.control.operatorPauses(now).map((pause) => [keyOf(pause), pause]));
    for (const [key, timer] of this.due)
      if (!active.has(key)) {
        clearTimeout(timer);
        this.due.delete(key);
      }
    for (const [key, { pause, alert }] of this.firing)
      if (!active.has(key)) {
        this.firing.delete(key);
        // The end is the resume's time, or the expiry's: a pause replaced by a later one ends when that began.
        const endedAt = Math.max(alert.startsAt, this.control.pauseChangedAt(pause.policy, now) ?? now);
        this.send(pauseAlert(pause, this.policyOf(pause), alert.startsAt, endedAt));
      }
    for (const [key, pause] of active) if (!this.firing.has(key) && !this.due.has(key)) this.schedule(key, pause);
  }

  private schedule(key: string, pause: OperatorPause, delay = Math.max(0, pause.since + this.afterMs - Date.now())) {
    const timer = setTimeout(() => {
      this.due.delete(key);
      if (this.stopped) return;
      if (!this.consumer.isCaughtUp()) return this.schedule(key, pause, 1000);
      if (!this.control.operatorPauses().some((p) => keyOf(p) === key)) return;
      // Deterministic: the time the pause reached its limit, not the moment this instance noticed.
      const alert = pauseAlert(pause, this.policyOf(pause), pause.since + this.afterMs, null);
      this.firing.set(key, { pause, alert });
      this.send(alert);
    }, delay);
    timer.unref();
    this.due.set(key, timer);
  }

  private policyOf(pause: OperatorPause) {
    return pause.policy === undefined ? undefined : this.policies.all().find((p) => p.name === pause.policy);
  }

  /** In the background, retried until sent: a timer has no caller to report a failure to. */
  private send(alert: AlertEvent): void {
    this.producer.send(this.topics.alerts, [{ key: alert.target.id, value: JSON.stringify(alert) }]).then(
      () => this.logger.log(`${alert.alertId} ${alert.status} ${alert.annotations.summary}`),
      (error: Error) => {
        if (this.stopped) return;
        this.logger.warn(`cannot send ${alert.alertId} ${alert.status}, retrying: ${error.message}`);
        setTimeout(() => this.send(alert), RETRY_MS).unref();
      },
    );
  }
}
