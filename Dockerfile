# syntax=docker/dockerfile:1
# Build stage: production dependencies only. Nothing to compile: Node 24 runs the TypeScript
# sources by stripping their types, and better-sqlite3 ships prebuilt Node-API binaries in its
# package. --ignore-scripts stops npm from inferring a node-gyp rebuild from its binding.gyp
# (no compiler or Python in the image, and nothing else needs an install script).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \
 && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"

# Runtime stage: the app, its production dependencies, a non-root user, the store on /data.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_URL=sqlite:/data/feedrelay.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY src ./src
COPY feeds ./feeds
COPY demo ./demo
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
# No curl in the image: Node itself asks /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM/SIGINT itself (graceful shutdown in src/main.ts).
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=2", "src/main.ts"]
