// Time-zone names [real: "IANA zone"; ours: which spellings count]. A zone is a Zone or Link
// name of the IANA tzdb release in iana-zones.ts (`backward` links such as `US/Pacific`,
// `Asia/Calcutta`, `EST5EDT` and `Etc/GMT+5` included), spelt exactly as the database spells it,
// and nothing else. The list is ours, not the runtime's: ICU also accepts its own legacy ids
// (`PST` is Los Angeles, `BST` is Dhaka), offsets on Node 24 (`+05:00`) and any letter case, and
// its lists differ between Node versions; a client that sends `PST` would pass against the mock
// and fail against a server whose zones are the IANA database's. Case matters too: the
// database's names are file names, and a server that looks them up as files (Go's
// time.LoadLocation does, on Linux) knows `Asia/Kolkata` but not `asia/kolkata`; refusing what
// such a server may refuse is the safe side for a contract mock. DST rules themselves still
// come from the runtime's database version (GET /_mock/health reports it).

import { IANAZone } from 'luxon'
import { didYouMean } from '../did-you-mean.js'
import { IANA_ZONE_NAMES } from './iana-zones.js'

const ZONES: ReadonlySet<string> = new Set(IANA_ZONE_NAMES)

// luxon asks Intl for every check (a DateTimeFormat each time, ~50 us); only listed names get
// here, so the table of answers stays as small as the list.
const computable = new Map<string, boolean>()

/**
 * A listed name is also one the runtime can compute days in: one newer than the runtime's ICU
 * (a list regenerated from a release newer than the runtime's) is refused like an unknown one
 * rather than answered wrongly.
 */
export function isKnownZone(zone: string): boolean {
  if (!ZONES.has(zone)) return false
  let known = computable.get(zone)
  if (known === undefined) {
    known = IANAZone.isValidZone(zone)
    computable.set(zone, known)
  }
  return known
}

/**
 * ` (did you mean "Asia/Kolkata"?)` for a refused zone: the listed name in another letter case
 * (`asia/kolkata`), or a slip in a region's name (`Europe/Londn`). Names with digits get no
 * near miss: `GMT+5` is not `GMT+0`, nor `Etc/GMT+15` `Etc/GMT+1`.
 */
export function zoneHint(zone: string): string {
  return didYouMean(zone, IANA_ZONE_NAMES, zone.includes('/') && !/\d/.test(zone))
}
