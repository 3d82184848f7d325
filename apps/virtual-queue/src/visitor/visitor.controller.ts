import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { joinRequestSchema } from '@surge/queue-core';
import { ZodValidationPipe } from '@surge/service-kit';
import { QueueError } from '../errors/queue.error';
import { RoomNamePipe } from './room-name.pipe';
import { TicketEventsStream } from './ticket-events.stream';
import { VisitorService } from './visitor.service';

@Controller('v1/rooms/:room')
export class VisitorController {
  constructor(
    private readonly visitors: VisitorService,
    private readonly stream: TicketEventsStream,
  ) {}

  @Post('join')
  @HttpCode(200)
  async join(
    @Param('room', RoomNamePipe) room: string,
    @Body(new ZodValidationPipe(joinRequestSchema)) body: { visitorId: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    try {
      return await this.visitors.join(room, body.visitorId, request.ip);
    } catch (error) {
      if (error instanceof QueueError && error.retryAfterSeconds)
        void reply.header('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
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
