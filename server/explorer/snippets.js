// The request behind the view, written out to copy: curl and JavaScript fetch send exactly the
// URL the page fetched; Python sends the same parameters with httpx. Against the real API,
// replace the origin with https://api.fireworks.ai and the key with yours.

import { apiPath } from './api.js'

const shellQuote = text => `'${text.replace(/'/g, `'\\''`)}'`
const pyString = text => JSON.stringify(text) // a JSON string literal is a valid Python literal for these

export function snippetsFor(origin, account, key, operation, params) {
  const url = origin + apiPath(account, operation, params)
  // -g: the brackets of filter[...][values] are literal, not curl's URL globbing
  const curl = `curl -sg -H ${shellQuote(`Authorization: Bearer ${key}`)} \\\n  ${shellQuote(url)}`
  const fetchCall = [
    `const response = await fetch(${JSON.stringify(url)}, {`,
    `  headers: { Authorization: ${JSON.stringify(`Bearer ${key}`)} },`,
    `})`,
    `const usage = await response.json()`,
  ].join('\n')
  const python = [
    `import httpx`,
    ``,
    `params = [`,
    ...params.map(([name, value]) => `    (${pyString(name)}, ${pyString(value)}),`),
    `]`,
    `response = httpx.get(`,
    `    ${pyString(`${origin}/v1/accounts/${account}/${operation}`)},`,
    `    params=params,`,
    `    headers={"Authorization": ${pyString(`Bearer ${key}`)}},`,
    `)`,
    `usage = response.json()`,
  ].join('\n')
  return { url, curl, fetch: fetchCall, python }
}
