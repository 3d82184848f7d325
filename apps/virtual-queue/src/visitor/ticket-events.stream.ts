import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RoomLayoutMismatch } from '../redis/room-layout';
import { QueueError, QueueErrorCode } from '../errors/queue.error';
import type { TicketView } from './ticket-view';
import { VisitorService } from './visitor.service';

const UPDATE_MS = 1000;

/**
 * Server-Sent Events of one ticket: a `status` event each second while waiting, which also keeps the place
 * (an open stream is a heartbeat), then the `admitted` event with the token, or `gone`. The stream then ends.
 */
@Injectable()
export class TicketEventsStream {
  private readonly logger = new Logger(TicketEventsStream.name);

  constructor(private readonly visitors: VisitorService) {}

  open(reply: FastifyReply, room: string, ticketId: string, first: TicketView): void {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 3000\n\n');
    let closed = false;
    let timer: NodeJS.Timeout | null = null;
    const finish = () => {
      closed = true;
      if (timer) clearTimeout(timer);
      raw.end();
    };
    raw.on('close', () => {
      closed = true;
      if (timer) clearTimeout(timer);
    });
    const send = (view: TicketView) => {
      raw.write(`event: ${view.status === 'admitted' ? 'admitted' : 'status'}\ndata: ${JSON.stringify(view)}\n\n`);
      if (view.status === 'admitted') finish();
    };
    const poll = async () => {
      if (closed) return;
      try {
        send(await this.visitors.status(room, ticketId));
      } catch (error) {
        if (error instanceof RoomLayoutMismatch) {
          // Mid rolling upgrade: this instance cannot read the room; the stream stays open, as for a restore.
          const body = { error: QueueErrorCode.RoomLayoutUnknown, message: error.message };
          raw.write(`event: unavailable\ndata: ${JSON.stringify(body)}\n\n`);
        } else if (error instanceof QueueError && error.code === QueueErrorCode.RoomUnavailable) {
          // The room is being restored: the stream stays open and says so, and the next poll tells the outcome.
          raw.write(`event: unavailable\ndata: ${JSON.stringify({ error: error.code, message: error.message })}\n\n`);
        } else if (error instanceof QueueError) {
          raw.write(`event: gone\ndata: ${JSON.stringify({ error: error.code, message: error.message })}\n\n`);
          return finish();
        } else this.logger.warn(`ticket stream: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!closed) timer = setTimeout(pollLogged, UPDATE_MS);
    };
    // A write that throws (the socket went away mid-poll) ends this stream, logged, and nothing else.
    const pollLogged = () =>
      void poll().catch((error: Error) => {
        this.logger.warn(`ticket stream: ${error.message}`);
        finish();
      });
    send(first);
    if (!closed) timer = setTimeout(pollLogged, UPDATE_MS);
  }
}
