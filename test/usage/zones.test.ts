// Which time-zone spellings are zones: decided by our rule, not by the runtime's ICU (Node 24
// accepts offsets like +05:00, Node 20 does not).
import t from 'tap'
import { isKnownZone } from '../../server/usage/zones.js'

t.test('IANA names, links, legacy names and any letter case are zones', async t => {
  for (const zone of [
    'America/Los_Angeles',
    'asia/kolkata',
    'Asia/Calcutta',
    'UTC',
    'utc',
    'Etc/UTC',
    'Etc/GMT+5',
    'Etc/GMT-14',
    'EST5EDT',
    'US/Pacific',
    'America/Argentina/Buenos_Aires',
  ])
    t.ok(isKnownZone(zone), zone)
})

t.test('offsets, unknown names and malformed names are not', async t => {
  for (const zone of [
    '+05:00',
    '-08:00',
    '+05',
    '-0800',
    'GMT+5',
    'UTC+5',
    'Z',
    'Mars/Olympus',
    'Europe/Kyiv ',
    ' UTC',
    'local',
    'localtime',
    'Factory',
    '',
    '/UTC',
    'America//New_York',
    'America/../UTC',
  ])
    t.notOk(isKnownZone(zone), JSON.stringify(zone))
})

t.test('a remembered answer is the same answer', async t => {
  t.equal(isKnownZone('+05:00'), false)
  t.equal(isKnownZone('+05:00'), false, 'asked twice')
  t.equal(isKnownZone('Asia/Kathmandu'), true)
  t.equal(isKnownZone('Asia/Kathmandu'), true, 'asked twice')
})
