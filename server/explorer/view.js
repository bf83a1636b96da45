// The explorer's view: everything the page shows follows from it, and it lives in the URL's
// hash (never sent to a server, so a key in it stays out of request logs), so a link
// reproduces the view. Pure functions: no DOM, no fetch.

/** What a first visit shows: the last 7 whole days, serverless tokens by model, in UTC. */
export const DEFAULTS = { stream: 'SERVERLESS', quantity: 'tokens', tz: 'UTC', groupBy: ['model_name'], days: 7 }

const FILTER_PREFIX = 'filter.'

/** `#account=acme-ai&key=fw_..&from=2026-06-03&to=2026-06-09&tz=UTC&groupBy=model_name&filter.model_name=..` -> a partial view. */
export function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const view = { filters: {} }
  for (const name of ['account', 'key', 'from', 'to', 'tz', 'stream', 'quantity'])
    if (params.has(name)) view[name] = params.get(name)
  // groupBy= (empty) is an explicit "no grouping" (the API's default grouping); absent means the default view's
  if (params.has('groupBy')) view.groupBy = params.getAll('groupBy').filter(Boolean)
  for (const [name, value] of params)
    if (name.startsWith(FILTER_PREFIX)) (view.filters[name.slice(FILTER_PREFIX.length)] ??= []).push(value)
  return view
}

export function formatHash(view) {
  const params = new URLSearchParams()
  for (const name of ['account', 'key', 'from', 'to', 'tz', 'stream', 'quantity'])
    if (view[name]) params.set(name, view[name])
  if (view.groupBy.length === 0) params.append('groupBy', '')
  for (const dimension of view.groupBy) params.append('groupBy', dimension)
  for (const [dimension, values] of Object.entries(view.filters))
    for (const value of values) params.append(FILTER_PREFIX + dimension, value)
  // `/` and `:` need no escaping in a fragment: zones and model names stay readable
  return '#' + params.toString().replace(/%2F/g, '/').replace(/%3A/g, ':')
}

/** `YYYY-MM-DD` plus n days. */
export function addDays(date, n) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
}

/**
 * The zone to compute local days in: the view's, or UTC when the browser does not know it; the
 * request still carries the view's zone, so that the API answers (and the page shows) its error.
 */
export function usableZone(tz) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return tz
  } catch {
    return 'UTC'
  }
}

/** The local date (`YYYY-MM-DD`) of an instant in an IANA zone. */
export function localDate(ms, tz) {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: usableZone(tz),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms)
}

/** How far ahead of UTC the zone's wall clock is at an instant, in ms. */
function offsetMs(ms, tz) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(ms)
      .map(p => [p.type, Number(p.value)]),
  )
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second)
  return wall - Math.floor(ms / 1000) * 1000
}

/** The instant a local date starts in an IANA zone (two passes, for a day after a DST change). */
export function startOfLocalDay(date, tz) {
  const zone = usableZone(tz)
  const naive = Date.parse(`${date}T00:00:00Z`)
  const guess = naive - offsetMs(naive, zone)
  return naive - offsetMs(guess, zone)
}

/** RFC 3339 bounds of the view's window: from the start of `from` to the end of `to`, local days. */
export function windowOf(view) {
  const iso = ms => new Date(ms).toISOString().replace('.000Z', 'Z')
  return {
    startTime: iso(startOfLocalDay(view.from, view.tz)),
    endTime: iso(startOfLocalDay(addDays(view.to, 1), view.tz)),
  }
}

/** The local dates from `from` to `to`, both included (at most a year, whatever the URL says). */
export function daysOf(view) {
  const days = []
  for (let day = view.from; day <= view.to && days.length < 366; day = addDays(day, 1)) days.push(day)
  return days
}

/** The days ending after `settled` (x-mock-settled-until), whose usage may still grow, and a note saying so. */
export function lateDays(days, tz, settled) {
  const marked = new Set(days.filter(day => startOfLocalDay(addDays(day, 1), tz) > settled))
  // `2026-06-09 10:00` (Swedish writes ISO 8601), as the page writes days
  const at = new Intl.DateTimeFormat('sv-SE', { timeZone: usableZone(tz), dateStyle: 'short', timeStyle: 'short' })
  return { marked, note: marked.size ? `* still arriving: usage after ${at.format(settled)} ${tz} may still grow` : '' }
}

/**
 * A complete view from a partial one: the first key of the first account, the last whole days
 * before the server's clock in the view's zone, the default stream, quantity and grouping.
 */
export function completeView(partial, { now, accounts }) {
  const view = { ...DEFAULTS, ...partial, filters: partial.filters ?? {} }
  view.groupBy = partial.groupBy ?? [...DEFAULTS.groupBy]
  if (!view.key) {
    const first = accounts?.[0]
    view.account = partial.account ?? first?.account ?? ''
    view.key = first?.keys[0]?.secret ?? ''
  }
  if (!view.from || !view.to) {
    const today = localDate(now, view.tz)
    view.to = addDays(today, -1)
    view.from = addDays(today, -DEFAULTS.days)
  }
  return view
}

/** The billingUsage parameters of the view, in the order the page sends them. */
export function usageParams(view) {
  const { startTime, endTime } = windowOf(view)
  const params = [
    ['startTime', startTime],
    ['endTime', endTime],
    ['usageType', view.stream],
  ]
  if (view.tz !== 'UTC') params.push(['timezone', view.tz])
  for (const dimension of view.groupBy) params.push(['groupBy', dimension])
  for (const [dimension, values] of Object.entries(view.filters))
    for (const value of values) params.push([`filter[${dimension}][values]`, value])
  return params
}
