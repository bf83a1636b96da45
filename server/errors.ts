// The error codes and envelope. Rule code throws ApiError with a google.rpc.Code; only
// httpStatusFor() decides the HTTP status, mirroring grpc-gateway's runtime.HTTPStatusFromCode.
// The messages, each with the code it goes with, are in messages.ts (the constructors below are
// what it builds them with); the gateway's own Not Found and Method Not Allowed stay here.

export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode]

const HTTP_STATUS: Record<GrpcCode, number> = {
  3: 400,
  4: 504,
  5: 404,
  7: 403,
  8: 429,
  12: 501,
  13: 500,
  14: 503,
  16: 401,
}

export function httpStatusFor(code: GrpcCode): number {
  return HTTP_STATUS[code]
}

/** The reverse mapping, for faults injected by HTTP status. */
export function grpcCodeForStatus(status: number): GrpcCode {
  for (const [code, s] of Object.entries(HTTP_STATUS)) if (s === status) return Number(code) as GrpcCode
  if (status >= 500) return GrpcCode.INTERNAL
  return GrpcCode.INVALID_ARGUMENT
}

export class ApiError extends Error {
  constructor(
    readonly code: GrpcCode,
    message: string,
    /** An injected fault may ask for a status the code would not give (e.g. 502). */
    private readonly status?: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
  get httpStatus(): number {
    return this.status ?? httpStatusFor(this.code)
  }
}

/** The grpc-gateway error body (google.rpc.Status as proto-JSON). */
export interface ErrorEnvelope {
  code: number
  message: string
  details: unknown[]
}

export function envelope(err: ApiError): ErrorEnvelope {
  return { code: err.code, message: err.message, details: [] }
}

export const invalidArgument = (message: string) => new ApiError(GrpcCode.INVALID_ARGUMENT, message)
export const unauthenticated = (message: string) => new ApiError(GrpcCode.UNAUTHENTICATED, message)
export const permissionDenied = (message: string) => new ApiError(GrpcCode.PERMISSION_DENIED, message)
export const notFound = (message = 'Not Found') => new ApiError(GrpcCode.NOT_FOUND, message)
export const methodNotAllowed = () => new ApiError(GrpcCode.UNIMPLEMENTED, 'Method Not Allowed')
/** The same answer on the mock's own paths, saying which methods the path does serve [ours]. */
export const controlMethodNotAllowed = (method: string, path: string, allowed: readonly string[]) =>
  new ApiError(GrpcCode.UNIMPLEMENTED, `Method Not Allowed: ${path} answers ${allowed.join(', ')}, not ${method}`)
export const resourceExhausted = (message: string) => new ApiError(GrpcCode.RESOURCE_EXHAUSTED, message)
export const unavailable = (message: string) => new ApiError(GrpcCode.UNAVAILABLE, message)
export const internal = (message = 'internal error') => new ApiError(GrpcCode.INTERNAL, message)
