// Which time-zone spellings are zones: exactly the names of one IANA tzdb release, decided by
// our list and not by the runtime's ICU (which accepts its legacy ids like PST everywhere, and
// offsets like +05:00 on Node 24 only). Run on Node 20 and Node 24 (.ci/run does both).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { IANAZone } from 'luxon'
import t from 'tap'
import { moduleText, namesOfTzdataZi } from '../../server/usage/iana-zones.generate.js'
import { IANA_ZONE_NAMES, TZDB_RELEASE } from '../../server/usage/iana-zones.js'
import { isKnownZone, zoneHint } from '../../server/usage/zones.js'
import { PACKAGE_ROOT } from '../../server/paths.js'

t.test('IANA zone names and links, the backward ones included, are zones', async t => {
  for (const zone of [
    'America/Los_Angeles',
    'Asia/Kathmandu',
    'Asia/Kolkata',
    'Asia/Calcutta',
    'US/Pacific',
    'UTC',
    'Etc/UTC',
    'Etc/GMT+5',
    'Etc/GMT-14',
    'EST5EDT',
    'EST',
    'GMT',
    'Europe/Kyiv',
    'America/Argentina/Buenos_Aires',
  ])
    t.ok(isKnownZone(zone), zone)
})

// The abbreviations users type, which ICU takes for its own legacy ids: PST is Los Angeles, BST
// is Asia/Dhaka (not British Summer Time), IST Kolkata, JST Tokyo, CST Chicago, SST Guadalcanal,
// ECT Paris. None is an IANA name.
const ABBREVIATIONS = ['PST', 'BST', 'IST', 'JST', 'CST', 'SST', 'ECT']

t.test('abbreviations, offsets, other letter cases and unknown names are not', async t => {
  for (const zone of [
    ...ABBREVIATIONS,
    '+05:00',
    '-08:00',
    '+05',
    '-0800',
    'GMT+5',
    'UTC+5',
    'Z',
    'utc',
    'asia/kolkata',
    'US/PACIFIC',
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
    'constructor',
  ])
    t.notOk(isKnownZone(zone), JSON.stringify(zone))
})

t.test('a refused zone names the listed spelling it was probably meant to be, if any', async t => {
  t.equal(zoneHint('asia/kolkata'), ' (did you mean "Asia/Kolkata"?)')
  t.equal(zoneHint('utc'), ' (did you mean "UTC"?)')
  t.equal(zoneHint('Europe/Londn'), ' (did you mean "Europe/London"?)')
  t.equal(zoneHint('Europe/Kyiv '), ' (did you mean "Europe/Kyiv"?)')
  // no near miss for abbreviations and offsets: a digit is no slip
  for (const zone of ['PST', 'GMT+5', 'UTC+5', 'Etc/GMT+15', '+05:00', 'Mars/Olympus'])
    t.equal(zoneHint(zone), '', zone)
})

// ICU's own ids that are not names of the IANA database: the three-letter ids of old Java, the
// SystemV/ names, and names IANA removed in 2018 but ICU keeps.
const ICU_ONLY = [
  ...['ACT', 'AET', 'AGT', 'ART', 'AST', 'BET', 'BST', 'CAT', 'CNT', 'CST', 'CTT', 'EAT', 'ECT', 'IET'],
  ...['IST', 'JST', 'MIT', 'NET', 'NST', 'PLT', 'PNT', 'PRT', 'PST', 'SST', 'VST'],
  ...['SystemV/AST4', 'SystemV/CST6CDT', 'SystemV/EST5', 'SystemV/PST8PDT', 'SystemV/YST9YDT'],
  ...['US/Pacific-New', 'Canada/East-Saskatchewan'],
]

t.test("ICU's legacy ids are accepted by the runtime, but not on the list nor by the mock", async t => {
  for (const id of ICU_ONLY) {
    t.ok(IANAZone.isValidZone(id), `${id}: this runtime's ICU knows it`)
    t.notOk(IANA_ZONE_NAMES.includes(id), `${id}: not on the list`)
    t.notOk(isKnownZone(id), `${id}: not a zone`)
  }
})

t.test('every listed name is one this runtime can compute days in', async t => {
  const unknown = IANA_ZONE_NAMES.filter(zone => !IANAZone.isValidZone(zone))
  t.same(unknown, [], `tzdb ${TZDB_RELEASE} against the runtime's ${process.versions.tz}`)
  t.ok(IANA_ZONE_NAMES.every(isKnownZone))
})

t.test("the list is tzdb 2025b's 447 zones and 151 links, less Factory, sorted", async t => {
  // Counted in /usr/share/zoneinfo/tzdata.zi of Debian's tzdata 2025b-0+deb12u2 with
  // grep -c '^Z' and grep -c '^L'; no name is both a zone and a link.
  t.equal(TZDB_RELEASE, '2025b')
  t.equal(IANA_ZONE_NAMES.length, 447 + 151 - 1)
  t.same([...IANA_ZONE_NAMES].sort(), IANA_ZONE_NAMES)
  t.equal(new Set(IANA_ZONE_NAMES).size, IANA_ZONE_NAMES.length)
})

t.test('the generator reads Zone and Link names and the version of a tzdata.zi', async t => {
  const zi = [
    '# version 2099z',
    '# ddeps backzone zone.tab',
    'R d 1916 o - Jun 14 23s 1 S',
    'Z Europe/Paris 0:9:21 - LMT 1891 Mar 16',
    '0:9:21 - PMT 1911 Mar 11',
    'Z Factory 0 - -00',
    'Z Etc/UTC 0 - UTC',
    'L Europe/Paris Europe/Monaco',
    'L Etc/UTC UTC',
    'L Etc/UTC Etc/Zulu',
    '',
  ].join('\n')
  const parsed = namesOfTzdataZi(zi)
  t.same(parsed, { version: '2099z', names: ['Etc/UTC', 'Etc/Zulu', 'Europe/Monaco', 'Europe/Paris', 'UTC'] })
  t.match(moduleText(parsed), /^export const TZDB_RELEASE = '2099z'$/m)
  t.match(moduleText(parsed), /^ {2}'Etc\/Zulu',$/m)
  t.throws(() => namesOfTzdataZi('Z Etc/UTC 0 - UTC\n'), /not a tzdata\.zi/)
})

const SYSTEM_ZI = '/usr/share/zoneinfo/tzdata.zi'
const systemVersion = existsSync(SYSTEM_ZI) ? namesOfTzdataZi(readFileSync(SYSTEM_ZI, 'utf8')).version : undefined

t.test(
  "iana-zones.ts is what the generator writes from this machine's tzdata.zi of the same release",
  { skip: systemVersion === TZDB_RELEASE ? false : `${SYSTEM_ZI} is ${systemVersion ?? 'absent'}` },
  async t => {
    const written = readFileSync(join(PACKAGE_ROOT, 'server', 'usage', 'iana-zones.ts'), 'utf8')
    t.equal(written, moduleText(namesOfTzdataZi(readFileSync(SYSTEM_ZI, 'utf8'))))
  },
)
