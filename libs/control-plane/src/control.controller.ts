import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { AdminAuthGuard, FieldValidationException, ZodValidationPipe } from '@surge/service-kit';
import { CONTROL_ACTIONS, type ControlBody, controlBody, requestedUntil } from './control-body';
import { type ControlAction, ControlPublisher } from './control-publisher.service';

/** The operator's controls: pause/resume and dry-run, globally or for one policy. Always behind the admin guard. */
@Controller('v1/control')
@UseGuards(AdminAuthGuard)
export class ControlController {
  constructor(private readonly publisher: ControlPublisher) {}

  @Post(':action')
  @HttpCode(202)
  async control(@Param('action') action: string, @Body(new ZodValidationPipe(controlBody)) body: ControlBody) {
    if (!(CONTROL_ACTIONS as readonly string[]).includes(action)) {
      throw new FieldValidationException(
        [{ path: 'action', message: `must be one of ${CONTROL_ACTIONS.join(', ')}` }],
        `unknown control action ${action}`,
      );
    }
    const until = requestedUntil(action, body, Date.now());
    const event = await this.publisher.publish(action as ControlAction, {
      policy: body.policy,
      reason: body.reason,
      actor: 'console',
      until,
    });
    return { published: event };
  }
}
