import { PoliciesController } from './policies.controller';
import { StatusController } from './status.controller';
import { StatusReadGuard } from './status-read.guard';
import { TargetStatusReader } from './target-status.reader';

/**
 * The engine's read API, registered in RulesEngineModule itself: it reads the module's own policy store,
 * control state and state repository.
 */
export const STATUS_API = {
  controllers: [StatusController, PoliciesController],
  providers: [TargetStatusReader, StatusReadGuard],
};
