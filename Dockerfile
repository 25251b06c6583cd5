# Runs a capability: docker run -p 8080:8080 -p 9090:9090 -e LOGTO_API_KEY=… -e TENANT_ID=… image
# (mount another file and pass its path to serve it). Adapters listen on 0.0.0.0 inside the container;
# set RUNTIME_AUTH_TOKEN so that what is reachable is also authenticated.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci --ignore-scripts && npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY schemas ./schemas
COPY capabilities ./capabilities
USER node
EXPOSE 8080 9090
ENTRYPOINT ["node", "dist/cli.js", "start"]
CMD ["capabilities/logto-one-time-tokens.yaml"]
