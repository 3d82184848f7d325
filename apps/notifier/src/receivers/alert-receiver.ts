import type { AlertEvent } from '@surge/contracts';
import type { ReceiverSettings } from './receiver-settings';

/**
 * One place alerts go. `deliver` sends one transition (firing or resolved) and resolves once the receiver took
 * it; it throws a PermanentFailure when the receiver will never take this one (a 4xx), any other error when it may
 * later (down, timing out, 5xx, 429), and the caller retries.
 */
export interface AlertReceiver {
  readonly settings: ReceiverSettings;
  deliver(alert: AlertEvent): Promise<void>;
  /**
   * Only for receivers that expire what is not sent again (Alertmanager's resolve_timeout): re-sends the alerts
   * still firing. The others get one message per transition and leave this out.
   */
  resend?(firing: AlertEvent[]): Promise<void>;
}
