import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigurationError } from '@surge/config';
import { type CostModel, costModelOf, type TargetCost, targetCostsFileSchema, toFieldIssues } from '@surge/contracts';
import type { CostLookup } from '@surge/decision-core';
import { parse } from 'yaml';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';

/** The targets file cannot be read or its cost models are invalid: the engine does not start. */
export class TargetCostsError extends ConfigurationError {
  override readonly name = 'TargetCostsError';
}

/**
 * The cost models of the targets file (the executors' own, SURGE_TARGETS_FILE), read once at boot: a plan step's
 * estimated cost is priced with them (plan-approval.ts in the decision core). A bad file stops the engine rather
 * than let a step's cost read as unknown.
 */
@Injectable()
export class TargetCosts {
  private readonly costs = new Map<string, TargetCost>();

  constructor(@Inject(RULES_ENGINE_CONFIG) config: Pick<RulesEngineConfig, 'SURGE_TARGETS_FILE'>) {
    const file = config.SURGE_TARGETS_FILE;
    if (!file) return;
    let raw: unknown;
    try {
      raw = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new TargetCostsError(`Cannot read SURGE_TARGETS_FILE ${file}: ${(error as Error).message}`);
    }
    const result = targetCostsFileSchema.safeParse(raw);
    if (!result.success) {
      const issues = toFieldIssues(result.error).map((issue) => `${issue.path}: ${issue.message}`);
      throw new TargetCostsError(`Invalid SURGE_TARGETS_FILE ${file}: ${issues.join('; ')}`);
    }
    for (const target of result.data.targets)
      if (target.cost) this.costs.set(`${target.kind}\u0000${target.id}`, target.cost);
  }

  readonly lookup: CostLookup = (target, setting): CostModel | undefined =>
    costModelOf(this.costs.get(`${target.kind}\u0000${target.id}`), setting);
}
