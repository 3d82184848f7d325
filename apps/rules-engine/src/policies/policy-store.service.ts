import fs from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { NO_ROUTE, type SampleRoute, sampleRoutes } from '@surge/decision-core';
import { formatIssue, parsePolicyText, PolicyValidationError, type ScalingPolicy } from '@surge/policy';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { RulesEngineMetrics } from '../engine/rules-engine.metrics';
import { PlanIndex } from './plan-index';
import { PolicyDirectoryError, readPolicyDirectory } from './policy-directory';

/** Reloads are coalesced: a ConfigMap update touches several entries at once. */
const RELOAD_DEBOUNCE_MS = 100;

/**
 * The policies in force, from a directory reloaded on change. A file that becomes invalid keeps its last good
 * version: the error is logged with file, field path and problem, and counted in a metric.
 */
@Injectable()
export class PolicyStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PolicyStore.name);
  private readonly lastGood = new Map<string, ScalingPolicy[]>();
  private routes = new Map<string, SampleRoute>();
  private byTarget = new Map<string, ScalingPolicy>();
  private planIndex = PlanIndex.of([]);
  private watcher: fs.FSWatcher | null = null;
  private pending: NodeJS.Timeout | null = null;
  private readonly listeners: (() => void)[] = [];

  constructor(
    @Inject(RULES_ENGINE_CONFIG) private readonly config: RulesEngineConfig,
    private readonly metrics: RulesEngineMetrics,
  ) {}

  onModuleInit(): void {
    this.reload();
    this.watcher = fs.watch(this.config.SURGE_POLICIES_DIR, { recursive: true }, () => {
      if (this.pending) clearTimeout(this.pending);
      this.pending = setTimeout(() => this.reloadOnChange(), RELOAD_DEBOUNCE_MS);
    });
    this.watcher.on('error', (error) => this.logger.error(`watching SURGE_POLICIES_DIR failed: ${error.message}`));
  }

  /** At boot an unreadable directory stops the engine; once running, the policies in force stay in force. */
  private reloadOnChange(): void {
    try {
      this.reload();
    } catch (error) {
      if (!(error instanceof PolicyDirectoryError)) throw error;
      this.logger.error(`${error.message}; keeping the ${this.byTarget.size} policies in force`);
    }
  }

  onModuleDestroy(): void {
    this.watcher?.close();
    if (this.pending) clearTimeout(this.pending);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Who reads this target's samples (its own policy, and those naming it in metricsFrom) and what they read,
   * their settings included: computed once per reload, since the engine asks it for every envelope.
   */
  route(sampleTarget: string): SampleRoute {
    return this.routes.get(sampleTarget) ?? NO_ROUTE;
  }

  policyFor(targetId: string): ScalingPolicy | undefined {
    return this.byTarget.get(targetId);
  }

  /** The plans of the policies in force: which settings they act on, and what each target loads for them. */
  get plans(): PlanIndex {
    return this.planIndex;
  }

  all(): ScalingPolicy[] {
    return [...this.byTarget.values()];
  }

  reload(): void {
    const files = readPolicyDirectory(this.config.SURGE_POLICIES_DIR);
    const present = new Set(files.map((f) => f.file));
    for (const file of this.lastGood.keys()) if (!present.has(file)) this.lastGood.delete(file);
    let invalid = 0;
    for (const { file, text } of files) {
      try {
        this.lastGood.set(file, parsePolicyText(text, file));
      } catch (error) {
        if (!(error instanceof PolicyValidationError)) throw error;
        invalid += 1;
        this.metrics.policyReloadErrors.inc();
        const kept = this.lastGood.has(file) ? 'keeping its last good version' : 'no earlier version to keep';
        this.logger.error(`invalid policy file, ${kept}: ${error.issues.map(formatIssue).join('; ')}`);
      }
    }
    const byTarget = new Map<string, ScalingPolicy>();
    for (const file of [...this.lastGood.keys()].sort()) {
      for (const policy of this.lastGood.get(file)!) {
        const owner = byTarget.get(policy.target.id);
        if (owner)
          this.logger.error(
            `${file}: target ${policy.target.id} is already scaled by ${owner.name} (${owner.source}); ignored`,
          );
        else byTarget.set(policy.target.id, policy);
      }
    }
    this.byTarget = byTarget;
    this.routes = sampleRoutes([...byTarget.values()]);
    this.planIndex = PlanIndex.of(byTarget.values());
    this.metrics.invalidPolicies.set(invalid);
    this.metrics.policiesLoaded.set(byTarget.size);
    this.logger.log(`${byTarget.size} polic${byTarget.size === 1 ? 'y' : 'ies'} in force, ${invalid} invalid file(s)`);
    for (const listener of this.listeners) listener();
  }
}
