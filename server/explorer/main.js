// The explorer page: reads the view from the URL, asks the API (filter options for the choices,
// billingUsage for the chart and table, the billing summary for the total; usageCosts:query for
// rated costs) and draws the answer.
// Every control writes the view back to the URL. `globalThis.explorer` exposes the chart, the
// number of finished loads and the locale numbers are written in, for the browser tests and the console.

import { ApiError, callApi, listAccounts, postApi, serverNow } from './api.js'
import { chartSize, drawChart } from './chart.js'
import { axisUsd, COST_GROUPS, COST_QUANTITY, COST_SOURCE, costBodies, costGroup, COSTS } from './costs.js'
import { costTable, exactUsd, queryCosts } from './costs.js'
import { LOCALE } from './locale.js'
import { snippetsFor } from './snippets.js'
import { quantityOf, seriesOf, STREAMS, summaryTotals, tableOf } from './usage.js'
import { completeView, daysOf, formatHash, lateDays, parseHash, usableZone, usageParams, windowOf } from './view.js'

const $ = id => document.getElementById(id)
function element(tag, { dataset = {}, ...props } = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props)
  Object.assign(node.dataset, dataset)
  node.append(...children)
  return node
}

const explorer = (globalThis.explorer = { chart: null, loads: 0, view: null, locale: LOCALE })
let context = { now: Date.now(), accounts: [] }
let loading = 0 // the number of the latest load: an older answer that arrives late is dropped
const SOURCES = { ...STREAMS, [COSTS]: COST_SOURCE } // what the stream control offers

function readView() {
  const view = completeView(parseHash(location.hash), context)
  if (STREAMS[view.stream]) view.quantity = quantityOf(view).id // the URL names what is shown
  if (view.stream === COSTS) Object.assign(view, { quantity: 'cost', groupBy: [costGroup(view)] })
  return view
}

/** Shows a view: writes it to the URL (a new history entry when the user changed it), then loads it. */
function show(view, { push = false } = {}) {
  const hash = formatHash(view)
  if (location.hash !== hash) history[push ? 'pushState' : 'replaceState'](null, '', hash)
  explorer.view = view
  fillControls(view)
  void load(view)
}

function change(update) {
  show({ ...explorer.view, ...update }, { push: true })
}

// ---- controls

function fillKeys(accounts, unavailable) {
  const select = $('key')
  select.replaceChildren(
    ...accounts.map(a =>
      element(
        'optgroup',
        { label: a.account },
        a.keys.map(k => element('option', { value: k.secret, textContent: `${a.account} · ${k.name}` })),
      ),
    ),
    element('option', { value: '', textContent: 'Type an account and key…' }),
  )
  if (unavailable) {
    $('keys-note').hidden = false
    $('keys-note').textContent = `Keys cannot be listed (${unavailable}): type an account and its API key.`
  }
}

function accountOfKey(secret) {
  return context.accounts.find(a => a.keys.some(k => k.secret === secret))?.account
}

function fillControls(view) {
  const listed = accountOfKey(view.key) === view.account && view.key !== ''
  $('key').value = listed ? view.key : ''
  $('typed-key').hidden = listed
  $('account').value = view.account
  $('secret').value = view.key
  $('from').value = view.from
  $('to').value = view.to
  $('tz').value = view.tz
  $('tz').disabled = view.stream === COSTS // the API's DAY buckets are UTC days
  $('stream').value = view.stream
  const quantities = SOURCES[view.stream]?.quantities ?? {} // an unknown stream from the URL is reported by load()
  $('quantity').replaceChildren(
    ...Object.entries(quantities).map(([id, q]) => element('option', { value: id, textContent: q.label })),
  )
  $('quantity').value = view.quantity
}

/** Group-by boxes and filter lists, from the dimensions and values the API reports for the window. */
function fillChoices(view, options, type = 'checkbox') {
  const dimensions = Object.keys(options)
  $('group-by').replaceChildren(
    element('legend', { textContent: 'Group by' }),
    ...dimensions.map(d =>
      element('label', {}, [
        element('input', { type, name: 'groupBy', value: d, checked: view.groupBy.includes(d) }),
        ` ${d}`,
      ]),
    ),
  )
  $('filters').hidden = type === 'radio' // the cost view takes no filters
  const active = Object.values(view.filters).flat().length
  $('filters').querySelector('summary').textContent = active ? `Filters (${active})` : 'Filters'
  $('filter-lists').replaceChildren(
    ...dimensions.map(d =>
      element('label', {}, [
        d,
        element(
          'select',
          {
            multiple: true,
            name: 'filter',
            size: Math.min(6, Math.max(2, options[d].length)),
            dataset: { dimension: d },
          },
          options[d].map(v =>
            element('option', {
              value: v,
              textContent: v === '' ? '(none)' : v,
              selected: (view.filters[d] ?? []).includes(v),
            }),
          ),
        ),
      ]),
    ),
  )
}

function listen() {
  $('controls').addEventListener('submit', event => event.preventDefault())
  $('key').addEventListener('change', () => {
    const key = $('key').value
    if (key === '') {
      $('typed-key').hidden = false
      return $('account').focus()
    }
    change({ key, account: accountOfKey(key), filters: {} }) // another account has other filter values
  })
  for (const id of ['account', 'secret'])
    $(id).addEventListener('change', () =>
      change({ account: $('account').value.trim(), key: $('secret').value.trim() }),
    )
  for (const id of ['from', 'to']) $(id).addEventListener('change', () => $(id).value && change({ [id]: $(id).value }))
  $('tz').addEventListener('change', () => change({ tz: $('tz').value.trim() || 'UTC' }))
  // another stream has other dimensions and quantities: its default grouping, no filters
  $('stream').addEventListener('change', () => {
    const stream = $('stream').value
    const source = SOURCES[stream]
    change({ stream, quantity: Object.keys(source.quantities)[0], groupBy: source.groupBy ?? [], filters: {} })
  })
  $('quantity').addEventListener('change', () => change({ quantity: $('quantity').value }))
  $('group-by').addEventListener('change', event => {
    const { value, checked, type } = event.target
    if (type === 'radio') return change({ groupBy: [value] })
    const groupBy = explorer.view.groupBy.filter(d => d !== value)
    change({ groupBy: checked ? [...groupBy, value] : groupBy })
  })
  $('filter-lists').addEventListener('change', event => {
    const select = event.target
    const filters = { ...explorer.view.filters }
    const values = [...select.selectedOptions].map(o => o.value)
    if (values.length > 0) filters[select.dataset.dimension] = values
    else delete filters[select.dataset.dimension]
    change({ filters })
  })
  for (const button of document.querySelectorAll('[data-tab]'))
    button.addEventListener('click', () => {
      for (const b of document.querySelectorAll('[data-tab]')) b.setAttribute('aria-selected', String(b === button))
      for (const pre of document.querySelectorAll('[data-snippet]'))
        pre.hidden = pre.dataset.snippet !== button.dataset.tab
    })
  addEventListener('hashchange', () => location.hash !== formatHash(explorer.view) && show(readView()))
  addEventListener('resize', () => explorer.chart?.setSize(chartSize($('chart'))))
}

// ---- loading and drawing

/** No chart, table or totals: nothing stale is left beside a new view's answer or error. */
function clearAnswer() {
  explorer.chart?.destroy()
  explorer.chart = null
  $('chart').replaceChildren()
  drawTable({ head: [], numeric: [], body: [] })
  $('summary').textContent = ''
}

/** Parts of an answer that could not be drawn (`the chart: ...`); the other parts are shown. */
class DrawError extends Error {}

/**
 * Runs each drawing step on its own, so that one that fails (a chart library that did not load)
 * leaves the others drawn, and names those that failed.
 */
function drawParts(steps) {
  const failed = []
  for (const [part, step] of Object.entries(steps)) {
    try {
      step()
    } catch (err) {
      console.error(`the explorer could not draw ${part}:`, err)
      failed.push(`${part}: ${err.message}`)
    }
  }
  if (failed.length > 0) throw new DrawError(failed.join('; '))
}

/** An API error as the API gave it (status, code, message, and the request), a drawing error as what was not drawn, another one as "not sent". */
function showError(err) {
  const api = err instanceof ApiError
  $('error').hidden = false
  $('error-api').hidden = $('error-request').hidden = !api
  $('error-local').hidden = api
  $('error-local').textContent = err instanceof DrawError ? 'Answered, but could not draw:' : 'Not sent:'
  $('error-status').textContent = api ? String(err.status) : ''
  $('error-code').textContent = api ? String(err.code ?? '-') : ''
  $('error-message').textContent = err.message
  $('error-url').textContent = api ? err.url : ''
}

/** All three answers; if some failed, the first failure in this order: usage, summary, filter options. */
async function answers(requests) {
  const settled = await Promise.allSettled(requests)
  const failed = settled.find(s => s.status === 'rejected')
  if (failed) throw failed.reason
  return settled.map(s => s.value)
}

function writeSnippets(snippets) {
  for (const name of ['curl', 'python', 'fetch']) $(`snippet-${name}`).textContent = snippets[name]
}

/** A stream's answers (billingUsage, the billing summary, filter options) and how to draw them. */
async function usageParts(view) {
  const stream = STREAMS[view.stream]
  const tz = usableZone(view.tz)
  const params = usageParams(view)
  const bounds = windowOf(view)
  writeSnippets(snippetsFor(location.origin, view.account, view.key, 'billingUsage', params))
  const windowParams = [
    ['startTime', bounds.startTime],
    ['endTime', bounds.endTime],
  ]
  const answered = await answers([
    callApi(view.account, view.key, 'billingUsage', params),
    callApi(view.account, view.key, 'billing/summary', windowParams),
    callApi(view.account, view.key, 'accountUsageFilterOptions', [...windowParams, ['usageType', view.stream]]),
  ])
  const [usage, summary, options] = answered.map(a => a.body)
  const rows = usage[stream.rows]
  const days = daysOf(view)
  const quantity = quantityOf(view)
  const late = lateDays(days, tz, answered[0].settledUntil) // billingUsage's, the rows drawn
  return {
    'the filter choices': () => fillChoices(view, options[stream.name]),
    'the chart': () => {
      const series = seriesOf(rows, days, quantity, tz)
      explorer.chart = drawChart($('chart'), days, series, quantity.format, undefined, late)
    },
    'the table': () => drawTable(tableOf(rows, view.stream, tz), late.marked),
    'the totals': () =>
      drawSummary(summaryTotals(summary, view.stream), stream.label, bounds, Object.keys(view.filters).length > 0),
  }
}

/** The rated costs (every window and page of usageCosts:query) and how to draw them. */
async function costParts(view) {
  const group = costGroup(view)
  const days = daysOf(view)
  const bodies = costBodies(view, group)
  const snippets = scope =>
    snippetsFor(location.origin, view.account, view.key, 'usageCosts:query', [], { ...bodies[0], scope })
  fillChoices(view, Object.fromEntries(Object.keys(COST_GROUPS).map(d => [d, []])), 'radio') // no filter values
  writeSnippets(snippets('ACCOUNT'))
  const post = body => postApi(view.account, view.key, 'usageCosts:query', body)
  const costs = await queryCosts(post, bodies, group)
  const late = lateDays(days, 'UTC', costs.settledUntil)
  return {
    'the chart': () => {
      const series = seriesOf(costs.rows, days, COST_QUANTITY, 'UTC')
      explorer.chart = drawChart($('chart'), days, series, COST_QUANTITY.format, axisUsd, late)
    },
    'the table': () => drawTable(costTable(costs.rows, group), late.marked),
    'the total': () => {
      writeSnippets(snippets(costs.scope))
      drawCostTotal(costs, days)
    },
  }
}

async function load(view) {
  const mine = ++loading
  document.body.dataset.state = 'loading'
  $('error').hidden = true
  try {
    if (!SOURCES[view.stream])
      throw new Error(`unknown stream ${JSON.stringify(view.stream)}: use one of ${Object.keys(SOURCES).join(', ')}`)
    if (!view.account || !view.key) throw new Error('choose an API key, or type an account and its key')
    for (const date of [view.from, view.to])
      if (!/^\d{4}-\d\d-\d\d$/.test(date) || Number.isNaN(Date.parse(date)))
        throw new Error(`${JSON.stringify(date)} is not a date like 2026-06-03`)
    const parts = await (view.stream === COSTS ? costParts(view) : usageParts(view))
    if (mine !== loading) return
    clearAnswer()
    drawParts(parts)
  } catch (err) {
    if (mine !== loading) return
    if (!(err instanceof DrawError)) clearAnswer()
    // without the API's list of dimensions, the chosen ones can still be unchecked
    if (!$('group-by').querySelector('input')) fillChoices(view, Object.fromEntries(view.groupBy.map(d => [d, []])))
    showError(err)
  }
  explorer.loads++
  document.body.dataset.state = $('error').hidden ? 'ready' : 'error'
}

/** A column's name that may wrap between its words (`cachedPrompt|Tokens`, `api_|key_|name`). */
function breakable(name) {
  return name.split(/(?<=_)|(?<=[a-z])(?=[A-Z])/).flatMap((part, i) => (i === 0 ? [part] : [element('wbr'), part]))
}

function drawTable({ head, numeric, body }, marked = new Set()) {
  // the field names are much wider than most of their values: wrapped, the table fits a 1280 px page
  const cell = (tag, text, i) =>
    element(tag, { className: numeric[i] ? 'num' : '' }, tag === 'th' ? breakable(text) : [text])
  $('rows').tHead.replaceChildren(
    element(
      'tr',
      {},
      head.map((h, i) => cell('th', h, i)),
    ),
  )
  $('rows').tBodies[0].replaceChildren(
    ...body.map(cells =>
      element(
        'tr',
        {},
        cells.map((c, i) => cell('td', i === 0 && marked.has(c) ? `${c}*` : c, i)), // still arriving, as on the chart
      ),
    ),
  )
}

function drawSummary(totals, streamLabel, bounds, filtered) {
  // the summary bills whole UTC days: the dates of the window's bounds, the end date excluded
  const first = bounds.startTime.slice(0, 10)
  const last = new Date(Date.parse(bounds.endTime.slice(0, 10)) - 86_400_000).toISOString().slice(0, 10)
  $('summary').replaceChildren(
    element('span', { textContent: `Billed, UTC days ${first} to ${last}: ` }),
    element('strong', { id: 'total-stream', textContent: totals.stream }),
    element('span', { textContent: ` ${streamLabel.toLowerCase()}, ` }),
    element('strong', { id: 'total-all', textContent: totals.all }),
    element('span', { textContent: filtered ? ' all streams (the billing summary takes no filters)' : ' all streams' }),
  )
}

/** The exact total of the windows' subtotals (complete or not, as the API says), and whose costs these are. */
function drawCostTotal({ total, scope, incomplete }, days) {
  $('summary').replaceChildren(
    element('span', { textContent: `Rated costs, UTC days ${days[0]} to ${days.at(-1)}, scope ${scope}: ` }),
    element('strong', { id: 'total-costs', textContent: exactUsd(total) }),
    incomplete ? ' (INCOMPLETE: still arriving)' : '',
    element('p', { id: 'scope-note', className: 'note', hidden: scope === 'ACCOUNT' }, [
      'Your key is not an admin: showing your own costs.',
    ]),
  )
}

async function start() {
  $('stream').replaceChildren(
    ...Object.entries(SOURCES).map(([id, s]) => element('option', { value: id, textContent: s.label })),
  )
  $('zones').replaceChildren(
    ...['UTC', ...Intl.supportedValuesOf('timeZone')].map(z => element('option', { value: z })),
  )
  const [now, { accounts, unavailable }] = await Promise.all([serverNow(), listAccounts()])
  context = { now, accounts }
  fillKeys(accounts, unavailable)
  listen()
  show(readView())
}

void start()
