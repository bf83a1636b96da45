// The request behind the view, written out to copy: curl and JavaScript fetch send exactly the
// URL (and body) the page fetched; Python sends the same parameters with httpx. Against the real API,
// replace the origin with https://api.fireworks.ai and the key with yours.

import { apiPath } from './api.js'

const shellQuote = text => `'${text.replace(/'/g, `'\\''`)}'`
const pyString = text => JSON.stringify(text) // a JSON string literal is a valid Python literal for these

/** The snippets of a GET with `params`, or of a POST of the JSON `body` (usageCosts:query). */
export function snippetsFor(origin, account, key, operation, params, body) {
  const url = origin + apiPath(account, operation, params)
  const json = body && JSON.stringify(body)
  const auth = `Authorization: Bearer ${key}`
  // -g: the brackets of filter[...][values] are literal, not curl's URL globbing
  const curl = [
    `curl -sg -H ${shellQuote(auth)}`,
    ...(body ? [`-H 'Content-Type: application/json' -d ${shellQuote(json)}`] : []),
    shellQuote(url),
  ].join(' \\\n  ')
  const fetchCall = [
    `const response = await fetch(${JSON.stringify(url)}, {`,
    ...(body ? [`  method: 'POST',`, `  body: ${JSON.stringify(json)},`] : []),
    `  headers: { Authorization: ${JSON.stringify(`Bearer ${key}`)}${body ? `, 'Content-Type': 'application/json'` : ''} },`,
    `})`,
    `const usage = await response.json()`,
  ].join('\n')
  const python = [
    `import httpx`,
    ``,
    ...(body
      ? [`body = ${json}`] // JSON of strings, numbers and arrays is a Python literal too
      : [`params = [`, ...params.map(([name, value]) => `    (${pyString(name)}, ${pyString(value)}),`), `]`]),
    `response = httpx.${body ? 'post' : 'get'}(`,
    `    ${pyString(`${origin}/v1/accounts/${account}/${operation}`)},`,
    body ? `    json=body,` : `    params=params,`,
    `    headers={"Authorization": ${pyString(`Bearer ${key}`)}},`,
    `)`,
    `usage = response.json()`,
  ].join('\n')
  return { url, curl, fetch: fetchCall, python }
}
