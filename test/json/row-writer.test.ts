// The row writer: rows as JSON bytes, the same as JSON.stringify of the row objects, with the
// pieces that repeat (a bucket's bounds, a group's values) encoded once and kept across answers.
import t from 'tap'
import type { UsageRecord } from '../../server/model/records.js'
import { rowWriter } from '../../server/json/row-writer.js'
import { allStreams } from '../../server/streams/registry.js'
import { BOUNDS_FIELDS, fieldValue, GROUP_FIELD } from '../../server/streams/stream.js'
import { type RowField, type StreamSpec } from '../../server/model/stream.js'
import type { Aggregate } from '../../server/model/stream.js'
import { JsonBytes } from '../../server/json/json-bytes.js'
import { aggregateOf, DAY, planOf, textOf } from '../streams/aggregates.js'

/** A record of a team: all a row in these tests reads of the latest record. */
const record = (team: string): UsageRecord => ({
  kind: 'x',
  account: 'a',
  time: 0,
  annotations: { team, project: '', environment: '' },
})

t.test('rows are written field by field as JSON, a field without a value left out', async t => {
  const fields: RowField<UsageRecord>[] = [
    { name: 'team', kind: 'string', value: a => a.latest.annotations.team || undefined },
    { name: 'tokens', kind: 'int64', value: a => a.sums[0] },
    { name: 'seconds', kind: 'number', value: a => (a.sums[1] as number) / 4 },
    { name: 'group', kind: 'json', value: a => ({ model: a.group[0] }) },
    { name: 'never', kind: 'number', value: () => undefined },
    // what JSON.stringify does with values that are not what the kind says
    { name: 'nothing', kind: 'number', value: () => null },
    { name: 'callable', kind: 'json', value: () => () => 1 },
  ]
  const spec = { rowFields: fields } as unknown as StreamSpec
  const out = new JsonBytes(4)
  const write = rowWriter(spec, planOf(spec, []))
  write(out, aggregateOf({ group: ['modèle "ü"'], sums: [2 ** 53 - 1, 3], latest: record('équipe') }))
  write(out, aggregateOf({ group: ['m'], sums: [0, 8], latest: record('') }))
  t.equal(
    textOf(out),
    '{"team":"équipe","tokens":"9007199254740991","seconds":0.75,"group":{"model":"modèle \\"ü\\""},"nothing":null}' +
      '{"tokens":"0","seconds":2,"group":{"model":"m"},"nothing":null}',
  )
  const empty = rowWriter({ rowFields: [fields[0], fields[4], fields[6]] } as unknown as StreamSpec, planOf(spec, []))
  empty(out, aggregateOf({ group: [], sums: [], latest: record('') }))
  t.equal(textOf(out), '{}', 'a row with no field is an empty object')
  t.throws(
    () => write(out, aggregateOf({ group: ['m'], sums: [2 ** 53, 0], latest: record('') })),
    { message: 'a usage total (9007199254740992) exceeds 2^53 and cannot be summed exactly' },
    'an int64 field refuses an inexact total, as int64() does',
  )
})

t.test('pieces kept across answers follow the bucket, the group, its split and the grouping', async t => {
  const fields: RowField<UsageRecord>[] = [
    ...BOUNDS_FIELDS,
    { name: 'type', kind: 'string', per: 'group', value: a => a.split },
    { name: 'n', kind: 'int64', value: a => a.sums[0] },
    GROUP_FIELD,
    {
      name: 'first',
      kind: 'string',
      per: 'group',
      when: plan => plan.groupBy.length > 1,
      value: a => a.group[0],
    },
  ]
  const spec = { rowFields: fields } as unknown as StreamSpec
  const NEXT_DAY = {
    startMs: DAY.endMs,
    endMs: DAY.endMs + 86_400_000,
    startTime: '2026-05-29T00:00:00Z',
    endTime: '2026-05-30T00:00:00Z',
  }
  // One values array, as the hourly sums share it between answers.
  const values = ['m', 't']
  const agg = (bucket: typeof DAY, split: string, n: number, group = values): Aggregate => ({
    ...aggregateOf({ group, sums: [n], latest: record(''), split }),
    bucket,
    bucketIndex: bucket === DAY ? 0 : 1,
  })
  const answer = (groupBy: string[], aggregates: Aggregate[]) => {
    const out = new JsonBytes()
    const write = rowWriter(spec, planOf(spec, groupBy))
    for (const a of aggregates) write(out, a)
    return textOf(out)
  }
  const day = '"startTime":"2026-05-28T00:00:00Z","endTime":"2026-05-29T00:00:00Z"'
  const next = '"startTime":"2026-05-29T00:00:00Z","endTime":"2026-05-30T00:00:00Z"'
  t.equal(
    answer(['model', 'team'], [agg(DAY, 'A', 1), agg(NEXT_DAY, 'A', 2)]),
    `{${day},"type":"A","n":"1","group":{"model":"m","team":"t"},"first":"m"}` +
      `{${next},"type":"A","n":"2","group":{"model":"m","team":"t"},"first":"m"}`,
  )
  t.equal(
    answer(['model', 'team'], [agg(DAY, 'B', 3)]),
    `{${day},"type":"B","n":"3","group":{"model":"m","team":"t"},"first":"m"}`,
    'the same values array with another split',
  )
  t.equal(
    // the split of the last answer (B), so that only the grouping tells the pieces apart
    answer(['team', 'model'], [agg(DAY, 'B', 4)]),
    `{${day},"type":"B","n":"4","group":{"team":"m","model":"t"},"first":"m"}`,
    'the same values array and split under another grouping',
  )
  t.equal(
    answer(['model'], [agg(NEXT_DAY, 'A', 5, ['m'])]),
    `{${next},"type":"A","n":"5","group":{"model":"m"}}`,
    'another plan leaves out a field of the group run; the bucket run is the same',
  )
})

t.test("every stream's per-bucket and per-group fields read only their bucket, or group and split", async t => {
  // The writer keeps such a field's bytes for every row of the bucket or group: a field that
  // read anything else (the sums, the latest record) would repeat the first row's value. Two
  // aggregates that share only the bucket, or only the group and split, must give the same value.
  // (The field types say so, model/stream.ts; this is what a cast around them would break.)
  const recordOf = (tag: string) =>
    new Proxy(
      {},
      {
        get: (_, prop) =>
          prop === 'annotations' ? new Proxy({}, { get: (_, p) => `${String(p)}-${tag}` }) : `${String(prop)}-${tag}`,
      },
    ) as UsageRecord
  const NEXT_DAY = { ...DAY, startTime: '2026-05-29T00:00:00Z', endTime: '2026-05-30T00:00:00Z' }
  let checked = 0
  for (const spec of allStreams()) {
    const plan = planOf(spec, Object.keys(spec.dimensions))
    const values = plan.groupBy.map(d => `${d}-value`)
    const sums = (n: number) => spec.quantities.map((_, i) => n + i)
    const base: Aggregate = { ...aggregateOf({ group: values, sums: sums(1), latest: recordOf('a') }), split: 'S' }
    const sameGroup: Aggregate = {
      ...base,
      bucket: NEXT_DAY,
      bucketIndex: 1,
      sums: sums(100),
      records: 7,
      latest: recordOf('b'),
      latestTime: 99,
    }
    const sameBucket: Aggregate = {
      ...sameGroup,
      bucket: DAY,
      bucketIndex: 0,
      group: values.map(v => `${v}-2`),
      split: 'T',
    }
    for (const field of spec.rowFields) {
      if (!field.per) continue
      const other = field.per === 'bucket' ? sameBucket : sameGroup
      t.equal(
        JSON.stringify(fieldValue(field, other, plan)),
        JSON.stringify(fieldValue(field, base, plan)),
        `${spec.kind}.${field.name} (per ${field.per})`,
      )
      checked++
    }
  }
  t.ok(checked >= 8, `the built-in streams declare such fields (${checked})`)
})

t.test('kept pieces are told apart by stream; a per-group int64 field is still a string', async t => {
  // Two streams whose group run has the same field name and the same (empty) split.
  const streamOf = (kind: string, type: string) =>
    ({
      kind,
      rowFields: [
        { name: 'type', kind: 'string', per: 'group', value: () => type },
        { name: 'n', kind: 'int64', per: 'group', value: () => 7 },
      ],
    }) as unknown as StreamSpec
  const values = ['m']
  const row = (spec: StreamSpec) => {
    const out = new JsonBytes()
    rowWriter(spec, planOf(spec, ['model']))(out, aggregateOf({ group: values, sums: [7], latest: record('') }))
    return textOf(out)
  }
  t.equal(row(streamOf('a', 'A')), '{"type":"A","n":"7"}')
  t.equal(row(streamOf('b', 'B')), '{"type":"B","n":"7"}', 'the same values array in another stream')
})
