import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '@surge/contracts';

/** One error shape for every Surge HTTP API: `{ error, message, issues? }`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    // The error body is JSON whatever the handler declared (an HTML page's @Header): Fastify refuses to send an
    // object as text/html, which turned every 400 of the waiting page into a 500.
    const reply = http.getResponse<FastifyReply>().type('application/json; charset=utf-8');
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const body: ErrorBody =
        typeof response === 'object' && response !== null && 'error' in response && 'message' in response
          ? (response as ErrorBody)
          : { error: HttpStatus[status]?.toLowerCase() ?? 'error', message: exception.message };
      if (typeof body.message !== 'string') body.message = String(body.message);
      void reply.status(status).send(body);
      return;
    }
    // Fastify's own errors (body too large, bad JSON) carry a statusCode.
    const fastifyError = exception as { statusCode?: number; message?: string; code?: string };
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
      void reply.status(fastifyError.statusCode).send({
        error: (fastifyError.code ?? 'bad_request').toLowerCase(),
        message: fastifyError.message ?? 'bad request',
      });
      return;
    }
    const request = http.getRequest<FastifyRequest>();
    this.logger.error(
      `${request.method} ${request.url}: ${exception instanceof Error ? exception.stack : String(exception)}`,
    );
    void reply.status(500).send({ error: 'internal_error', message: 'internal error' });
  }
}
