# Temporal worker for the contracting pipeline.
#
# Debian bookworm (glibc), not Alpine: @temporalio/core-bridge ships prebuilt native binaries for
# linux x64/arm64 glibc only, and esbuild (tsx) and @swc/core (the workflow bundler) pick their glibc builds too.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so this layer stays cached until the lockfile changes.
# tsx is a runtime dependency: the worker runs the TypeScript sources directly.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Only what runs in production (scripts/ and test/ are not needed).
COPY tsconfig.json ./
COPY config ./config
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY policies ./policies
# The web service (signing pages, email replies) runs from the same image.
COPY security ./security
COPY server ./server
COPY inbound ./inbound
COPY client ./client

# Documents and the sent-mail log live under /data. Creating it here owned by `node` means a fresh named
# volume mounted on /data takes that ownership, so the non-root worker can write to it.
RUN mkdir -p /data && chown node:node /data
ENV CPO_DATA_DIR=/data

USER node

CMD ["node_modules/.bin/tsx", "worker/main.ts"]
