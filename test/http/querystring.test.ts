// parseQuerystring, queryOf and queryOrRefusal called directly: the qs limits chosen on purpose,
// each one reported as a 400 instead of a parameter silently dropped.
import t from 'tap'
import { ApiError } from '../../server/errors.js'
import { parseQuerystring, queryOf, queryOrRefusal } from '../../server/http/querystring.js'

/** The 400 message a query string is refused with, or 'accepted'. */
function refusal(text: string): string {
  try {
    queryOf({ query: parseQuerystring(text) })
  } catch (err) {
    if (err instanceof ApiError && err.code === 3 && err.httpStatus === 400) return err.message
    throw err
  }
  return 'accepted'
}
const parse = (text: string) => queryOf({ query: parseQuerystring(text) })
const repeated = (count: number, pair: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => pair(i)).join('&')

t.test('dots in names stay literal; brackets nest; repeated names combine into a list', async t => {
  t.same(parse('filter[annotations.team][values]=search&a.b=1'), {
    filter: { 'annotations.team': { values: 'search' } },
    'a.b': '1',
  })
  t.same(parse('groupBy=model_name&groupBy=api_key_id'), { groupBy: ['model_name', 'api_key_id'] })
  t.same(parse('filter%5Bmodel_name%5D%5Bvalues%5D=m'), { filter: { model_name: { values: 'm' } } })
  t.same(parse(''), {})
})

t.test('parsed objects have no prototype, so names like constructor are plain data', async t => {
  const query = parse('constructor=1&filter[toString][values]=x')
  t.equal(Object.getPrototypeOf(query), null)
  t.equal(Object.getPrototypeOf(query.filter), null)
  t.same(Object.keys(query), ['constructor', 'filter'])
})

t.test('three levels of brackets are allowed; a fourth is refused, not cut off', async t => {
  t.same(parse('filter[model_name][values][0]=a&filter[model_name][values][1]=b'), {
    filter: { model_name: { values: ['a', 'b'] } },
  })
  t.same(parse('a[b][c][d]=1'), { a: { b: { c: { d: '1' } } } })
  const depth = 'invalid query string: Input depth exceeded depth option of 3 and strictDepth is true'
  t.equal(refusal('filter[model_name][values][0][x]=a'), depth)
  t.equal(refusal('startTime=2026-05-01T00:00:00Z&a[b][c][d][e]=1'), depth)
})

t.test('1000 values of a list are accepted; the 1001st is refused, in every list form', async t => {
  const thousand = parse(repeated(1000, i => `groupBy=${i}`)).groupBy as string[]
  t.equal(thousand.length, 1000)
  t.equal(thousand[999], '999')
  const limit = 'invalid query string: Array limit exceeded. Only 1000 elements allowed in an array.'
  t.equal(refusal(repeated(1001, i => `groupBy=${i}`)), limit, 'repeated name')
  t.equal(refusal(repeated(1001, i => `groupBy[]=${i}`)), limit, 'name[]')
  t.equal(refusal('filter[model_name][values][1000]=x'), limit, 'an index past the limit')
  t.same(parse('filter[model_name][values][999]=x'), {
    filter: { model_name: { values: ['x'] } },
  })
})

t.test('2000 parameters are accepted; 2001 are refused rather than the last one dropped', async t => {
  const many = parse(repeated(2000, i => `p${i}=1`))
  t.equal(Object.keys(many).length, 2000)
  t.equal(many.p1999, '1')
  t.equal(
    refusal(repeated(2001, i => `p${i}=1`)),
    'invalid query string: Parameter limit exceeded. Only 2000 parameters allowed.',
  )
})

t.test('a __proto__ name, plain or percent-encoded, is refused by its decoded name', async t => {
  const cases: [query: string, name: string][] = [
    ['__proto__=1', '__proto__'],
    ['startTime=x&__proto__[polluted]=1', '__proto__[polluted]'],
    ['filter[__proto__][values]=x', 'filter[__proto__][values]'],
    ['%5F%5Fproto%5F%5F=1', '__proto__'],
    ['%5f%5fproto%5f%5f[polluted]=1', '__proto__[polluted]'],
    ['filter%5B__proto__%5D%5Bvalues%5D=x', 'filter[__proto__][values]'],
    ['__proto__+=1', '__proto__ '],
    // a malformed escape keeps the name literal, as qs does
    ['__proto__%ZZ=1', '__proto__%ZZ'],
    // partly encoded: any one letter or underscore may be escaped
    ['_%5Fproto__[x]=1&a=1', '__proto__[x]'],
    ['__pr%6Fto__=1', '__proto__'],
    ['filter[_%5Fproto__][values]=x', 'filter[__proto__][values]'],
    // qs ends a name at the first `]=` when there is one, not at the first `=`
    ['filter[x=y][__proto__][values]=1', 'filter[x=y][__proto__][values]'],
  ]
  for (const [query, name] of cases)
    t.equal(refusal(query), `invalid query parameter name ${JSON.stringify(name)}`, query)
})

t.test('__proto__ as a value is only a value', async t => {
  t.same(parse('groupBy=__proto__&filter[model_name][values]=__proto__'), {
    groupBy: '__proto__',
    filter: { model_name: { values: '__proto__' } },
  })
})

t.test('queryOf throws the refusal as a 400 ApiError; queryOrRefusal gives it back instead', async t => {
  const refused = parseQuerystring('a[b][c][d][e]=1')
  t.throws(() => queryOf({ query: refused }), { name: 'ApiError', code: 3 })
  t.match(queryOrRefusal({ query: refused }), { name: 'ApiError', code: 3 })
  const fine = parseQuerystring('a=1')
  t.equal(queryOf({ query: fine }), fine)
  t.equal(queryOrRefusal({ query: fine }), fine)
  t.same(queryOf({ query: undefined }), {}, 'a request without a parsed query reads as empty')
  t.same(queryOrRefusal({ query: undefined }), {})
})
