// Bench only (BENCH_ROUTES=true): /_bench/<any real URL> answers with the very same bytes the
// real route gave for that URL the first time, straight from memory. It measures what serving
// costs when computing costs nothing: the limit that npm run bench compares workloads with.

import type { FastifyInstance } from 'fastify'

export function registerBenchRoutes(app: FastifyInstance): void {
  const replies = new Map<string, { body: Buffer; type: string }>()
  app.get('/_bench/*', async (request, reply) => {
    const url = request.url.slice('/_bench'.length)
    let saved = replies.get(url)
    if (!saved) {
      const res = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: request.headers.authorization ?? '' },
      })
      saved = { body: res.rawPayload, type: String(res.headers['content-type']) }
      replies.set(url, saved)
    }
    return reply.type(saved.type).send(saved.body)
  })
}
