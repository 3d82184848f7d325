import { describe, expect, it } from 'vitest';
import { RequestGate } from './request.gate';

describe('RequestGate', () => {
  it('sheds arrivals beyond the concurrency and counts only admitted requests', () => {
    const gate = new RequestGate(2, 100);
    expect([gate.tryEnter(), gate.tryEnter(), gate.tryEnter()]).toEqual([null, null, 'busy']);
    gate.leave();
    expect({ inFlight: gate.inFlight, total: gate.total, peak: gate.peak }).toEqual({ inFlight: 1, total: 2, peak: 2 });
  });

  it('refuses everything once the request budget is spent', () => {
    const gate = new RequestGate(10, 2);
    gate.tryEnter();
    gate.leave();
    gate.tryEnter();
    gate.leave();
    expect(gate.tryEnter()).toBe('budget-spent');
  });

  it('lets a waiting journey step in when a slot frees, in arrival order', async () => {
    const gate = new RequestGate(1, 10);
    gate.tryEnter();
    const order: string[] = [];
    const first = gate.enter().then((r) => order.push(`first:${r}`));
    const second = gate.enter().then((r) => order.push(`second:${r}`));
    gate.leave();
    await first;
    gate.leave();
    await second;
    expect(order).toEqual(['first:null', 'second:null']);
  });

  it('wakes waiters with a refusal when stopped', async () => {
    const gate = new RequestGate(1, 10);
    gate.tryEnter();
    const waiting = gate.enter();
    gate.stop();
    expect(await waiting).toBe('stopped');
  });
});
