// Maps every failure to the grpc-gateway error envelope, in one place: typed ApiErrors, the
// query-string parser's errors, Fastify's own errors (body limits, content types, bad URLs),
// Node's HTTP parser errors, unknown paths, and crashes (500 without a stack trace; the trace
// goes to the log with the request id).

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { ApiError, envelope, GrpcCode, internal, methodNotAllowed, notFound, type ErrorEnvelope } from '../errors.js'

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    let apiError: ApiError
    let status: number
    if (error instanceof ApiError) {
      apiError = error
      status = error.httpStatus
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify decided before our code ran (e.g. 413 body too large, 415 media type): keep its
      // status, which grpc-gateway has no code for, and say INVALID_ARGUMENT.
      apiError = new ApiError(GrpcCode.INVALID_ARGUMENT, error.message)
      status = error.statusCode
    } else {
      request.log.error({ err: error, reqId: request.id }, 'unhandled error')
      apiError = internal(`internal error (request id ${request.id})`)
      status = apiError.httpStatus
    }
    return reply.status(status).type('application/json').send(envelope(apiError))
  })
  app.setNotFoundHandler((_request, reply) => {
    const err = notFound()
    return reply.status(err.httpStatus).type('application/json').send(envelope(err))
  })
}

/**
 * Errors Fastify's router meets before any route runs (a malformed percent-encoding, a path
 * parameter over the length limit): the same envelope, with Fastify's status (400, 414).
 */
export function frameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? 'malformed URL: a percent-encoding is not valid UTF-8'
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? `a path segment is longer than ${MAX_PARAM_LENGTH} characters`
        : error.message
  void reply
    .status(error.statusCode ?? 400)
    .type('application/json')
    .send(envelope(new ApiError(GrpcCode.INVALID_ARGUMENT, message)))
}

export const MAX_PARAM_LENGTH = 100

/**
 * CONNECT never reaches Fastify (Node hands it to a 'connect' listener, or drops the socket
 * without a word): answered like any known method on a path it does not serve.
 */
export function answerConnect(_request: unknown, socket: Duplex): void {
  writeAndClose(socket, 501, envelope(methodNotAllowed()))
}

function writeAndClose(socket: Duplex, status: number, body: ErrorEnvelope, err?: Error): void {
  const text = JSON.stringify(body)
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    )
  socket.destroy(err)
}

/**
 * Errors Node's HTTP parser meets before Fastify sees a request (headers over 16 KB, which
 * includes the request line, so a 100 KB query string; bytes that are not HTTP): answered on
 * the raw socket in the same envelope, then the connection is closed, as Node itself does.
 */
export function clientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  let status = 400
  let code: number = GrpcCode.INVALID_ARGUMENT
  let message = 'malformed HTTP request'
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431
    message = 'request header fields too large: the request line and headers must fit in 16 KB'
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408
    code = GrpcCode.DEADLINE_EXCEEDED
    message = 'request timeout'
  }
  writeAndClose(socket, status, { code, message, details: [] }, err)
}
