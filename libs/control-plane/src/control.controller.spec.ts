import { FieldValidationException, type Operator } from '@surge/service-kit';
import { describe, expect, it, vi } from 'vitest';
import { ControlController } from './control.controller';
import type { ControlPublisher } from './control-publisher.service';

const alice: Operator = { name: 'alice', role: 'operator' };

function controller() {
  const publish = vi.fn(async (type: string, options: object) => ({ type, ...options }));
  return { publish, api: new ControlController({ publish } as unknown as ControlPublisher) };
}

async function refusal(promise: Promise<unknown>): Promise<FieldValidationException> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FieldValidationException);
  return error as FieldValidationException;
}

describe('ControlController pause expiry', () => {
  it('publishes a pause with the until it was given, or forSeconds from the server clock', async () => {
    const { api, publish } = controller();
    const until = Date.now() + 60_000;
    await api.control('pause', { until }, alice);
    expect(publish).toHaveBeenLastCalledWith('pause', expect.objectContaining({ until, actor: 'alice' }));
    const before = Date.now();
    await api.control('pause', { policy: 'shop', forSeconds: 900 }, alice);
    const asked = (publish.mock.lastCall![1] as { until: number }).until;
    expect(asked).toBeGreaterThanOrEqual(before + 900_000);
    expect(asked).toBeLessThanOrEqual(Date.now() + 900_000);
  });

  it('refuses with a 400 naming the field an until already passed, and publishes nothing', async () => {
    const { api, publish } = controller();
    const error = await refusal(api.control('pause', { until: Date.now() - 1000 }, alice));
    expect(error.getStatus()).toBe(400);
    expect(error.issues).toEqual([{ path: 'until', message: expect.stringMatching(/^must be in the future/) }]);
    expect(publish).not.toHaveBeenCalled();
  });

  it('refuses an expiry on anything but a pause, and both fields at once', async () => {
    const { api } = controller();
    expect((await refusal(api.control('resume', { forSeconds: 60 }, alice))).issues[0]).toMatchObject({
      path: 'forSeconds',
    });
    const both = await refusal(api.control('pause', { until: Date.now() + 60_000, forSeconds: 60 }, alice));
    expect(both.issues[0]).toMatchObject({ path: 'forSeconds', message: 'cannot be given with until' });
  });

  it('publishes a pause without an expiry as before', async () => {
    const { api, publish } = controller();
    await api.control('pause', {}, alice);
    expect(publish).toHaveBeenLastCalledWith('pause', expect.objectContaining({ until: undefined }));
  });
});
