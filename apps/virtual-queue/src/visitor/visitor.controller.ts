import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { joinRequestSchema } from '@surge/queue-core';
import { ZodValidationPipe } from '@surge/service-kit';
import { RetryAfterFilter } from '../errors/retry-after.filter';
import { SigningKeysService } from '../tokens/signing-keys.service';
import { RoomNamePipe } from './room-name.pipe';
import { TicketEventsStream } from './ticket-events.stream';
import {
  bearerOf,
  cookieOf,
  newVisitorId,
  setVisitorCookie,
  VISITOR_COOKIE,
  visitorCookieValue,
  visitorOfCookie,
} from './visitor-identity';
import { VisitorService } from './visitor.service';

@Controller('v1/rooms/:room')
@UseFilters(RetryAfterFilter)
export class VisitorController {
  constructor(
    private readonly visitors: VisitorService,
    private readonly stream: TicketEventsStream,
    private readonly keys: SigningKeysService,
  ) {}

  @Post('join')
  @HttpCode(200)
  async join(
    @Param('room', RoomNamePipe) room: string,
    @Body(new ZodValidationPipe(joinRequestSchema)) _body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const visitorId = this.identityOf(room, request) ?? newVisitorId();
    // request.ip is the socket's address unless a trusted proxy (SURGE_QUEUE_TRUSTED_*) names the client.
    const view = await this.visitors.join(room, visitorId, request.ip);
    setVisitorCookie(
      reply,
      request,
      visitorCookieValue(visitorId, (m) => this.keys.mac(m)),
    );
    return view;
  }

  /** Who is joining: the signed cookie, or an API client's ticket id as a bearer credential; never the body. */
  private identityOf(room: string, request: FastifyRequest): string | null {
    const fromCookie = visitorOfCookie(cookieOf(request, VISITOR_COOKIE), (m) => this.keys.mac(m));
    if (fromCookie) return fromCookie;
    const bearer = bearerOf(request);
    return bearer ? this.visitors.visitorOfOrNull(room, bearer) : null;
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
