// Calls to the server: the public API (bearer key) and the mock's own /_mock/health and
// /_mock/accounts. A failure keeps what the API said: HTTP status, gRPC code and message.
// An answer is {body, settledUntil}: its x-mock-settled-until (USAGE_LAG) in ms, else Infinity.

export class ApiError extends Error {
  constructor(status, code, message, url) {
    super(message)
    this.status = status
    this.code = code
    this.url = url
  }
}

/**
 * A query string that stays readable: brackets in names (`filter[annotations.team][values]`),
 * and `:` and `/` in values (times, model names) are left as they are, which a query allows.
 */
export function queryString(params) {
  const name = text => encodeURIComponent(text).replace(/%5B/g, '[').replace(/%5D/g, ']')
  const value = text => encodeURIComponent(text).replace(/%3A/g, ':').replace(/%2F/g, '/')
  return params.map(([key, text]) => `${name(key)}=${value(text)}`).join('&')
}

export function apiPath(account, operation, params) {
  return `/v1/accounts/${encodeURIComponent(account)}/${operation}${params.length > 0 ? '?' : ''}${queryString(params)}`
}

async function fetchJson(url, init = {}) {
  let response
  try {
    response = await fetch(url, init)
  } catch (err) {
    throw new ApiError(0, undefined, `the server did not answer: ${err.message}`, url)
  }
  const text = await response.text()
  let body
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  if (!response.ok) throw new ApiError(response.status, body?.code, body?.message ?? text, url)
  const settled = response.headers.get('x-mock-settled-until')
  return { body, settledUntil: settled ? Date.parse(settled) : Infinity }
}

/** GET an operation of the real API for an account, with the key as bearer token. */
export function callApi(account, key, operation, params) {
  return fetchJson(apiPath(account, operation, params), { headers: { authorization: `Bearer ${key}` } })
}

/** POST an operation (usageCosts:query) with a JSON body. */
export function postApi(account, key, operation, body) {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
  return fetchJson(apiPath(account, operation, []), { method: 'POST', headers, body: JSON.stringify(body) })
}

/** The server's clock (the mock's health check, open even with ADMIN=off or an admin token). */
export async function serverNow() {
  try {
    return Date.parse((await fetchJson('/_mock/health')).body.now)
  } catch {
    return Date.now()
  }
}

/** Accounts and keys, or the reason they cannot be listed (ADMIN=off, an admin token). */
export async function listAccounts() {
  try {
    return { accounts: (await fetchJson('/_mock/accounts')).body.accounts }
  } catch (err) {
    return { accounts: [], unavailable: `${err.status || ''} ${err.message}`.trim() }
  }
}
