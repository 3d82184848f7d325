import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config/notifier.config';
import { AlertDelivery } from './alert-delivery.service';
import { nextResendAt } from './resend-schedule';

/**
 * Re-sends the firing alerts every SURGE_NOTIFIER_RESEND_SECONDS, the first round at start: after a restart that
 * is what resumes them. A failed round is only logged (the receiver's `receiver:<name>` readiness check shows it); the next
 * round tries again, well before the endsAt of the last successful one.
 */
@Injectable()
export class ResenderService implements OnModuleDestroy {
  private readonly logger = new Logger(ResenderService.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private round: Promise<void> = Promise.resolve();

  constructor(
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    private readonly delivery: AlertDelivery,
  ) {}

  start(): void {
    if (this.stopped || this.timer) return;
    this.schedule(Date.now());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  private schedule(dueAt: number): void {
    this.timer = setTimeout(
      () => {
        const started = Date.now();
        // resend() never rejects: a failed round is logged there, and the next one is planned all the same.
        this.round = this.resend().then(() => {
          if (!this.stopped)
            this.schedule(nextResendAt(started, Date.now(), this.config.SURGE_NOTIFIER_RESEND_SECONDS));
        });
      },
      Math.max(0, dueAt - Date.now()),
    );
  }

  private async resend(): Promise<void> {
    try {
      const sent = await this.delivery.resendFiring();
      if (sent > 0) this.logger.debug(`re-sent ${sent} firing alert(s)`);
    } catch (error) {
      this.logger.warn(
        `resend failed, next round in ${this.config.SURGE_NOTIFIER_RESEND_SECONDS} s: ${(error as Error).message}`,
      );
    }
  }
}
