// Maps every failure to the grpc-gateway error envelope, in one place: typed ApiErrors, the
// query-string parser's errors, Fastify's own errors (body limits, content types), unknown
// paths, and crashes (500 without a stack trace; the trace goes to the log with the request id).

import type { FastifyError, FastifyInstance } from 'fastify'
import { ApiError, envelope, GrpcCode, internal, notFound } from '../errors.js'

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
