import { FieldValidationException, type Operator, REQUIRED_ROLE } from '@surge/service-kit';
import { describe, expect, it, vi } from 'vitest';
import type { ControlPublisher } from './control-publisher.service';
import { PlanApprovalController } from './plan-approval.controller';

const alice: Operator = { name: 'alice', role: 'operator' };
const RUN = 'p-0123456789abcdef0123456789abcdef';

function controller() {
  const publish = vi.fn(async (type: string, options: object) => ({ type, ...options }));
  return { publish, api: new PlanApprovalController({ publish } as unknown as ControlPublisher) };
}

/** A 400 naming the one bad field, and nothing published. */
async function refusedOn(promise: Promise<unknown>, path: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(FieldValidationException);
  await expect(promise).rejects.toMatchObject({ status: 400, issues: [expect.objectContaining({ path })] });
}

describe('PlanApprovalController', () => {
  it('publishes an approve or a reject naming the run, the step and the operator', async () => {
    const { api, publish } = controller();
    await api.answer(RUN, '2', 'approve', { reason: 'budget ok' }, alice);
    expect(publish).toHaveBeenLastCalledWith('approve', {
      plan: { runId: RUN, step: 2 },
      reason: 'budget ok',
      actor: 'alice',
    });
    await api.answer(RUN, '0', 'reject', {}, alice);
    expect(publish).toHaveBeenLastCalledWith('reject', expect.objectContaining({ plan: { runId: RUN, step: 0 } }));
  });

  it('refuses with a 400 naming the field an unknown answer, a malformed run id or step, and publishes nothing', async () => {
    const { api, publish } = controller();
    await refusedOn(api.answer(RUN, '0', 'maybe', {}, alice), 'answer');
    await refusedOn(api.answer('p-../../x', '0', 'approve', {}, alice), 'runId');
    await refusedOn(api.answer(RUN, '-1', 'approve', {}, alice), 'step');
    expect(publish).not.toHaveBeenCalled();
  });

  it('is for operators and admins only: the role is declared on the controller', () => {
    const role: unknown = Reflect.getMetadata(REQUIRED_ROLE, PlanApprovalController);
    expect(role ?? 'not declared').toBe('operator');
  });
});
