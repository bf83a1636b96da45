# syntax=docker/dockerfile:1
# Node 24, the current LTS, on Debian 13 (trixie) slim: the exact version CI tests the suite on
# (.ci/run), since the time-zone database inside Node decides DST rules of the daily buckets.
ARG NODE_IMAGE=node:24.21.0-trixie-slim

# Build stage: compile TypeScript with the full dev toolchain.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
# The build also writes the OpenAPI document as JSON, from the YAML.
COPY openapi ./openapi
RUN npm run build

# Runtime stage: production dependencies, compiled JS, the explorer's page and the default world only.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/server ./dist/server
# The OpenAPI document as JSON, made by npm run build: parsing the YAML at start-up is slower.
COPY --from=build /app/dist/openapi ./dist/openapi
# The explorer's page (/explorer) is served as it is, not compiled; uPlot comes with the production deps.
COPY server/explorer ./server/explorer
COPY fixtures ./fixtures
COPY openapi ./openapi
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/_mock/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Mount your own fixtures and point FIXTURES at them: docker run -v $PWD/fx:/fx -e FIXTURES=/fx ...
CMD ["node", "dist/server/main.js"]
