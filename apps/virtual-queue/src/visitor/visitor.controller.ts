import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { joinRequestSchema } from '@surge/queue-core';
import { ZodValidationPipe } from '@surge/service-kit';
import { RetryAfterFilter } from '../errors/retry-after.filter';
import { RoomNamePipe } from './room-name.pipe';
import { TicketEventsStream } from './ticket-events.stream';
import { VisitorService } from './visitor.service';

@Controller('v1/rooms/:room')
@UseFilters(RetryAfterFilter)
export class VisitorController {
  constructor(
    private readonly visitors: VisitorService,
    private readonly stream: TicketEventsStream,
  ) {}

  @Post('join')
  @HttpCode(200)
  join(
    @Param('room', RoomNamePipe) room: string,
    @Body(new ZodValidationPipe(joinRequestSchema)) body: { visitorId: string },
    @Req() request: FastifyRequest,
  ) {
    return this.visitors.join(room, body.visitorId, request.ip);
  }

  @Get('tickets/:ticketId')
  status(@Param('room', RoomNamePipe) room: string, @Param('ticketId') ticketId: string) {
    return this.visitors.status(room, ticketId);
  }

  @Post('tickets/:ticketId/heartbeat')
  @HttpCode(200)
  heartbeat(@Param('room', RoomNamePipe) room: string, @Param('ticketId') ticketId: string) {
    return this.visitors.status(room, ticketId);
  }

  @Delete('tickets/:ticketId')
  leave(@Param('room', RoomNamePipe) room: string, @Param('ticketId') ticketId: string) {
    return this.visitors.leave(room, ticketId);
  }

  @Get('tickets/:ticketId/events')
  async events(
    @Param('room', RoomNamePipe) room: string,
    @Param('ticketId') ticketId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Fail before hijacking, so a bad ticket gets a normal JSON error.
    const first = await this.visitors.status(room, ticketId);
    this.stream.open(reply, room, ticketId, first);
  }
}
