# One image per service, built from the workspace: `docker compose build` builds both targets.
FROM node:22-bookworm-slim AS workspace
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g pnpm@10.34.9
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/openapi/package.json packages/openapi/
COPY packages/storage/package.json packages/storage/
COPY packages/konsole/package.json packages/konsole/
COPY packages/konui/package.json packages/konui/
COPY packages/dashboard/package.json packages/dashboard/
COPY test/package.json test/
COPY bench/package.json bench/
RUN pnpm install --frozen-lockfile
COPY tsconfig.base.json ./
COPY packages packages

FROM workspace AS konsole
# What agents use in their workspaces: a shell, git and curl (to reach konui with KONUI_TOKEN).
RUN apt-get update \
 && apt-get install -y --no-install-recommends git curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown node:node /data
USER node
ENV KONSOLE_HOST=0.0.0.0 KONSOLE_PORT=7801 KONSOLE_DATA_DIR=/data NODE_ENV=production
EXPOSE 7801
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7801/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# A 2 MB young generation keeps the host observer's peak RSS flat (scripts/services.mjs says why).
CMD ["node", "--max-semi-space-size=2", "--import", "tsx", "packages/konsole/src/main.ts"]

FROM workspace AS konui
# konui serves the built dashboard from packages/dashboard/dist (KONUI_DASHBOARD_DIR's default).
RUN cd packages/dashboard && node node_modules/vite/bin/vite.js build \
 && mkdir -p /data && chown node:node /data
USER node
ENV KONUI_HOST=0.0.0.0 KONUI_PORT=7800 KONUI_DATA_DIR=/data NODE_ENV=production
EXPOSE 7800
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7800/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "packages/konui/src/main.ts"]
