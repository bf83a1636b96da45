// A proxy in front of the mock that breaks answers the way a misbehaving server or gateway does,
// for the probe's fuzz test. Every mutation makes an answer break the published document as the
// probe reads it, so a probe that reads a mutated answer has something to find:
//   drop      a required field of an object the document closes (not a billingUsage stream
//             array: the probe reads a missing one as empty, and shape.three-arrays reports it)
//   type      a value of another type: string <-> number, array <-> object, or null (an int64
//             string becomes null: as a number it is the int64 drift the probe reads leniently)
//   truncate  the body cut to a proper prefix, with a Content-Length to match
//   cut       the connection closed halfway through the body
//   html      a 502 text/html error page, as a gateway sends
//   redirect  a 3xx to a login page
//   stall     no answer, or half a body, then nothing: the test's timeout signal ends it
// Mutations that keep the meaning (reordered keys, whitespace) are not among them. The proxy
// records which request each mutation hit, so the test knows which probes read a mutated answer.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { contractDocument } from '../../server/contract.js'
import { WRONG_KEY } from '../../server/conformance/client.js'
import { readBody } from './drift-proxy.js'

export const KINDS = ['drop', 'type', 'truncate', 'cut', 'html', 'redirect', 'stall'] as const
export type Kind = (typeof KINDS)[number]

export interface Mutation {
  /** `key GET /v1/...` (`key POST /v1/... {body}`): the credentials and the request line, as the probe's report can name it. */
  request: string
  kind: Kind
  /** What was done, e.g. `dropped /serverlessCosts/3/startTime`. */
  detail: string
}

interface Upstream {
  status: number
  contentType: string
  text: string
}

export interface MutatingProxyOptions {
  /** The kind of mutation for the n-th request (0-based) of the run, or null to pass it on. */
  choose: (n: number, request: string) => Kind | null
  /** Uniform in [0, 1): picks what and where to mutate. */
  random: () => number
  /** Called when a request is stalled: the test then fires the client's timeout. */
  onStall: () => void
  /** Upstream answers by request, shared between runs (the mock's answers do not change). */
  cache: Map<string, Upstream>
}

export interface MutatingProxy {
  url: string
  mutations: Mutation[]
  /** Every request, in order, as `key GET /v1/...`. */
  requests: string[]
  close(): Promise<void>
}

type Json = Record<string, unknown>
const INT64 = '#/components/schemas/Int64'

function resolve(schema: Json): Json {
  let node = schema
  while (typeof node.$ref === 'string')
    node = node.$ref
      .slice(2)
      .split('/')
      .reduce<Json>((n, key) => n[key] as Json, contractDocument())
  return node
}

/** The schema of an answer: the operation's 200 body, or google.rpc.Status for any error. */
function rootSchema(path: string, status: number): { schema: Json; usage: boolean } {
  const operation = /\/(billingUsage|billing\/summary|accountUsageFilterOptions|usageCosts:query)$/.exec(path)?.[1]
  const OK_SCHEMA: Record<string, string> = {
    billingUsage: 'gatewayAccountUsage',
    'billing/summary': 'gatewayGetBillingSummaryResponse',
    accountUsageFilterOptions: 'gatewayGetAccountUsageFilterOptionsResponse',
    'usageCosts:query': 'gatewayQueryUsageCostsResponse',
  }
  const name =
    status !== 200
      ? 'googlerpcStatus'
      : operation !== undefined
        ? (OK_SCHEMA[operation] as string)
        : path === '/v1/accounts'
          ? 'gatewayListAccountsResponse'
          : 'gatewayAccount'
  return { schema: { $ref: `#/components/schemas/${name}` }, usage: status === 200 && operation === 'billingUsage' }
}

interface Position {
  /** The parent's key path; [] for the body itself. */
  path: (string | number)[]
  value: unknown
  int64: boolean
  /** A required field of an object whose schema lists all its fields. */
  droppable: boolean
}

/** Every value of a body, with what the document says of it. */
function positions(schema: Json, value: unknown, path: (string | number)[], out: Position[], usageRoot: boolean): void {
  const node = resolve(schema)
  if (Array.isArray(value)) {
    const items = node.items as Json | undefined
    value.forEach((v, i) => {
      if (!items) return
      out.push({ path: [...path, i], value: v, int64: items.$ref === INT64, droppable: false })
      positions(items, v, [...path, i], out, false)
    })
    return
  }
  if (typeof value !== 'object' || value === null) return
  const properties = (node.properties ?? {}) as Record<string, Json>
  const required = new Set((node.required ?? []) as string[])
  const closed = node.additionalProperties === false
  for (const [key, v] of Object.entries(value)) {
    const sub =
      properties[key] ??
      (typeof node.additionalProperties === 'object' ? (node.additionalProperties as Json) : undefined)
    if (!sub) continue
    out.push({
      path: [...path, key],
      value: v,
      int64: sub.$ref === INT64,
      droppable: closed && required.has(key) && !usageRoot,
    })
    positions(sub, v, [...path, key], out, false)
  }
}

/** The value of another type, or undefined when there is none to give. */
function otherType(position: Position, random: () => number): unknown {
  const { value, int64 } = position
  if (random() < 0.2 || (typeof value === 'string' && int64)) return value === null ? undefined : null
  if (typeof value === 'string') return 42
  if (typeof value === 'number') return String(value)
  if (Array.isArray(value)) return {}
  if (typeof value === 'object' && value !== null) return []
  return undefined
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)] as T

function setAt(body: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value
  let node = body as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  const last = path.at(-1) as string | number
  if (value === undefined) delete node[last]
  else node[last] = value
  return body
}

/** A body-level mutation of a JSON answer, or null when the answer has no such position. */
function mutateBody(kind: 'drop' | 'type', upstream: Upstream, path: string, random: () => number) {
  const body = JSON.parse(upstream.text) as unknown
  const { schema, usage } = rootSchema(path, upstream.status)
  const all: Position[] = [{ path: [], value: body, int64: false, droppable: false }]
  positions(schema, body, [], all, usage)
  const candidates =
    kind === 'drop' ? all.filter(p => p.droppable) : all.filter(p => otherType(p, () => 0.5) !== undefined)
  if (candidates.length === 0) return null
  const target = pick(candidates, random)
  const replacement = kind === 'drop' ? undefined : otherType(target, random)
  const where = `/${target.path.join('/')}`
  return {
    text: JSON.stringify(setAt(body, target.path, replacement)),
    detail:
      kind === 'drop'
        ? `dropped ${where}`
        : `${where}: ${JSON.stringify(target.value)?.slice(0, 40)} -> ${JSON.stringify(replacement)}`,
  }
}

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

function credentialsOf(req: IncomingMessage): string {
  const auth = req.headers.authorization
  return auth === undefined ? 'none' : auth === `Bearer ${WRONG_KEY}` ? 'wrong-key' : 'key'
}

export async function startMutatingProxy(upstream: string, options: MutatingProxyOptions): Promise<MutatingProxy> {
  const { random, cache, choose, onStall } = options
  const mutations: Mutation[] = []
  const requests: string[] = []

  async function answerOf(req: IncomingMessage, request: string, body: string): Promise<Upstream> {
    const known = cache.get(request)
    if (known) return known
    const headers: Record<string, string> = {}
    if (req.headers.authorization) headers.authorization = req.headers.authorization
    const init = body === '' ? { headers } : { method: 'POST', headers, body }
    const res = await fetch(new URL(req.url ?? '/', upstream), init)
    const answer = { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() }
    cache.set(request, answer)
    return answer
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/'
    const body = await readBody(req)
    // A POST is named as the probe names it: its body is part of the request.
    const request = `${credentialsOf(req)} ${req.method === 'POST' ? `POST ${path} ${body}` : `GET ${path}`}`
    const n = requests.push(request) - 1
    const answer = await answerOf(req, request, body)
    let kind = choose(n, request)
    const send = (status: number, contentType: string, text: string, extra: Record<string, string> = {}) =>
      res
        .writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)), ...extra })
        .end(text)
    let text = answer.text
    let detail = ''
    if (kind === 'drop' || kind === 'type') {
      const mutated = mutateBody(kind, answer, new URL(path, 'http://x').pathname, random)
      // An answer without such a position (e.g. three empty arrays to drop from) is truncated instead.
      if (mutated) ({ text, detail } = mutated)
      else kind = 'truncate'
    }
    if (kind === null) return void send(answer.status, answer.contentType, text)
    if (kind === 'truncate') {
      const length = Math.floor(random() * text.length)
      text = text.slice(0, length)
      detail = `${length} of ${answer.text.length} characters`
    }
    mutations.push({ request, kind, detail })
    switch (kind) {
      case 'drop':
      case 'type':
      case 'truncate':
        return void send(answer.status, answer.contentType, text)
      case 'html':
        return void send(502, 'text/html', HTML_502)
      case 'redirect': {
        const status = pick([301, 302, 303, 307, 308], random)
        mutations.at(-1)!.detail = String(status)
        return void send(status, 'text/html', '', {
          location: `https://login.example.com/sso?next=${encodeURIComponent(path)}`,
        })
      }
      case 'cut': {
        const bytes = Buffer.from(text)
        const half = Math.floor(random() * bytes.length)
        res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': String(bytes.length) })
        res.write(bytes.subarray(0, half), () => res.destroy())
        return
      }
      case 'stall': {
        if (random() < 0.5) {
          mutations.at(-1)!.detail = 'no answer'
          return onStall()
        }
        mutations.at(-1)!.detail = 'half a body'
        res.writeHead(answer.status, {
          'content-type': answer.contentType,
          'content-length': String(Buffer.byteLength(text)),
        })
        res.write(text.slice(0, text.length >> 1), () => onStall())
        return
      }
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug of the proxy: shown in the answer, so the test reports it rather than hangs.
      res.writeHead(500).end(`mutating proxy: ${String(err)}`)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mutations,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve())
        // Stalled answers hold their connections open: they end here.
        server.closeAllConnections()
      }),
  }
}
