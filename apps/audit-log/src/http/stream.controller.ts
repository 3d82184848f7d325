import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditEventBus } from '../events/audit-event-bus';
import { AuditReadGuard } from './audit-read.guard';

// Proxies and load balancers close idle connections; a comment line every 15 s keeps the stream open.
const KEEPALIVE_MS = 15_000;

/** Server-Sent Events of every row as it is written, so the console updates without polling. */
@Controller('v1/audit')
@UseGuards(AuditReadGuard)
export class StreamController {
  constructor(private readonly bus: AuditEventBus) {}

  @Get('stream')
  @ApiOperation({ summary: 'Server-Sent Events (`event: audit`) of every row as it is written' })
  @ApiProduces('text/event-stream')
  stream(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    raw.write('retry: 2000\n: connected\n\n');
    const subscription = this.bus.events.subscribe((event) => {
      raw.write(`id: ${event.id}\nevent: audit\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    request.raw.on('close', () => {
      clearInterval(keepalive);
      subscription.unsubscribe();
    });
  }
}
