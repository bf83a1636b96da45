// Bodies of the mock's controls, read as text (so that fixture problems can name their line).

import type { FastifyRequest } from 'fastify'
import { invalidArgument } from '../../errors.js'

export function textBody(request: FastifyRequest): string {
  return typeof request.body === 'string' ? request.body : ''
}

export function jsonBody(request: FastifyRequest): unknown {
  try {
    return JSON.parse(textBody(request))
  } catch (err) {
    throw invalidArgument(`the body must be JSON: ${(err as Error).message}`)
  }
}
