import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { AdminAuthGuard, FieldValidationException, ZodValidationPipe } from '@surge/service-kit';
import { z } from 'zod';
import { type ControlAction, ControlPublisher } from './control-publisher.service';

const ACTIONS = ['pause', 'resume', 'dry-run-on', 'dry-run-off'] as const;
const controlBody = z
  .object({ policy: z.string().min(1).max(253).optional(), reason: z.string().max(500).optional() })
  .default({});

/** The operator's controls: pause/resume and dry-run, globally or for one policy. Always behind the admin guard. */
@Controller('v1/control')
@UseGuards(AdminAuthGuard)
export class ControlController {
  constructor(private readonly publisher: ControlPublisher) {}

  @Post(':action')
  @HttpCode(202)
  async control(
    @Param('action') action: string,
    @Body(new ZodValidationPipe(controlBody)) body: z.infer<typeof controlBody>,
  ) {
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new FieldValidationException(
        [{ path: 'action', message: `must be one of ${ACTIONS.join(', ')}` }],
        `unknown control action ${action}`,
      );
    }
    const event = await this.publisher.publish(action as ControlAction, { ...body, actor: 'console' });
    return { published: event };
  }
}
