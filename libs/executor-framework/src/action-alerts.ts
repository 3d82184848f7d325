import type { ActionResult, AlertEvent, ScaleDecision } from '@surge/contracts';
import { actionAlertResolved, actionFailedAlert, closesActionAlert, opensActionAlert } from './action-failed.alert';
import type { OpenActionAlerts } from './action-alerts.store';

/**
 * The SurgeActionFailed alert of one executor per target and setting: a failed, rejected or not-ready result opens
 * it, and it fires until this executor applies a later decision on the same target and setting. While one is
 * open, later failures there repeat it rather than open a second: they are the same incident, and Alertmanager
 * would page again for each new label set.
 */
export class ActionAlerts {
  constructor(
    private readonly open: OpenActionAlerts,
    private readonly send: (alert: AlertEvent) => Promise<void>,
  ) {}

  /**
   * Sends what `result` (the final result of `decision`) changes: a firing alert, its resolve, or nothing. The
   * open alert is stored before it is sent and forgotten only after its resolve is: a crash in between repeats a
   * resolve (the notifier drops it by alertId and status) rather than leave an alert firing that nothing resolves.
   */
  async onResult(decision: ScaleDecision, result: ActionResult): Promise<void> {
    const opens = opensActionAlert(result);
    if (!opens && !closesActionAlert(result)) return;
    const key = keyOf(result);
    const firing = await this.open.get(key);
    if (firing && !opens) {
      await this.send(actionAlertResolved(firing, result));
      await this.open.delete(key);
    } else if (firing) {
      // The same alert again, not a new one: a send lost after it was stored goes out now, else the notifier
      // drops it as already delivered (alertId and status).
      await this.send(firing);
    } else if (opens) {
      const alert = actionFailedAlert(decision, result);
      await this.open.set(key, alert);
      await this.send(alert);
    }
  }
}

function keyOf(result: ActionResult): string {
  return [result.target.kind, result.target.id, result.setting].join('\u0000');
}
