// JSON written straight into bytes, for the billingUsage answer, which is most of what the server
// sends. Building row objects, JSON.stringify, then encoding the text as UTF-8 for the socket made
// three passes over every answer (and V8 would keep the whole text at two bytes per character
// once one name in it were not ASCII, slowing the last two passes further). Here the numbers are
// written digit by digit and everything else arrives already encoded (see the row writer in
// json/row-writer.ts), so an answer costs one pass (npm run bench, issue #16).
//
// Writers are lent to answers and given back once an answer is sent, so that an answer is
// written into memory written before: fresh memory costs its page faults, more than the writing
// (copying W3's 2.5 MB into a new Buffer took 0.5-1.5 ms, into a used one 0.06 ms).

/** The ASCII codes JSON's punctuation takes, for `byte`. */
export const CHAR = { leftBrace: 0x7b, rightBrace: 0x7d, comma: 0x2c, quote: 0x22 } as const

/** 10^0 .. 10^9: an integer below 2^31 has at most 10 digits. */
const POWERS_OF_TEN = Array.from({ length: 10 }, (_, i) => 10 ** i)
/** "00" to "99" as ASCII codes: two digits written per division. */
const DIGIT_PAIRS = Uint8Array.from(
  Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'))
    .join('')
    .split('')
    .map(c => c.charCodeAt(0)),
)

/** Below this length a fragment is copied byte by byte: cheaper than a call to TypedArray set. */
const SHORT = 8
/** A writer's buffer larger than this is not kept for the next answer. */
const KEEP_BYTES = 8 * 1024 * 1024
/** Writers kept for the next answers (more are made while more answers are on their way). */
const IDLE_WRITERS = 4
const idle: JsonBytes[] = []

/** An answer's bytes, lent: `body` stays as it is until `release()`, then its memory is reused. */
export interface LentBytes {
  body: Buffer
  release: () => void
}

export class JsonBytes {
  private buf: Buffer
  private pos = 0

  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(size)
  }

  /** An empty writer, one given back if there is one. */
  static borrow(): JsonBytes {
    const out = idle.pop() ?? new JsonBytes()
    out.reset()
    return out
  }

  /**
   * What was written, without a copy; the writer goes back for another answer when the bytes
   * are released (once only: a second release is ignored), and is not to be written any more.
   */
  lend(): LentBytes {
    let lent = true
    return {
      body: this.buf.subarray(0, this.pos),
      release: () => {
        if (!lent) return
        lent = false
        if (idle.length < IDLE_WRITERS && this.buf.length <= KEEP_BYTES) idle.push(this)
      },
    }
  }

  /** Empty again, for the next answer (borrow() calls it). */
  reset(): void {
    this.pos = 0
  }

  /** How many bytes are written. */
  get length(): number {
    return this.pos
  }

  /** Replaces a byte already written. */
  setByte(at: number, code: number): void {
    if (at >= this.pos) throw new RangeError(`byte ${at} is not written yet`)
    this.buf[at] = code
  }

  /** One byte (an ASCII character code). */
  byte(code: number): void {
    if (this.pos === this.buf.length) this.room(1)
    this.buf[this.pos++] = code
  }

  /** Bytes already encoded. */
  bytes(src: Uint8Array): void {
    const n = src.length
    if (this.pos + n > this.buf.length) this.room(n)
    const buf = this.buf
    let pos = this.pos
    if (n < SHORT) for (let i = 0; i < n; i++) buf[pos++] = src[i] as number
    else {
      buf.set(src, pos)
      pos += n
    }
    this.pos = pos
  }

  /** A number as JSON.stringify writes it: safe integers digit by digit, the rest by V8. */
  number(n: number): void {
    if (!Number.isSafeInteger(n)) {
      this.text(JSON.stringify(n))
      return
    }
    if (this.pos + 17 > this.buf.length) this.room(17)
    const buf = this.buf
    if (n < 0) {
      buf[this.pos++] = 45 // '-'
      n = -n
    }
    if (n > 0x7fffffff) {
      // Above 2^31: the digits above the last eight, then those eight with integer arithmetic.
      // (The high part is exact: n / 1e8 of a safe integer never rounds up to the next integer.)
      const high = Math.floor(n / 1e8)
      this.number(high)
      this.digits(n - high * 1e8, 8)
      return
    }
    let digits = 1
    while (digits < 10 && n >= (POWERS_OF_TEN[digits] as number)) digits++
    this.digits(n, digits)
  }

  /** `n` (below 2^31) in exactly `count` digits, zeros first. */
  private digits(n: number, count: number): void {
    const buf = this.buf
    let i = this.pos + count
    this.pos = i
    // Two digits per division.
    while (n >= 100) {
      const q = (n / 100) | 0
      const r = (n - q * 100) * 2
      buf[--i] = DIGIT_PAIRS[r + 1] as number
      buf[--i] = DIGIT_PAIRS[r] as number
      n = q
    }
    if (n >= 10) {
      buf[--i] = DIGIT_PAIRS[n * 2 + 1] as number
      buf[--i] = DIGIT_PAIRS[n * 2] as number
    } else buf[--i] = 48 + n
    while (i > this.pos - count) buf[--i] = 48
  }

  /** Text, encoded as UTF-8 (JSON.stringify's output: strings there are already escaped). */
  text(s: string): void {
    if (this.pos + s.length * 3 > this.buf.length) this.room(s.length * 3)
    this.pos += this.buf.write(s, this.pos, 'utf8')
  }

  private room(n: number): void {
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }
}
