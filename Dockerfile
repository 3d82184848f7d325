# syntax=docker/dockerfile:1
# Builds any Surge service by name:  docker build --build-arg APP=metrics-ingest -t surge/metrics-ingest .
# Both stages share one base so the native add-ons (snappy, SWC) that npm ci picks match the runtime's libc.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS builder
ARG APP
WORKDIR /app
# Manifests first, so the dependency layer is reused until the lockfile changes.
# The workspaces (apps/*, libs/*) carry no package.json of their own; copy any that appear here too.
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# Stage only what the chosen app runs: its compiled tree, the shared libs and the static assets (apps/*/public:
# audit-log serves apps/console/public as the console).
RUN test -n "${APP}" || { echo "pass --build-arg APP=<service name>" >&2; exit 1; } \
 && node tools/build.cjs \
 && test -f "dist/apps/${APP}/src/main.js" \
 && mkdir -p /stage/dist/apps \
 && cp -r dist/libs /stage/dist/libs \
 && cp -r "dist/apps/${APP}" /stage/dist/apps/ \
 && for assets in apps/*/public; do \
      if [ -d "$assets" ]; then mkdir -p "/stage/${assets%/public}" && cp -r "$assets" "/stage/$assets"; fi; \
    done

FROM ${NODE_IMAGE} AS runtime
ARG APP
LABEL org.opencontainers.image.title="surge-${APP}" \
      org.opencontainers.image.description="Surge event-driven autoscaler: ${APP}" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    SURGE_APP=${APP} \
    PORT=8080
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
COPY --from=builder /stage/ ./
COPY deploy/docker/healthcheck.cjs ./healthcheck.cjs
# The official image's unprivileged `node` user (uid 1000); Kubernetes pins runAsUser to the same id.
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["node", "healthcheck.cjs"]
# Exec form through sh only to expand SURGE_APP; `exec` hands PID 1 to Node so SIGTERM reaches the app's graceful stop.
CMD ["sh", "-c", "exec node dist/apps/${SURGE_APP}/src/main.js"]
