// Time-zone names [real: "IANA zone"; ours: which spellings count]. The zone database and the
// validation come from the runtime (ICU inside Node), and runtimes differ: Node 24's ICU accepts
// offsets such as `+05:00` as zones, Node 20's does not. The rule is therefore decided here, the
// same on every runtime: a zone is a name in the IANA form (letters first; letters, digits, `/`,
// `_`, `+`, `-`), matched case-insensitively, that the runtime's database knows. Offsets are not
// names, so `+05:00`, `-0800` and `GMT+5` are rejected everywhere; `Etc/GMT+5`, `EST5EDT` and
// links such as `Asia/Calcutta` are names. DST rules themselves still come from the runtime's
// database version (GET /_mock/health reports it).

import { IANAZone } from 'luxon'

const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/

// luxon asks Intl for every check (a DateTimeFormat each time, ~50 us); zones repeat, so the
// answers are remembered, in a bounded table since the names come from clients.
const MEMO_LIMIT = 1024
const memo = new Map<string, boolean>()

export function isKnownZone(zone: string): boolean {
  let known = memo.get(zone)
  if (known === undefined) {
    known = IANA_NAME.test(zone) && IANAZone.isValidZone(zone)
    if (memo.size >= MEMO_LIMIT) memo.clear()
    memo.set(zone, known)
  }
  return known
}
