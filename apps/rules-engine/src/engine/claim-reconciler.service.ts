import { Injectable, Logger } from '@nestjs/common';
import { claimOwnerOf, emptyState } from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';
import { ControlState } from '../control/control-state.service';
import { PolicyStore } from '../policies/policy-store.service';
import type { StoredClaim } from '../state/plan-claim.codec';
import { type ClaimField, type ClaimWrite, TargetStateRepository } from '../state/target-state.repository';
import { claimWrites, planInputsOf } from './plan-inputs';

/**
 * Brings the claims in Redis back in line with the policies in force and their runs' stored state, at start and
 * after every reload or change of the operator's controls. Each commit keeps its own claims current; what no
 * commit would ever fix is done here: a claim whose owner was removed or renamed (its policy or its rule), turned
 * dry-run, or no longer acts on that setting is dropped, as is an expired one; and every plan policy's claims are
 * rewritten from its stored runs, so a crash between a state's write and its claims' heals.
 */
@Injectable()
export class ClaimReconciler {
  private readonly logger = new Logger(ClaimReconciler.name);
  private running: Promise<void> | null = null;
  private again = false;
  private subscribed = false;

  constructor(
    private readonly repository: TargetStateRepository,
    private readonly policies: PolicyStore,
    private readonly control: ControlState,
  ) {}

  /** Reconciles once (a failure throws, for the caller's retry), then after each change. */
  async start(): Promise<void> {
    await this.reconcile();
    if (this.subscribed) return;
    this.subscribed = true;
    // A pass never rejects: it logs its failure and the next change tries again.
    const onChange = () => {
      this.request().catch(() => undefined);
    };
    this.policies.onChange(onChange);
    this.control.onChange(onChange);
  }

  /** One pass at a time; a change during a pass asks for one more after it, however many changes there were. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.reconcile().catch((error: unknown) =>
          this.logger.warn(`claims not reconciled: ${(error as Error).message}; the next change tries again`),
        );
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  async reconcile(): Promise<void> {
    const effective = this.policies.all().map((policy) => this.control.effective(policy));
    await this.rebuild(effective);
    const stale = (await this.repository.allClaims()).filter((field) => this.stale(field, effective));
    const dropped = await this.repository.dropClaims(stale);
    if (dropped) this.logger.log(`${dropped} stale plan claim(s) dropped`);
  }

  /** Every live plan policy's claims as its stored runs hold them: set where held, deleted where not. */
  private async rebuild(policies: readonly ScalingPolicy[]): Promise<void> {
    const acting = policies.flatMap((policy) => {
      const settings = this.policies.plans.readsOf(policy)?.settings ?? [];
      return settings.length && !policy.dryRun ? [{ policy, settings }] : [];
    });
    if (!acting.length) return;
    const loaded = await this.repository.loadMany(acting.map(({ policy }) => policy.target.id));
    const writes: ClaimWrite[] = [];
    acting.forEach(({ policy, settings }, index) => {
      const state = loaded.stored[index]?.state ?? emptyState();
      const inputs = planInputsOf(policy, settings, { observed: [], claims: [] });
      writes.push(...(claimWrites(policy, inputs, state, state) ?? []));
    });
    await this.repository.saveClaims(writes);
  }

  private stale(field: ClaimField & { claim: StoredClaim | 'expired' | undefined }, policies: ScalingPolicy[]) {
    const { claim } = field;
    // A field this engine cannot read is left to its owner (a newer engine's, in a rolling upgrade).
    if (claim === undefined) return false;
    if (claim === 'expired') return true;
    const policy = policies.find((p) => p.target.id === claim.policyTarget);
    if (!policy || policy.dryRun) return true;
    const rule = policy.rules.find((r) => r.plan && claimOwnerOf(policy, r.name) === field.owner);
    return !rule?.plan?.steps.some(
      (step) =>
        step.setting === claim.setting && step.target.id === claim.target.id && step.target.kind === claim.target.kind,
    );
  }
}
