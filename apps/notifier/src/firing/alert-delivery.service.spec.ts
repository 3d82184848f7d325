import type { AlertEvent } from '@surge/contracts';
import { PermanentFailure } from '@surge/kafka';
import { describe, expect, it } from 'vitest';
import type { NotifierMetrics } from '../alertmanager/notifier-metrics';
import type { DeliveredMarks } from '../delivery/delivered-marks';
import type { AlertReceiver } from '../receivers/alert-receiver';
import type { ReceiverMatch, ReceiverType } from '../receivers/receivers-file.schema';
import type { ReceiversProvider } from '../receivers/receivers.provider';
import { firingAlert, resolvedAlert } from '../testing/alert-fixtures';
import { AlertDelivery } from './alert-delivery.service';
import type { FiringStore } from './firing-store';

/** A receiver that records what it took and fails while `failWith` is set. */
function fakeReceiver(name: string, type: ReceiverType, match: ReceiverMatch = {}) {
  const taken: AlertEvent[] = [];
  const resent: AlertEvent[][] = [];
  const state: { failWith?: Error } = {};
  const receiver: AlertReceiver = {
    settings: { name, type, url: 'http://127.0.0.1:1', match },
    deliver: async (alert) => {
      if (state.failWith) throw state.failWith;
      taken.push(alert);
    },
    ...(type === 'alertmanager' ? { resend: async (firing: AlertEvent[]) => void resent.push(firing) } : {}),
  };
  return { receiver, taken, resent, state };
}

function deliveryWith(receivers: ReturnType<typeof fakeReceiver>[]) {
  const marks = new Set<string>();
  const firing = new Map<string, AlertEvent>();
  const key = (alert: AlertEvent, receiver: string) => `${receiver}:${alert.status}:${alert.alertId}`;
  const counter = { inc: () => undefined };
  const delivery = new AlertDelivery(
    { all: receivers.map(({ receiver }) => ({ receiver, track: (send) => send() })) } as ReceiversProvider,
    {
      has: async (alert, receiver) => marks.has(key(alert, receiver)),
      mark: async (alert, receiver) => void marks.add(key(alert, receiver)),
    } as DeliveredMarks,
    {
      put: async (alert) => void firing.set(alert.alertId, alert),
      remove: async (alertId) => void firing.delete(alertId),
      all: async () => [...firing.values()],
    } as FiringStore,
    { posted: counter, postFailures: counter, firing: { set: () => undefined } } as unknown as NotifierMetrics,
  );
  return { delivery, firing };
}

describe('AlertDelivery', () => {
  const alert = firingAlert('shop/web');

  it('fails while one receiver is down, and on the retry sends only to that one', async () => {
    const chat = fakeReceiver('chat', 'slack');
    const hook = fakeReceiver('hook', 'webhook');
    const { delivery } = deliveryWith([chat, hook]);
    hook.state.failWith = new Error('webhook answered 503');

    await expect(delivery.deliver(alert)).rejects.toThrow('webhook answered 503');
    await expect(delivery.deliver(alert)).rejects.toThrow('webhook answered 503');
    hook.state.failWith = undefined;
    await delivery.deliver(alert);

    expect(chat.taken).toEqual([alert]);
    expect(hook.taken).toEqual([alert]);
  });

  it('sends only to the receivers whose match holds', async () => {
    const pager = fakeReceiver('pager', 'pagerduty', { severityAtLeast: 'P1' });
    const chat = fakeReceiver('chat', 'slack');
    const { delivery } = deliveryWith([pager, chat]);
    await delivery.deliver(alert);
    expect(pager.taken).toEqual([]);
    expect(chat.taken).toEqual([alert]);
  });

  it('dead-letters only once no receiver is left down', async () => {
    const chat = fakeReceiver('chat', 'slack');
    const hook = fakeReceiver('hook', 'webhook');
    const { delivery } = deliveryWith([chat, hook]);
    chat.state.failWith = new PermanentFailure('slack answered 400');
    hook.state.failWith = new Error('webhook answered 503');
    const transient = await delivery.deliver(alert).catch((error: unknown) => error);
    expect(transient).not.toBeInstanceOf(PermanentFailure);
    hook.state.failWith = undefined;
    await expect(delivery.deliver(alert)).rejects.toBeInstanceOf(PermanentFailure);
    expect(hook.taken).toEqual([alert]);
  });

  it('keeps the firing set for Alertmanager alone, and drops a resolved alert from it whatever the others do', async () => {
    const am = fakeReceiver('alertmanager', 'alertmanager');
    const hook = fakeReceiver('hook', 'webhook');
    const { delivery, firing } = deliveryWith([am, hook]);
    await delivery.deliver(alert);
    expect([...firing.keys()]).toEqual([alert.alertId]);

    await delivery.resendFiring();
    expect(am.resent).toEqual([[alert]]);
    expect(hook.taken).toEqual([alert]);

    hook.state.failWith = new Error('webhook answered 503');
    await expect(delivery.deliver(resolvedAlert(alert, Date.parse('2026-03-02T10:10:00Z')))).rejects.toThrow();
    // Alertmanager has the resolve: no resend round may post the alert firing again while the webhook is down.
    expect(firing.size).toBe(0);
  });
});
