// The deterministic randomness of the synthetic world, against published test vectors and
// hand arithmetic; the choosers are driven by a stub `next` that returns chosen uniforms.
import t from 'tap'
import { gaussian, hashString, mix, pick, pickWeighted, randomId, rng, unit } from '../../server/data/hash.js'

/** A stub generator that returns the given uniforms in turn. */
function uniforms(...values: number[]): () => number {
  let i = 0
  return () => {
    if (i >= values.length) throw new Error('the stub ran out of uniforms')
    return values[i++] as number
  }
}

t.test('hashString is FNV-1a 32-bit: the published test vectors', async t => {
  // From the FNV reference test suite (Noll): the offset basis, "a" and "foobar".
  t.equal(hashString(''), 0x811c9dc5)
  t.equal(hashString('a'), 0xe40c292c)
  t.equal(hashString('foobar'), 0xbf9cf968)
})

t.test('hashString hashes UTF-16 code units, a whole unit per step', async t => {
  // One step by hand: (basis XOR unit) x prime, modulo 2^32. U+00E9 is one unit (two UTF-8 bytes),
  // U+20AC one unit wider than a byte.
  const step = (unit: number) => Number(((0x811c9dc5n ^ BigInt(unit)) * 0x01000193n) % 2n ** 32n)
  t.equal(hashString('\u00e9'), step(0xe9))
  t.equal(hashString('\u20ac'), step(0x20ac))
  t.not(hashString('ab'), hashString('ba'), 'order matters')
})

t.test("mix is murmur3's finalizer of a XOR b x 0x9e3779b1", async t => {
  t.equal(mix(0, 0), 0, 'the finalizer maps 0 to 0')
  t.equal(mix(1, 0), 0x514e28b7, 'fmix32(1), the published value')
  // b enters as b x 0x9e3779b1 (mod 2^32): 1 x 0x9e3779b1 XOR 0x9e3779b1 is 0.
  t.equal(mix(0x9e3779b1, 1), 0)
  t.equal(mix(0x9e3779b1 ^ 1, 1), 0x514e28b7)
})

t.test('mix returns an unsigned 32-bit integer, also for negative and large inputs', async t => {
  const inputs = [
    [0, 1],
    [1, 0],
    [-1, -1],
    [0xffffffff, 0xffffffff],
    [2 ** 40 + 5, -7],
    [123456789, 987654321],
  ]
  const outOfRange = inputs.filter(([a, b]) => {
    const h = mix(a as number, b as number)
    return !Number.isInteger(h) || h < 0 || h >= 2 ** 32
  })
  t.same(outOfRange, [])
  t.equal(mix(-1, 0), mix(0xffffffff, 0), 'a is taken modulo 2^32')
})

t.test('unit maps 32-bit hashes onto [0, 1)', async t => {
  t.equal(unit(0), 0)
  t.equal(unit(2 ** 31), 0.5)
  t.equal(unit(2 ** 30), 0.25)
  t.equal(unit(0xffffffff), 1 - 2 ** -32, 'the largest hash stays below 1')
})

t.test('rng is mulberry32: the first values of seed 1', async t => {
  const next = rng(1)
  t.same([next(), next(), next()], [0.6270739405881613, 0.002735721180215478, 0.5274470399599522])
})

t.test('rng is deterministic per seed and stays in [0, 1)', async t => {
  const draw = (seed: number, n: number) => {
    const next = rng(seed)
    return Array.from({ length: n }, () => next())
  }
  t.same(draw(42, 50), draw(42, 50), 'the same seed gives the same sequence')
  t.not(draw(42, 1)[0], draw(43, 1)[0], 'another seed, another sequence')
  t.same(draw(-1, 5), draw(0xffffffff, 5), 'the seed is taken modulo 2^32')
  const values = draw(7, 10_000)
  t.same(
    values.filter(v => !(v >= 0 && v < 1)),
    [],
  )
  // 10,000 uniforms: the mean is 0.5 within a few standard errors (0.0029).
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  t.ok(Math.abs(mean - 0.5) < 0.015, `mean ${mean}`)
})

t.test('gaussian is Box-Muller of two uniforms', async t => {
  t.equal(gaussian(0, 0), 0, 'sqrt(-2 ln 1) = 0')
  // u1 = 1 - e^(-1/2): sqrt(-2 ln e^(-1/2)) = 1; cos(0) = 1, cos(pi) = -1.
  t.ok(Math.abs(gaussian(1 - Math.exp(-0.5), 0) - 1) < 1e-12)
  t.ok(Math.abs(gaussian(1 - Math.exp(-0.5), 0.5) + 1) < 1e-12)
  // u1 = 1 - e^(-2): radius 2; u2 = 0.25: cos(pi/2) = 0.
  t.ok(Math.abs(gaussian(1 - Math.exp(-2), 0) - 2) < 1e-12)
  t.ok(Math.abs(gaussian(1 - Math.exp(-2), 0.25)) < 1e-12)
})

t.test('randomId draws from 62 mixed-case or 36 lower-case characters', async t => {
  t.equal(randomId(uniforms(0, 0, 0), 3), 'AAA')
  // mixed: A-Z are 0-25, a-z 26-51, 0-9 52-61; floor(0.5 x 62) = 31 is 'f', floor(0.999 x 62) = 61 is '9'
  t.equal(randomId(uniforms(0, 26.5 / 62, 0.5, 52.5 / 62, 0.999), 5), 'Aaf09')
  // lower: a-z are 0-25, 0-9 26-35; floor(0.5 x 36) = 18 is 's'
  t.equal(randomId(uniforms(0, 0.5, 26.5 / 36, 0.999), 4, 'lower'), 'as09')
  t.equal(randomId(uniforms(), 0), '', 'length 0 draws nothing')
  t.match(randomId(rng(3), 300), /^[A-Za-z0-9]{300}$/)
  t.match(randomId(rng(3), 300, 'lower'), /^[a-z0-9]{300}$/)
})

t.test('pick takes the item at floor(u x length)', async t => {
  const items = ['w', 'x', 'y', 'z']
  t.equal(pick(uniforms(0), items), 'w')
  t.equal(pick(uniforms(0.2499), items), 'w')
  t.equal(pick(uniforms(0.25), items), 'x')
  t.equal(pick(uniforms(0.5), items), 'y')
  t.equal(pick(uniforms(0.9999), items), 'z')
})

t.test('pickWeighted splits [0, 1) by cumulative weight, each boundary going to the later item', async t => {
  // weights 1 and 3 of 4: a on [0, 0.25), b on [0.25, 1)
  const ab = [
    ['a', 1],
    ['b', 3],
  ] as const
  t.equal(pickWeighted(uniforms(0), ab), 'a')
  t.equal(pickWeighted(uniforms(0.2499), ab), 'a')
  t.equal(pickWeighted(uniforms(0.25), ab), 'b')
  t.equal(pickWeighted(uniforms(0.9999), ab), 'b')
  // weights need not sum to 1: 20 and 30 of 50
  const big = [
    ['p', 20],
    ['q', 30],
  ] as const
  t.equal(pickWeighted(uniforms(0.39), big), 'p')
  t.equal(pickWeighted(uniforms(0.4), big), 'q')
})

t.test('pickWeighted never picks a zero weight; the last item catches rounding leftovers', async t => {
  const items = [
    ['a', 1],
    ['none', 0],
    ['b', 1],
  ] as const
  t.equal(pickWeighted(uniforms(0.5), items), 'b', 'the boundary of a is where b starts')
  t.equal(pickWeighted(uniforms(0.4999), items), 'a')
  // a uniform of exactly 1 is outside [0, 1), as a sum's rounding could be: it lands on the last item
  t.equal(pickWeighted(uniforms(1), items), 'b')
})
