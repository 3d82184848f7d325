export * from './control-intent';
export * from './control-intent.reader';
export * from './control-publisher.service';
export * from './control-plane.module';
export * from './control-body';
export * from './pause-expiry.timers';
export * from './plan-approval.controller';
