import { PoliciesController } from './policies.controller';
import { StatusController } from './status.controller';
import { StatusReadGuard } from './status-read.guard';
import { TargetStatusMetrics } from './target-status.metrics';
import { TargetStatusReader } from './target-status.reader';

/**
 * The engine's read API, registered in RulesEngineModule itself: it reads the module's own policy store,
 * control state and state repository. /metrics shows each target's status too (TargetStatusMetrics), unguarded
 * as the rest of /metrics is.
 */
export const STATUS_API = {
  controllers: [StatusController, PoliciesController],
  providers: [TargetStatusReader, TargetStatusMetrics, StatusReadGuard],
};
