// "Did you mean": the same name otherwise spelt first, else the nearest within a few edits.
import t from 'tap'
import { closestName, didYouMean } from '../server/did-you-mean.js'

const PARAMS = ['startTime', 'start_time', 'endTime', 'end_time', 'groupBy', 'group_by', 'timezone']

t.test('another letter case, `_` or `-` is the same name', async t => {
  t.equal(closestName('groupby', PARAMS), 'groupBy')
  t.equal(closestName('GROUP_BY', PARAMS), 'group_by', 'of two, the one closer as written')
  t.equal(closestName('end_tme', PARAMS), 'end_time')
  t.equal(closestName('endtme', PARAMS), 'endTime')
  t.equal(closestName('start-time', PARAMS), 'startTime')
  t.equal(closestName('TimeZone', PARAMS), 'timezone')
})

t.test('a letter missing, extra, wrong or two swapped is a near miss', async t => {
  t.equal(closestName('startime', PARAMS), 'startTime', 'missing')
  t.equal(closestName('promptToken', ['promptTokens', 'completionTokens']), 'promptTokens', 'missing at the end')
  t.equal(closestName('accountt', ['account', 'keys']), 'account', 'extra')
  t.equal(closestName('acount', ['account', 'keys']), 'account', 'missing, in a short name')
  t.equal(closestName('key', ['account', 'keys']), 'keys', 'missing, in a name of three letters')
  t.equal(closestName('timesone', PARAMS), 'timezone', 'wrong')
  t.equal(closestName('ednTime', PARAMS), 'endTime', 'swapped')
  t.equal(closestName('strat_tmie', PARAMS), 'start_time', 'two swaps in a long name')
})

t.test('nothing near: no suggestion', async t => {
  t.equal(closestName('pageSize', PARAMS), undefined)
  t.equal(closestName('colour', ['model', 'time']), undefined)
  t.equal(closestName('ky', ['id', 'keys']), undefined, 'short names must match but for case')
  t.equal(closestName('acnt', ['account']), undefined, 'three edits are too many')
  t.equal(closestName('x'.repeat(10_000), PARAMS), undefined, 'a long name costs no distance table')
  t.equal(closestName('startime', PARAMS, false), undefined, 'edits: false looks for the same name only')
  t.equal(closestName('groupby', PARAMS, false), 'groupBy')
})

t.test('didYouMean: the phrase to append to a message, or nothing', async t => {
  t.equal(didYouMean('startime', PARAMS), ' (did you mean "startTime"?)')
  t.equal(didYouMean('pageSize', PARAMS), '')
})
