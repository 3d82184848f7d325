import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import {
  AdminAuthGuard,
  CurrentOperator,
  FieldValidationException,
  type Operator,
  RequireRole,
  ZodValidationPipe,
} from '@surge/service-kit';
import { CONTROL_ACTIONS, type ControlBody, controlBody, requestedUntil } from './control-body';
import { type ControlAction, ControlPublisher } from './control-publisher.service';

/**
 * The operator's controls: pause/resume and dry-run, globally or for one policy. Operators and admins may use them,
 * viewers may not; each event names who sent it.
 */
@Controller('v1/control')
@UseGuards(AdminAuthGuard)
@RequireRole('operator')
export class ControlController {
  constructor(private readonly publisher: ControlPublisher) {}

  @Post(':action')
  @HttpCode(202)
  @ApiOperation({ summary: 'Pause or resume Surge, or turn dry-run on or off: globally, or for one policy' })
  @ApiParam({ name: 'action', enum: CONTROL_ACTIONS })
  async control(
    @Param('action') action: string,
    @Body(new ZodValidationPipe(controlBody)) body: ControlBody,
    @CurrentOperator() operator: Operator,
  ) {
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
      actor: operator.name,
      until,
    });
    return { published: event };
  }
}
