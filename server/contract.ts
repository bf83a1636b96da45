// The published contract, openapi/fireworks-usage.yaml: the one place where the shape of every
// response lives. The routes take their response schemas from it at start-up, and with
// VALIDATE_RESPONSES every body the server sends is checked against it (the tests turn it on,
// so a field the server sends that the document does not list fails them).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Ajv2020 as Ajv2020Class, ValidateFunction } from 'ajv/dist/2020.js'
import { sha256 } from './digest.js'
import { PACKAGE_ROOT } from './paths.js'
import { parseRfc3339 } from './time.js'

export const CONTRACT_FILE = join(PACKAGE_ROOT, 'openapi', 'fireworks-usage.yaml')
/** The document as JSON, written by `npm run build` (parsing the YAML took a fifth of start-up). */
export const CONTRACT_JSON = join(PACKAGE_ROOT, 'dist', 'openapi', 'fireworks-usage.json')
const CONTRACT_ID = 'fireworks-usage.json'

type Json = Record<string, unknown>

// Loaded when first needed: the YAML parser only without an up-to-date JSON copy, the validator
// only with VALIDATE_RESPONSES.
const require = createRequire(import.meta.url)

let document: Json | undefined
/** The parsed document (read once). */
export function contractDocument(): Json {
  document ??= loadContract()
  return document
}

/**
 * The document from the JSON copy when it was made from this very YAML text (its SHA-256 says
 * so), else from the YAML: an edited YAML is never shadowed by an old copy, and a copy cut short
 * (a build interrupted) costs only the time it would have saved.
 */
export function loadContract(yamlFile = CONTRACT_FILE, jsonFile = CONTRACT_JSON): Json {
  const text = readFileSync(yamlFile, 'utf8')
  if (existsSync(jsonFile)) {
    try {
      const copy = JSON.parse(readFileSync(jsonFile, 'utf8')) as { source?: unknown; document?: Json }
      if (copy.source === sha256(text) && copy.document) return copy.document
    } catch {
      // not JSON: read the YAML below
    }
  }
  const { parse } = require('yaml') as typeof import('yaml')
  return parse(text) as Json
}

/** npm run build: the JSON copy of the YAML document, tagged with the YAML's SHA-256. */
export function writeContractJson(yamlFile = CONTRACT_FILE, jsonFile = CONTRACT_JSON): void {
  const text = readFileSync(yamlFile, 'utf8')
  const { parse } = require('yaml') as typeof import('yaml')
  mkdirSync(dirname(jsonFile), { recursive: true })
  writeFileSync(jsonFile, JSON.stringify({ source: sha256(text), document: parse(text) as Json }))
}

/** `/v1/accounts/:account_id/x` (Fastify) -> `/v1/accounts/{account_id}/x` (OpenAPI); `::` is a literal colon. */
export function openapiPath(url: string): string {
  return url.replace(/::|:([A-Za-z0-9_]+)/g, (_m, name?: string) => (name ? `{${name}}` : ':'))
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1')

function resolve(doc: Json, node: Json): { node: Json; pointer: string | null } {
  const ref = node.$ref
  if (typeof ref !== 'string') return { node, pointer: null }
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((n, s) => (n as Json)?.[s.replace(/~1/g, '/').replace(/~0/g, '~')], doc) as Json
  return { node: target, pointer: ref.slice(1) }
}

/**
 * JSON pointers, into the document, of the JSON response schemas of an operation, by status
 * ('200', '400', 'default', '4XX', ...). Null when the document has no such operation.
 */
export function responseSchemaPointers(method: string, url: string): Record<string, string> | null {
  const doc = contractDocument()
  const path = openapiPath(url)
  const operation = ((doc.paths as Json)?.[path] as Json | undefined)?.[method.toLowerCase()] as Json | undefined
  if (!operation) return null
  const out: Record<string, string> = {}
  for (const [status, raw] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
    const { node: response, pointer } = resolve(doc, raw)
    const base = pointer ?? `/paths/${escape(path)}/${method.toLowerCase()}/responses/${escape(status)}`
    if ((response.content as Json | undefined)?.['application/json'])
      out[status] = `${base}/content/${escape('application/json')}/schema`
  }
  return out
}

let ajv: Ajv2020Class | undefined
function validator(): Ajv2020Class {
  if (!ajv) {
    // strict: false because OpenAPI adds keywords of its own (example, x-*) to JSON Schema.
    const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')
    ajv = new Ajv2020({ strict: false, allErrors: true })
    ajv.addFormat('date-time', { type: 'string', validate: (s: string) => parseRfc3339(s) !== null })
    for (const f of ['int64', 'int32', 'double']) ajv.addFormat(f, true)
    ajv.addSchema(contractDocument(), CONTRACT_ID)
  }
  return ajv
}

export interface ResponseCheck {
  /** Null when the body matches; else the violations, each naming where in the body. */
  (status: number, body: unknown): string | null
}

/**
 * A checker of an operation's responses, or null when the document does not describe it.
 * The validators compile on first use, so a server that never checks pays nothing for them.
 */
export function responseCheck(method: string, url: string): ResponseCheck | null {
  const pointers = responseSchemaPointers(method, url)
  if (!pointers) return null
  let compiled: Map<string, ValidateFunction> | undefined
  return (status, body) => {
    compiled ??= new Map(
      Object.entries(pointers).map(([s, pointer]) => [s, validator().compile({ $ref: `${CONTRACT_ID}#${pointer}` })]),
    )
    const key = String(status)
    const validate = compiled.get(key) ?? compiled.get(`${key[0]}XX`) ?? compiled.get('default')
    if (!validate) return `status ${status} is not documented`
    if (validate(body)) return null
    return (validate.errors ?? [])
      .map(
        e =>
          `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      )
      .join('; ')
  }
}
