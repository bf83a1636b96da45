// VALIDATE_RESPONSES: every body a documented route sends is checked against its contract;
// a mismatch is replaced by a 500 naming the route and the violation (and logged), so a
// test that receives it fails loudly instead of passing on an undocumented shape.

import type { FastifyInstance } from 'fastify'
import { envelope, internal } from '../errors.js'

export function installContractCheck(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const check = request.routeOptions.config?.contract
    const type = String(reply.getHeader('content-type') ?? '')
    if (!check || !type.startsWith('application/json')) return payload
    const text = Buffer.isBuffer(payload) ? payload.toString('utf8') : typeof payload === 'string' ? payload : null
    if (text === null) return payload
    let violation: string | null
    try {
      violation = check(reply.statusCode, JSON.parse(text))
    } catch (err) {
      violation = `the body is not JSON: ${(err as Error).message}`
    }
    if (violation === null) return payload
    const message = `response does not match openapi/fireworks-usage.yaml: ${request.method} ${request.routeOptions.url} ${reply.statusCode}: ${violation}`
    request.log.error({ reqId: request.id }, message)
    reply.code(500)
    return JSON.stringify(envelope(internal(message)))
  })
}
