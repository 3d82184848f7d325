import { planRunView } from './plan-run.view';
import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiErrors, ApiZodQuery, FieldValidationException } from '@surge/service-kit';
import { AuditQueryRepository } from '../events/audit-query.repository';
import { toView } from '../events/audit-row';
import { eventQuery, parseEventFilter, storableText } from '../events/event-filter';
import { AuditReadGuard } from './audit-read.guard';

const DAY_MS = 86_400_000;

@Controller('v1/audit')
@UseGuards(AuditReadGuard)
export class EventsController {
  constructor(private readonly query: AuditQueryRepository) {}

  @Get('events')
  @ApiOperation({ summary: 'Audit events, newest first, filtered; page on with nextCursor' })
  @ApiZodQuery(eventQuery)
  @ApiErrors({ 400: 'validation_failed: `issues` names every bad or unknown parameter' })
  async list(@Query() params: Record<string, unknown>) {
    const parsed = parseEventFilter(params);
    if (!parsed.ok)
      throw new FieldValidationException(
        parsed.issues,
        `invalid query parameter: ${parsed.issues.map((i) => i.path).join(', ')}`,
      );
    const page = await this.query.list(parsed.filter);
    return { events: page.events.map(toView), nextCursor: page.nextCursor };
  }

  @Get('deadletters/summary')
  @ApiOperation({ summary: 'Dead letters of the last 24 hours: how many, and the latest' })
  async deadLetters() {
    const since = new Date(Date.now() - DAY_MS);
    const summary = await this.query.deadLetters(since, 10);
    return { since: since.toISOString(), count: summary.count, recent: summary.recent.map(toView) };
  }

  /** The decision as published, its explanation, and every action result and other event carrying its id. */
  @Get('decisions/:id')
  @ApiOperation({ summary: 'A decision, its explanation, its action results and every event carrying its id' })
  @ApiErrors({ 400: 'invalid decision id', 404: 'no audit events for this decision' })
  async decision(@Param('id') id: string) {
    const valid = storableText(200).safeParse(id);
    if (!valid.success)
      throw new FieldValidationException(
        [{ path: 'id', message: valid.error.issues[0]!.message }],
        'invalid decision id',
      );
    const events = (await this.query.byDecision(id)).map(toView);
    const decision = events.find((e) => e.type === 'decision');
    if (!decision && events.length === 0) throw new NotFoundException(`no audit events for decision ${id}`);
    const payload = decision?.payload as { explanation?: unknown } | undefined;
    return {
      decisionId: id,
      decision: decision ?? null,
      explanation: payload?.explanation ?? null,
      actions: events.filter((e) => e.type === 'action'),
      related: events.filter((e) => e.type !== 'decision' && e.type !== 'action'),
    };
  }

  /** A plan run as one unit: each step (and revert move) with its decision and the action results that followed. */
  @Get('plans/:runId')
  @ApiOperation({ summary: 'A plan run: each step and revert move with its decision and action results' })
  @ApiErrors({ 400: 'invalid plan run id', 404: 'no audit events for this plan run' })
  async planRun(@Param('runId') runId: string) {
    const valid = storableText(200).safeParse(runId);
    if (!valid.success)
      throw new FieldValidationException(
        [{ path: 'runId', message: valid.error.issues[0]!.message }],
        'invalid plan run id',
      );
    const events = (await this.query.byPlanRun(runId)).map(toView);
    if (events.length === 0) throw new NotFoundException(`no audit events for plan run ${runId}`);
    return planRunView(runId, events);
  }
}
