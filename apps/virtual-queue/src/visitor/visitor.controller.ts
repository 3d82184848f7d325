import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { joinRequestSchema } from '@surge/queue-core';
import { ApiErrors, ZodValidationPipe } from '@surge/service-kit';
import { RoomAdminService } from '../admin/room-admin.service';
import { RoomConfigCache } from '../admin/room-config.cache';
import { JoinChallengeService } from '../challenge/join-challenge.service';
import { RetryAfterFilter } from '../errors/retry-after.filter';
import { SigningKeysService } from '../tokens/signing-keys.service';
import { ApiRoom } from './room-api';
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
import { type JoinProof, VisitorService } from './visitor.service';

@Controller('v1/rooms/:room')
@UseFilters(RetryAfterFilter)
@ApiRoom()
export class VisitorController {
  constructor(
    private readonly visitors: VisitorService,
    private readonly stream: TicketEventsStream,
    private readonly keys: SigningKeysService,
    private readonly challenges: JoinChallengeService,
    private readonly rooms: RoomConfigCache,
    private readonly admin: RoomAdminService,
  ) {}

  @Post('join')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Join the room, or see the ticket already held (signed visitor cookie, or the ticket id as bearer)',
  })
  @ApiErrors({
    403: 'join_challenge_refused: the join gate wants a valid solution to a fresh challenge',
    409: 'room_closed',
    429: 'join_rate_limited: too many joins from this address; see Retry-After',
  })
  async join(
    @Param('room', RoomNamePipe) room: string,
    @Body(new ZodValidationPipe(joinRequestSchema)) body: JoinProof,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const known = this.identityOf(room, request);
    const visitorId = known ?? newVisitorId();
    // request.ip is the socket's address unless a trusted proxy (SURGE_QUEUE_TRUSTED_*) names the client.
    const view = await this.visitors.join(room, visitorId, request.ip, known, {
      challenge: body.challenge,
      solution: body.solution,
    });
    setVisitorCookie(
      reply,
      request,
      visitorCookieValue(visitorId, (m) => this.keys.mac(m)),
    );
    return view;
  }

  /** A join challenge for this visitor (cookie or ticket, else none yet); never cached, each is single use. */
  @Get('challenge')
  @ApiOperation({ summary: "The room's join challenge for this visitor, when its join gate asks for one" })
  @Header('cache-control', 'no-store')
  async challenge(@Param('room', RoomNamePipe) room: string, @Req() request: FastifyRequest) {
    const config = await this.rooms.get(room);
    if (!config) throw this.admin.missing(room);
    if (!config.joinChallenge) return { required: false };
    return { required: true, ...this.challenges.issue(room, this.identityOf(room, request), config.joinChallenge) };
  }

  /** Who is joining: the signed cookie, or an API client's ticket id as a bearer credential; never the body. */
  private identityOf(room: string, request: FastifyRequest): string | null {
    const fromCookie = visitorOfCookie(cookieOf(request, VISITOR_COOKIE), (m) => this.keys.mac(m));
    if (fromCookie) return fromCookie;
    const bearer = bearerOf(request);
    return bearer ? this.visitors.visitorOfOrNull(room, bearer) : null;
  }

  @Get('tickets/:ticketId')
  @ApiOperation({ summary: "A ticket's place, status and, once admitted, its admission token" })
  @ApiErrors({ 410: 'ticket_gone: the ticket expired or left' })
  status(@Param('room', RoomNamePipe) room: string, @Param('ticketId') ticketId: string) {
    return this.visitors.status(room, ticketId);
  }

  @Post('tickets/:ticketId/heartbeat')
  @HttpCode(200)
  @ApiOperation({ summary: 'Keep the ticket alive: a ticket not seen for a while leaves the queue' })
  heartbeat(@Param('room', RoomNamePipe) room: string, @Param('ticketId') ticketId: string) {
    return this.visitors.status(room, ticketId);
  }

  @Delete('tickets/:ticketId')
  @ApiOperation({ summary: 'Leave the queue, or end the session' })
  leave(@Param('room', RoomNamePipe) room: string, @Param('ticketId') ticketId: string) {
    return this.visitors.leave(room, ticketId);
  }

  @Get('tickets/:ticketId/events')
  @ApiOperation({ summary: "Server-Sent Events of the ticket's status as it changes" })
  @ApiProduces('text/event-stream')
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
