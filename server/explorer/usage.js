// From the API's rows to what the page draws: the quantities of each stream, one series per
// group summed by local day, and the table's columns. Pure functions: no DOM, no fetch.

import { LOCALE } from './locale.js'
import { localDate } from './view.js'

const int = text => Number(text ?? 0) // int64 arrive as strings; the mock's sums stay below 2^53

const count = new Intl.NumberFormat(LOCALE)
const decimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 })
const money = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD' })
const exact = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 3 }) // the table: every digit the API sent

/** The streams, keyed by their usageType, with their rows' field, table columns and the quantities a chart can show. */
export const STREAMS = {
  SERVERLESS: {
    name: 'serverless', // its key in accountUsageFilterOptions' answer
    label: 'Serverless inference',
    rows: 'serverlessCosts',
    columns: [
      'usageType',
      'promptTokens',
      'cachedPromptTokens',
      'completionTokens',
      'audioInputSeconds',
      'costNanoUsd',
    ],
    quantities: {
      tokens: {
        label: 'Tokens (prompt + completion)',
        of: row => int(row.promptTokens) + int(row.completionTokens),
        format: count.format,
      },
      promptTokens: { label: 'Prompt tokens', of: row => int(row.promptTokens), format: count.format },
      completionTokens: { label: 'Completion tokens', of: row => int(row.completionTokens), format: count.format },
      cost: { label: 'Cost (USD)', of: row => row.costNanoUsd / 1e9, format: money.format },
      audioSeconds: { label: 'Audio input seconds', of: row => row.audioInputSeconds, format: decimal.format },
    },
  },
  DEDICATED_DEPLOYMENT: {
    name: 'dedicated', // its key in accountUsageFilterOptions' answer
    label: 'Dedicated deployments',
    rows: 'dedicatedCosts',
    columns: ['acceleratorSeconds'],
    quantities: {
      acceleratorHours: {
        label: 'Accelerator hours',
        of: row => int(row.acceleratorSeconds) / 3600,
        format: decimal.format,
      },
    },
  },
  TRAINING: {
    name: 'training', // its key in accountUsageFilterOptions' answer
    label: 'Training',
    rows: 'trainingCosts',
    columns: ['tokens', 'acceleratorSeconds'],
    quantities: {
      tokens: { label: 'Training tokens', of: row => int(row.tokens), format: count.format },
      acceleratorHours: {
        label: 'Accelerator hours',
        of: row => int(row.acceleratorSeconds) / 3600,
        format: decimal.format,
      },
    },
  },
}

/** The quantity a view shows: its own if the stream has it, else the stream's first. */
export function quantityOf(view) {
  const quantities = STREAMS[view.stream].quantities
  const id = view.quantity in quantities ? view.quantity : Object.keys(quantities)[0]
  return { id, ...quantities[id] }
}

/** More groups than this are drawn as the largest ones and one "Other" series. */
export const MAX_SERIES = 12

/** A group's label: its values in groupBy order, resource names shortened to their last segment. */
export function groupLabel(group) {
  const values = Object.values(group)
  if (values.length === 0) return 'All'
  return values.map(value => (value === '' ? '(none)' : value.split('/').pop())).join(' · ')
}

/**
 * One series per group: the quantity summed by local day (the serverless text and audio rows of
 * a group add up), largest total first; past MAX_SERIES the smallest groups become "Other".
 */
export function seriesOf(rows, days, quantity, tz) {
  const dayIndex = new Map(days.map((day, i) => [day, i]))
  const byGroup = new Map()
  for (const row of rows) {
    const index = dayIndex.get(localDate(Date.parse(row.startTime), tz))
    if (index === undefined) continue
    const key = JSON.stringify(Object.entries(row.group))
    let series = byGroup.get(key)
    if (!series)
      byGroup.set(key, (series = { label: groupLabel(row.group), group: row.group, values: days.map(() => 0) }))
    series.values[index] += quantity.of(row)
  }
  const total = series => series.values.reduce((a, b) => a + b, 0)
  const all = [...byGroup.values()].sort(
    (a, b) => total(b) - total(a) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  )
  if (all.length <= MAX_SERIES) return all
  const kept = all.slice(0, MAX_SERIES - 1)
  const rest = all.slice(MAX_SERIES - 1)
  const other = {
    label: `Other (${rest.length} groups)`,
    group: null,
    values: days.map((_, i) => rest.reduce((sum, s) => sum + s.values[i], 0)),
  }
  return [...kept, other]
}

/** The table: the API's rows as they came, one line each: local day, group values, the stream's fields. */
export function tableOf(rows, stream, tz) {
  const dimensions = rows.length > 0 ? Object.keys(rows[0].group) : []
  const fields = STREAMS[stream].columns
  const cell = (field, value) => (field === 'usageType' ? value : exact.format(Number(value)))
  return {
    head: ['day', ...dimensions, ...fields],
    numeric: ['day', ...dimensions, ...fields].map(column => fields.includes(column) && column !== 'usageType'),
    body: rows.map(row => [
      localDate(Date.parse(row.startTime), tz),
      ...dimensions.map(d => (row.group[d] === '' ? '(none)' : row.group[d])),
      ...fields.map(f => cell(f, row[f])),
    ]),
  }
}

/** Dollars of a google.type.Money. */
const dollars = m => Number(m.units) + m.nanos / 1e9

/** The billing summary's total, of every stream and of one (its line items' `series` is the usageType name). */
export function summaryTotals(summary, stream) {
  const all = summary.lineItems.reduce((sum, item) => sum + dollars(item.totalCost), 0)
  const own = summary.lineItems
    .filter(item => item.series === stream)
    .reduce((sum, item) => sum + dollars(item.totalCost), 0)
  return { all: money.format(all), stream: money.format(own) }
}
