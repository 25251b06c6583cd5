# The runtime as an image: `runtime` is the entrypoint, so every subcommand works
#   docker run --rm IMAGE validate /capabilities/logto-one-time-tokens.yaml
# and the default command serves the bundled Logto capability (it needs TENANT_ID and LOGTO_API_KEY, or
# LOGTO_CLIENT_ID + LOGTO_CLIENT_SECRET, from the environment or a mounted env file; see docs/deploy.md).
# Base: the Node LTS line the suite also runs on (.ci/run reads the major from here), by exact tag; pin the digest
# too in your registry mirror (docker buildx imagetools inspect node:<tag>). test/deploy/docker-replay.test.ts
# replays these steps without a container engine, so keep to FROM/WORKDIR/COPY/RUN/ENV/LABEL/USER/EXPOSE/
# HEALTHCHECK/ENTRYPOINT/CMD, JSON-array forms, and paths below /app or /capabilities.

# Production dependencies only, exactly as locked; no install scripts run (none of them needs one).
FROM node:24.22.3-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# The compiler and type definitions live here and nowhere else.
FROM node:24.22.3-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# The compiled schema validator (schemas/*.validate.mjs) is imported by src/spec.
COPY schemas ./schemas
# npm run build bundles the CLI with esbuild after tsc (scripts/build-bundle.mjs).
COPY scripts/build-bundle.mjs ./scripts/
RUN npm ci --ignore-scripts --no-audit --no-fund
RUN npm run build && chmod 0755 dist/cli.js && mkdir -p bin && ln -s ../dist/cli.js bin/runtime

FROM node:24.22.3-trixie-slim
LABEL org.opencontainers.image.title="naftiko-runtime" \
      org.opencontainers.image.description="Serves a Naftiko 1.0.0-alpha2 capability as REST and MCP from one binding table" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.base.name="docker.io/library/node:24.22.3-trixie-slim"
# HOST=0.0.0.0: inside a container the loopback default would be unreachable through published ports. Whatever
# publishes them makes the adapters reachable from that network, so set inbound auth (RUNTIME_AUTH_TOKEN, or the
# file's own authentication) and RUNTIME_REQUIRE_AUTH=1 before exposing it beyond a private network.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    LOG_FORMAT=json \
    PATH=/app/bin:$PATH
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY package.json ./
COPY schemas ./schemas
COPY capabilities /capabilities
# The node image's unprivileged user (uid 1000); the image's files stay root-owned and read-only to it.
USER node
EXPOSE 8080 9090
# No curl in the image: Node's fetch probes the REST adapter's readiness (REST_PORT when it is moved).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.REST_PORT||8080)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["runtime"]
CMD ["start", "/capabilities/logto-one-time-tokens.yaml", "--openapi", "/capabilities/logto-one-time-tokens.openapi.json"]
