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
import { z } from 'zod';
import { ControlPublisher, type PlanAnswer } from './control-publisher.service';

const ANSWERS: readonly PlanAnswer[] = ['approve', 'reject'];
const RUN_ID = /^p-[0-9a-f]{32}$/;

const answerBody = z.object({ reason: z.string().max(500).optional() }).default({});
type AnswerBody = z.infer<typeof answerBody>;

/**
 * An operator's answer to a plan step waiting for approval: operators and admins may give it, viewers may not,
 * and the event names who did. The rules engine applies it to the run it names, and only to that run's step.
 */
@Controller('v1/control/plans')
@UseGuards(AdminAuthGuard)
@RequireRole('operator')
export class PlanApprovalController {
  constructor(private readonly publisher: ControlPublisher) {}

  @Post(':runId/steps/:step/:answer')
  @HttpCode(202)
  @ApiOperation({ summary: 'Approve or reject a plan step waiting for approval: its run id and step index' })
  @ApiParam({ name: 'answer', enum: ANSWERS })
  async answer(
    @Param('runId') runId: string,
    @Param('step') rawStep: string,
    @Param('answer') answer: string,
    @Body(new ZodValidationPipe(answerBody)) body: AnswerBody,
    @CurrentOperator() operator: Operator,
  ) {
    if (!(ANSWERS as readonly string[]).includes(answer))
      throw new FieldValidationException(
        [{ path: 'answer', message: `must be one of ${ANSWERS.join(', ')}` }],
        `unknown answer ${answer}`,
      );
    if (!RUN_ID.test(runId))
      throw new FieldValidationException(
        [{ path: 'runId', message: 'must be a plan run id (p-<32 hex>)' }],
        'bad run id',
      );
    // A plan has at most 20 steps (MAX_PLAN_STEPS): an index needs no more than two digits.
    if (!/^\d{1,2}$/.test(rawStep))
      throw new FieldValidationException([{ path: 'step', message: 'must be a step index (0, 1, …)' }], 'bad step');
    const step = Number(rawStep);
    const event = await this.publisher.publish(answer as PlanAnswer, {
      plan: { runId, step },
      reason: body.reason,
      actor: operator.name,
    });
    return { published: event };
  }
}
