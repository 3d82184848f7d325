import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards, UseFilters } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { roomConfigPatchSchema, type RoomConfigPatch } from '@surge/queue-core';
import {
  AdminAuthGuard,
  ApiErrors,
  CurrentOperator,
  type Operator,
  RequireRole,
  ZodValidationPipe,
} from '@surge/service-kit';
import { QueueError, QueueErrorCode } from '../errors/queue.error';
import { RetryAfterFilter } from '../errors/retry-after.filter';
import { RedisProvider } from '../redis/redis.provider';
import { ApiRoom } from '../visitor/room-api';
import { RoomNamePipe } from '../visitor/room-name.pipe';
import { VisitorService } from '../visitor/visitor.service';
import { RoomAdminService } from './room-admin.service';

@Controller('v1/admin/rooms/:room')
@UseGuards(AdminAuthGuard)
// Changing a room is an admin's; operators pause and resume Surge, viewers only read.
@RequireRole('admin')
@UseFilters(RetryAfterFilter)
@ApiRoom()
export class AdminController {
  constructor(
    private readonly rooms: RoomAdminService,
    private readonly visitors: VisitorService,
    private readonly redis: RedisProvider,
  ) {}

  @Put()
  @ApiOperation({
    summary: "Change a room's settings (a partial patch); the change is audited under the operator's name",
  })
  async configure(
    @Param('room', RoomNamePipe) room: string,
    @Body(new ZodValidationPipe(roomConfigPatchSchema)) patch: RoomConfigPatch,
    @CurrentOperator() operator: Operator,
  ) {
    // Audited under the operator's own name, so the trail says who changed the room, not just that an admin did.
    const { after } = await this.rooms.configure(room, patch, 'admin', { actor: operator.name });
    return { room, config: after };
  }

  @Get('stats')
  @ApiOperation({ summary: "The room's figures: waiting, active, admission rate" })
  stats(@Param('room', RoomNamePipe) room: string) {
    return this.rooms.stats(room);
  }

  /** The purchase is done: the slot frees at once instead of at the session's end. */
  @Post('tickets/:ticketId/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'The purchase is done: free the slot at once' })
  @ApiErrors({ 409: 'not_active: this ticket has no active session' })
  async complete(@Param('room', RoomNamePipe) room: string, @Param('ticketId') ticketId: string) {
    const visitorId = this.visitors.visitorOf(room, ticketId);
    const result = await this.redis.queue.complete(room, visitorId);
    if (result !== 'completed') throw new QueueError(QueueErrorCode.NotActive, 'this ticket has no active session');
    return { ticketId, status: result };
  }
}
