# The image fly.toml deploys: compiled JavaScript on Node 20, production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The shipped desk files, so DESK_FILE=db/desks/intercom.json works in a demo deployment.
COPY --from=build /app/db/desks ./db/desks
USER node
EXPOSE 8080
# The heap for a 256 MB machine with the tail of an uncapped one (docs/BENCHMARKS.md, "The heap cap's
# tail, mended"): a limit keeps the peak RSS near 190 MB; a growing factor of 3 keeps V8 from a
# full collection every second, which any limit up to 256 MB otherwise brings (factor 1.3). On the
# command line, since node refuses --heap-growing-percent in NODE_OPTIONS.
CMD ["node", "--enable-source-maps", "--max-old-space-size=160", "--heap-growing-percent=200", "dist/src/server.js"]
