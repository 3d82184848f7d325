import { Inject, Injectable } from '@nestjs/common';
import { decodeTicketId, encodeTicketId, type RoomConfig } from '@surge/queue-core';
import { tokensMatch } from '@surge/service-kit';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { QueueError, QueueErrorCode } from '../errors/queue.error';
import type { TicketState } from '../redis/ticket-state';
import { RedisProvider } from '../redis/redis.provider';
import { RoomConfigCache } from '../admin/room-config.cache';
import { RoomAdminService } from '../admin/room-admin.service';
import { AdmissionTokenService } from '../tokens/admission-token.service';
import { SigningKeysService } from '../tokens/signing-keys.service';
import { ticketView, type TicketView } from './ticket-view';
import { QueueMetrics } from '../events/queue-metrics';
import { JoinChallengeService, joinChallengeRefused } from '../challenge/join-challenge.service';

export interface JoinProof {
  challenge?: string;
  solution?: string;
}

/** The visitor's side of the queue: join, look up, heartbeat, leave; admission answers carry a signed token. */
@Injectable()
export class VisitorService {
  constructor(
    private readonly redis: RedisProvider,
    private readonly keys: SigningKeysService,
    private readonly tokens: AdmissionTokenService,
    private readonly rooms: RoomConfigCache,
    private readonly metrics: QueueMetrics,
    private readonly admin: RoomAdminService,
    private readonly challenges: JoinChallengeService,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  /**
   * `known` is the identity the request proved (cookie or ticket), null for a newcomer given `visitorId` just now:
   * a join challenge is bound to it. In a room with a join gate, `proof` must carry a solved challenge unless the
   * visitor already holds a place.
   */
  async join(
    room: string,
    visitorId: string,
    ip: string,
    known: string | null = visitorId,
    proof: JoinProof = {},
  ): Promise<TicketView> {
    const setting = (await this.rooms.get(room))?.joinChallenge;
    const gate = setting ? this.challenges.gateFor(room, known, setting, proof) : undefined;
    const state = await this.redis.queue.join(
      room,
      visitorId,
      {
        ip,
        perWindow: this.config.VQ_JOIN_LIMIT_PER_IP,
        windowSeconds: this.config.VQ_JOIN_LIMIT_WINDOW_SECONDS,
      },
      gate,
    );
    if (state.state === 'challenge_required') throw joinChallengeRefused('challenge', 'missing');
    if (state.state === 'challenge_used') throw joinChallengeRefused('challenge', 'already_used');
    if (state.state === 'unknown_room') throw this.admin.missing(room);
    if (state.state === 'rate_limited')
      throw new QueueError(
        QueueErrorCode.JoinRateLimited,
        `more than ${this.config.VQ_JOIN_LIMIT_PER_IP} joins from this address`,
        state.retryAfterSeconds,
      );
    if (state.state === 'closed') throw new QueueError(QueueErrorCode.RoomClosed, `room "${room}" is closed`);
    this.metrics.joined(room);
    return this.view(room, visitorId, state);
  }

  /** A lookup is also a sign of life: polling keeps the place just as a heartbeat does. */
  async status(room: string, ticketId: string): Promise<TicketView> {
    const visitorId = this.visitorOf(room, ticketId);
    const state = await this.redis.queue.status(room, visitorId, true);
    if (state.state === 'unknown_room') throw this.admin.missing(room);
    if (state.state === 'gone' || state.state === 'expired')
      throw new QueueError(QueueErrorCode.TicketGone, 'this ticket lost its place or its session ended; join again');
    return this.view(room, visitorId, state);
  }

  async leave(room: string, ticketId: string): Promise<{ ticketId: string; status: 'left' | 'gone' }> {
    const visitorId = this.visitorOf(room, ticketId);
    return { ticketId, status: await this.redis.queue.leave(room, visitorId) };
  }

  /** Checks the ticket id's MAC; a forged or foreign ticket id is simply unknown. */
  visitorOf(room: string, ticketId: string): string {
    const decoded = decodeTicketId(ticketId);
    if (!decoded || !tokensMatch(decoded.mac, this.keys.ticketMac(room, decoded.visitorId)))
      throw new QueueError(QueueErrorCode.UnknownTicket, 'unknown ticket');
    return decoded.visitorId;
  }

  /** The visitor id of a ticket for a room, or null when the ticket id is not genuine. */
  visitorOfOrNull(room: string, ticketId: string): string | null {
    try {
      return this.visitorOf(room, ticketId);
    } catch {
      return null;
    }
  }

  ticketId(room: string, visitorId: string): string {
    return encodeTicketId(visitorId, this.keys.ticketMac(room, visitorId));
  }

  private async view(room: string, visitorId: string, state: TicketState): Promise<TicketView> {
    const ticketId = this.ticketId(room, visitorId);
    const config: RoomConfig | null = await this.rooms.get(room);
    const view = ticketView(room, ticketId, state, config);
    if (view.status === 'admitted' && state.sessionEndsAtMs)
      view.token = await this.tokens.sign({
        room,
        visitor: visitorId,
        ticket: ticketId,
        sessionEndsAtMs: state.sessionEndsAtMs,
        audience: this.tokens.audienceOf(config?.redirectUrl),
      });
    return view;
  }
}
