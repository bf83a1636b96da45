// The stacked daily bar chart, drawn by uPlot (loaded as a global by index.html). uPlot has no
// stacking of its own: each series is drawn as a bar from 0 to the running total of the series
// at and below it, tallest first, so every group shows as its own band of the stack. The legend,
// a column beside the plot, lists the series as they are stacked (top first), with each one's
// total over the window's days (named in its first row), or its value on the day under the pointer.
// Days still arriving (USAGE_LAG) are shaded, labelled `06-09*` and explained in the legend's last row.

import { LOCALE } from './locale.js'

const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#1f77b4',
  '#8cd17d',
  '#d37295',
]
const OTHER_COLOR = '#bab0ac'

const compact = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 })

/** The plot's size: the container's width less the legend's column beside it (explorer.css). */
export function chartSize(container) {
  return { width: Math.max(320, container.clientWidth - LEGEND_WIDTH), height: 360 }
}
const LEGEND_WIDTH = 320

/** The days a window covers, as the legend shows them: `06-03 – 06-09` (MM-DD, as the axis), or the one day. */
const spanOf = days => (days.length > 1 ? `${days[0].slice(5)} – ${days[days.length - 1].slice(5)}` : (days[0] ?? ''))

const labelStep = (width, count) => Math.max(1, Math.ceil(count / Math.max(1, Math.floor(width / 48))))

/**
 * Draws `series` ([{label, values}], largest first, index i = days[i]) in `container`, the
 * legend's values written by `format`, the axis' by `axis`, the days of `late` (lateDays) marked.
 * Returns the uPlot instance; its data are the running totals that are drawn.
 */
export function drawChart(container, days, series, format, axis = compact.format, late = { marked: new Set() }) {
  const { uPlot } = globalThis
  const day = i => days[i] + (late.marked.has(days[i]) ? '*' : '')
  const first = days.findIndex(d => late.marked.has(d)) // the window's last days
  if (!uPlot) throw new Error('uPlot, the chart library, did not load (the browser console says why)')
  // bottom of the stack: the largest series; the legend and the drawing go from the top down
  const topDown = [...series].reverse()
  const stacked = topDown.map((_, k) => days.map((_, i) => topDown.slice(k).reduce((sum, s) => sum + s.values[i], 0)))
  const total = s => s.values.reduce((a, b) => a + b, 0)
  const options = {
    ...chartSize(container),
    scales: {
      x: { time: false, range: () => [-0.5, days.length - 0.5] },
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] }, // bars stand on zero
    },
    axes: [
      {
        // a label every few days, as many as fit (about 48 px each): MM-DD
        splits: u =>
          days.map((_, i) => i).filter(i => i % labelStep(u.bbox.width / devicePixelRatio, days.length) === 0),
        values: (_u, splits) => splits.map(i => day(i).slice(5)),
      },
      { size: 60, values: (_u, splits) => splits.map(v => axis(v)) },
    ],
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    legend: { live: true },
    // behind the grid and the bars
    hooks: {
      drawClear: [
        ({ ctx, bbox, valToPos }) => {
          if (first < 0) return
          const x = valToPos(first - 0.5, 'x', true)
          ctx.fillStyle = '#eaeef2'
          ctx.fillRect(x, bbox.top, bbox.left + bbox.width - x, bbox.height)
        },
      ],
    },
    series: [
      // off the chart (no day under the pointer) the legend shows each series' total: of these days
      { label: 'day', value: (_u, x) => (x == null ? spanOf(days) : day(x)) },
      ...topDown.map((s, k) => {
        const color = s.group === null ? OTHER_COLOR : PALETTE[(series.length - 1 - k) % PALETTE.length]
        return {
          label: s.label,
          fill: color,
          stroke: color,
          width: 0,
          points: { show: false },
          paths: uPlot.paths.bars({ size: [0.7, 64] }),
          // the legend shows the series' own number, not the running total drawn
          value: (_u, _v, _k, i) => format(i == null ? total(s) : s.values[i]),
        }
      }),
    ],
  }
  container.replaceChildren()
  const chart = new uPlot(options, [days.map((_, i) => i), ...stacked], container)
  const note = late.note && chart.root.querySelector('tbody').insertRow().insertCell()
  if (note) Object.assign(note, { id: 'arriving', colSpan: 2, textContent: late.note })
  return chart
}
