import { Inject, Injectable } from '@nestjs/common';
import { PermanentFailure } from '@surge/kafka';
import { HealthRegistry } from '@surge/service-kit';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config/notifier.config';
import type { PostableAlert } from './alertmanager-payload';

/**
 * Posts alerts to Alertmanager's v2 API. Unreachable, timing out or answering 5xx is transient (the caller retries
 * until it answers); a 4xx says this body will never be taken, a PermanentFailure the consumer dead-letters. The
 * last send's outcome is the `alertmanager` readiness check, so an outage shows even with no alert in flight.
 */
@Injectable()
export class AlertmanagerClient {
  private readonly endpoint: string;
  private lastError: string | null = null;

  constructor(
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    health: HealthRegistry,
  ) {
    this.endpoint = new URL('api/v2/alerts', config.ALERTMANAGER_URL.replace(/\/*$/, '/')).toString();
    health.register('alertmanager', () => {
      if (this.lastError) throw new Error(this.lastError);
    });
  }

  async post(alerts: PostableAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    try {
      await this.send(alerts);
      this.lastError = null;
    } catch (error) {
      if (!(error instanceof PermanentFailure)) this.lastError = `${this.endpoint}: ${(error as Error).message}`;
      throw error;
    }
  }

  private async send(alerts: PostableAlert[]): Promise<void> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
      signal: AbortSignal.timeout(this.config.SURGE_NOTIFIER_TIMEOUT_MS),
    });
    if (response.ok) return;
    const detail = (await response.text().catch(() => '')).slice(0, 500);
    const message = `Alertmanager answered ${response.status}: ${detail}`;
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429)
      throw new PermanentFailure(message, 'handler-failed');
    throw new Error(message);
  }
}
