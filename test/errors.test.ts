// The error catalogue called directly: grpc-gateway's status mapping [contract 4], its reverse for
// faults injected by status, and the one envelope.
import t from 'tap'
import {
  ApiError,
  controlMethodNotAllowed,
  envelope,
  GrpcCode,
  grpcCodeForStatus,
  httpStatusFor,
  internal,
  invalidArgument,
  methodNotAllowed,
  notFound,
  permissionDenied,
  resourceExhausted,
  unauthenticated,
  unavailable,
} from '../server/errors.js'

/** Contract section 4, written out: google.rpc.Code number -> HTTP status. */
const STATUS_OF_CODE: [code: GrpcCode, status: number][] = [
  [3, 400],
  [4, 504],
  [5, 404],
  [7, 403],
  [8, 429],
  [12, 501],
  [13, 500],
  [14, 503],
  [16, 401],
]

t.test('the codes are the google.rpc.Code numbers', async t => {
  t.same(GrpcCode, {
    INVALID_ARGUMENT: 3,
    DEADLINE_EXCEEDED: 4,
    NOT_FOUND: 5,
    PERMISSION_DENIED: 7,
    RESOURCE_EXHAUSTED: 8,
    UNIMPLEMENTED: 12,
    INTERNAL: 13,
    UNAVAILABLE: 14,
    UNAUTHENTICATED: 16,
  })
})

t.test('httpStatusFor maps every code as grpc-gateway does', async t => {
  for (const [code, status] of STATUS_OF_CODE) t.equal(httpStatusFor(code), status, `code ${code}`)
})

t.test('grpcCodeForStatus is the reverse for mapped statuses', async t => {
  for (const [code, status] of STATUS_OF_CODE) t.equal(grpcCodeForStatus(status), code, `status ${status}`)
})

t.test('an unmapped status is INTERNAL from 500 up, INVALID_ARGUMENT below', async t => {
  t.equal(grpcCodeForStatus(502), 13)
  t.equal(grpcCodeForStatus(599), 13)
  t.equal(grpcCodeForStatus(500), 13)
  t.equal(grpcCodeForStatus(418), 3)
  t.equal(grpcCodeForStatus(499), 3)
  t.equal(grpcCodeForStatus(402), 3)
})

t.test('an ApiError takes its status from its code unless it was given one of its own', async t => {
  const plain = new ApiError(GrpcCode.UNAVAILABLE, 'try later')
  t.equal(plain.httpStatus, 503)
  t.equal(plain.code, 14)
  t.equal(plain.message, 'try later')
  t.equal(plain.name, 'ApiError')
  t.ok(plain instanceof Error, 'an Error, so stacks and handlers treat it as one')
  const injected = new ApiError(GrpcCode.INTERNAL, 'bad gateway', 502)
  t.equal(injected.httpStatus, 502, 'the injected status, not 500')
  t.equal(injected.code, 13)
})

t.test('the envelope is exactly code, message and an empty details list', async t => {
  const body = envelope(new ApiError(GrpcCode.INTERNAL, 'bad gateway', 502))
  t.same(body, { code: 13, message: 'bad gateway', details: [] })
  t.same(Object.keys(body), ['code', 'message', 'details'])
  t.equal(JSON.stringify(envelope(invalidArgument('x'))), '{"code":3,"message":"x","details":[]}')
})

t.test('each shorthand makes its code, status and message', async t => {
  const cases: [ApiError, number, number, string][] = [
    [invalidArgument('bad'), 3, 400, 'bad'],
    [unauthenticated('who'), 16, 401, 'who'],
    [permissionDenied('no'), 7, 403, 'no'],
    [notFound(), 5, 404, 'Not Found'],
    [notFound('no such account'), 5, 404, 'no such account'],
    [methodNotAllowed(), 12, 501, 'Method Not Allowed'],
    [
      controlMethodNotAllowed('GET', '/_mock/clock/x', ['PUT', 'DELETE']),
      12,
      501,
      'Method Not Allowed: /_mock/clock/x answers PUT, DELETE, not GET',
    ],
    [resourceExhausted('slow down'), 8, 429, 'slow down'],
    [unavailable('down'), 14, 503, 'down'],
    [internal(), 13, 500, 'internal error'],
    [internal('boom'), 13, 500, 'boom'],
  ]
  for (const [err, code, status, message] of cases)
    t.same([err.code, err.httpStatus, err.message], [code, status, message], message)
})
