import { Module } from '@nestjs/common';
import type { SigningDeclaration } from '@surge/kafka';
import { ControlController } from './control.controller';
import { ControlPublisher } from './control-publisher.service';
import { PlanApprovalController } from './plan-approval.controller';
import { PauseExpiry } from './pause-expiry.service';

/**
 * What the host's Kafka module must declare: every consumer of the control topic trusts only signed events, the
 * control plane's own reader too (a forged pause must not make it publish a signed resume).
 */
export const CONTROL_PLANE_SIGNING: SigningDeclaration = { sign: ['control'], verify: ['control'] };

/**
 * The operator's control plane: `POST /v1/control/:action`, the answers to plan steps awaiting approval
 * (`POST /v1/control/plans/:runId/steps/:step/approve|reject`), and the one producer of the control topic (it also
 * reads it, to publish the resume of a pause that expires).
 * A host mounts it beside its global Kafka module (which must create the `control` topic and declare
 * CONTROL_PLANE_SIGNING) and the admin guard
 * of the global ObservabilityModule; it shares nothing else with the host.
 */
@Module({ controllers: [ControlController, PlanApprovalController], providers: [ControlPublisher, PauseExpiry] })
export class ControlPlaneModule {}
