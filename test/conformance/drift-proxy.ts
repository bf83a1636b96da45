// Deliberately drifted servers for the conformance tests: an HTTP proxy in front of a started
// mock that changes exactly one behaviour, on the way in (the request) or out (the answer).

import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Drift {
  /** Rewrites the request's URL (path and query) before it reaches the mock. */
  request?(url: URL): void
  /** Rewrites the mock's answer (and may add headers). */
  response?(
    url: URL,
    status: number,
    body: unknown,
  ): { status: number; body: unknown; headers?: Record<string, string> }
}

export interface DriftProxy {
  url: string
  close(): Promise<void>
}

export async function readBody(req: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  return text
}

export async function startDriftProxy(upstream: string, drift: Drift): Promise<DriftProxy> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream)
    drift.request?.(url)
    const headers: Record<string, string> = {}
    if (req.headers.authorization) headers.authorization = req.headers.authorization
    // A POST (usageCosts:query) is passed on with its body.
    readBody(req)
      .then(body => fetch(url, body === '' ? { headers } : { method: 'POST', headers, body }))
      .then(async answer => {
        const text = await answer.text()
        let status = answer.status
        let body: unknown = text
        let headers: Record<string, string> = {}
        if (drift.response) ({ status, body, headers = {} } = drift.response(url, status, JSON.parse(text)))
        res.writeHead(status, { 'content-type': answer.headers.get('content-type') ?? 'application/json', ...headers })
        res.end(typeof body === 'string' ? body : JSON.stringify(body))
      })
      .catch(err => {
        res.writeHead(502)
        res.end(String(err))
      })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  }
}

/** The probe that asks for timezone=PST. */
export const PST_PROBE = 'errors.zone-abbreviation'
