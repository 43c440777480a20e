# syntax=docker/dockerfile:1
# brightpattern-exporter image: build with dev dependencies, run with production ones only.
#
#   docker build -t brightpattern-exporter:0.1.0 .
#   docker run --rm -p 9737:9737 \
#     -v "$PWD/config.yaml:/etc/brightpattern-exporter/config.yaml:ro" \
#     -v "$PWD/client-secret:/run/secrets/brightpattern-exporter/client-secret:ro" \
#     brightpattern-exporter:0.1.0
# with `client_secret_file: /run/secrets/brightpattern-exporter/client-secret` in config.yaml (see README).
#
# Base: the official Node.js image at a full version tag (reproducible without resolving a digest),
# the same in every stage so the runtime is exactly the Node the build used. Distroless has rolling
# tags only (pinning needs a digest); instead the runtime stage drops npm and corepack.
# scripts/rehearse-image.ts (`npm run rehearse:image`) replays these steps outside Docker; keep the two in step.
ARG NODE_VERSION=24.11.1

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the package's `prepare` script compiles, and the sources are not here yet.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; --ignore-scripts keeps `prepare` (tsc, a dev dependency) from running.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="brightpattern-exporter" \
      org.opencontainers.image.description="Prometheus exporter for the Bright Pattern Contact Center Real-Time Statistics API" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/node:${NODE_VERSION}-bookworm-slim"
# The exporter needs only `node`: remove the package managers it would never run.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* \
           /usr/local/bin/yarn /usr/local/bin/yarnpkg
WORKDIR /app
ENV NODE_ENV=production
# Owned by root, read-only for the exporter's user.
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json config.example.yaml ./
# The `node` user of the base image, numeric so Kubernetes can check runAsNonRoot.
USER 1000:1000
EXPOSE 9737
# Liveness only (Kubernetes uses its own probes). Exec form: no shell involved. Assumes the default
# listen address :9737 without TLS; change or disable it (--no-healthcheck) for other web configs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9737/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["--config", "/etc/brightpattern-exporter/config.yaml"]
