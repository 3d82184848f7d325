import { Module } from '@nestjs/common';
import { ControlController } from './control.controller';
import { ControlPublisher } from './control-publisher.service';

/**
 * The operator's control plane: `POST /v1/control/:action`, and the one producer of the control topic.
 * A host mounts it beside its global Kafka module (which must create the `control` topic) and the admin guard
 * of the global ObservabilityModule; it shares nothing else with the host.
 */
@Module({ controllers: [ControlController], providers: [ControlPublisher] })
export class ControlPlaneModule {}
