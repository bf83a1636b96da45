// The probe's own local days, against bounds worked out by hand from each zone's offsets.
import t from 'tap'
import {
  clippedLocalDays,
  describeSpan,
  isKnownZone,
  localDate,
  localDays,
} from '../../server/conformance/local-days.js'

const at = (text: string) => Date.parse(text)
const spans = (days: { date: string; startMs: number; endMs: number }[]) =>
  days.map(d => [d.date, new Date(d.startMs).toISOString(), new Date(d.endMs).toISOString()])

t.test('Los Angeles: the November day is 25 hours (PDT midnight 07:00Z, PST midnight 08:00Z)', async t => {
  t.same(spans(localDays('America/Los_Angeles', at('2026-11-01T12:00:00Z'), at('2026-11-02T12:00:00Z'))), [
    ['2026-11-01', '2026-11-01T07:00:00.000Z', '2026-11-02T08:00:00.000Z'],
    ['2026-11-02', '2026-11-02T08:00:00.000Z', '2026-11-03T08:00:00.000Z'],
  ])
})

t.test('Los Angeles: the March day is 23 hours', async t => {
  t.same(spans(localDays('America/Los_Angeles', at('2026-03-08T08:00:00Z'), at('2026-03-08T09:00:00Z'))), [
    ['2026-03-08', '2026-03-08T08:00:00.000Z', '2026-03-09T07:00:00.000Z'],
  ])
})

t.test('clipping cuts the first and last day at the window (Kathmandu, +05:45)', async t => {
  t.same(spans(clippedLocalDays('Asia/Kathmandu', at('2026-11-20T06:00:00Z'), at('2026-11-22T06:00:00Z'))), [
    ['2026-11-20', '2026-11-20T06:00:00.000Z', '2026-11-20T18:15:00.000Z'],
    ['2026-11-21', '2026-11-20T18:15:00.000Z', '2026-11-21T18:15:00.000Z'],
    ['2026-11-22', '2026-11-21T18:15:00.000Z', '2026-11-22T06:00:00.000Z'],
  ])
})

t.test('Kiritimati (+14): local midnight is 10:00Z the day before', async t => {
  t.same(spans(localDays('Pacific/Kiritimati', at('2026-11-20T09:59:00Z'), at('2026-11-20T10:00:00Z'))), [
    ['2026-11-20', '2026-11-19T10:00:00.000Z', '2026-11-20T10:00:00.000Z'],
  ])
  t.equal(localDate('Pacific/Kiritimati', at('2026-11-20T10:00:00Z')), '2026-11-21')
})

t.test('a midnight that a DST jump skips starts the day at its first instant (Santiago, September)', async t => {
  // Chile moves from -04 to -03 at local midnight on 2026-09-06: the day starts at 01:00 local.
  t.same(spans(localDays('America/Santiago', at('2026-09-06T12:00:00Z'), at('2026-09-06T13:00:00Z'))), [
    ['2026-09-06', '2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z'],
  ])
})

t.test('zones the runtime does not know are reported, and spans are described in hours', async t => {
  t.ok(isKnownZone('Asia/Kathmandu'))
  t.notOk(isKnownZone('Mars/Olympus_Mons'))
  t.equal(
    describeSpan({ startMs: at('2026-11-01T07:00:00Z'), endMs: at('2026-11-02T08:00:00Z') }),
    '2026-11-01T07:00:00Z..2026-11-02T08:00:00Z (25 h)',
  )
  t.equal(
    describeSpan({ startMs: at('2026-11-20T06:00:00Z'), endMs: at('2026-11-20T18:15:00Z') }),
    '2026-11-20T06:00:00Z..2026-11-20T18:15:00Z (12.25 h)',
  )
})
