// The registry of streams: their order (the answer's arrays, the usage_type enum, the summary's
// series), the dimension catalogue, and refusing a stream that clashes. Adding a stream is
// test/streams/toy-stream.test.ts.
import t from 'tap'
import { dedicated } from '../../server/streams/dedicated.js'
import { allDimensions, allStreams, registerStream, streamOf, usageTypes } from '../../server/streams/registry.js'
import { serverless } from '../../server/streams/serverless.js'
import type { StreamSpec } from '../../server/model/stream.js'
import { training } from '../../server/streams/training.js'

t.test('the three streams, in the order of the answer', async t => {
  t.same(
    allStreams().map(s => [s.kind, s.usageType, s.rowsField]),
    [
      ['serverless', 'SERVERLESS', 'serverlessCosts'],
      ['dedicated', 'DEDICATED_DEPLOYMENT', 'dedicatedCosts'],
      ['training', 'TRAINING', 'trainingCosts'],
    ],
  )
})

t.test('usageTypes is the proto enum: the number of a value is its index', async t => {
  t.same(usageTypes(), ['USAGE_TYPE_UNSPECIFIED', 'SERVERLESS', 'DEDICATED_DEPLOYMENT', 'TRAINING'])
})

t.test('streamOf finds a stream by its kind, and nothing else', async t => {
  t.equal(streamOf('serverless'), serverless)
  t.equal(streamOf('dedicated'), dedicated)
  t.equal(streamOf('training'), training)
  for (const kind of ['SERVERLESS', 'gpu', '', 'constructor', 'toString']) t.equal(streamOf(kind), undefined, kind)
})

t.test('allDimensions lists each dimension once, in stream order', async t => {
  t.same(allDimensions(), [
    'model_name',
    'api_key_id',
    'api_key_name',
    'annotations.team',
    'annotations.project',
    'annotations.environment',
    'deployment_name',
    'accelerator_type', // also training's: listed once, where it first appears
    'job_id',
    'job_type',
    'usage_type',
    'base_model',
  ])
})

t.test('registerStream refuses a kind, usage type or rows field already taken', async t => {
  const clash = (fields: Partial<StreamSpec>) =>
    ({ ...training, kind: 'batch', usageType: 'BATCH', rowsField: 'batchCosts', ...fields }) as StreamSpec
  t.throws(() => registerStream(clash({ kind: 'serverless' })), {
    message: /^stream serverless clashes with serverless$/,
  })
  t.throws(() => registerStream(clash({ usageType: 'DEDICATED_DEPLOYMENT' })), {
    message: /^stream batch clashes with dedicated$/,
  })
  t.throws(() => registerStream(clash({ rowsField: 'trainingCosts' })), {
    message: /^stream batch clashes with training$/,
  })
  t.same(
    allStreams().map(s => s.kind),
    ['serverless', 'dedicated', 'training'],
    'nothing was added',
  )
  t.same(usageTypes(), ['USAGE_TYPE_UNSPECIFIED', 'SERVERLESS', 'DEDICATED_DEPLOYMENT', 'TRAINING'])
})
