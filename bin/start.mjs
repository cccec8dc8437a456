// `npm start`: the service, from the bundle of src/ and its dependencies (bin/bundle.mjs), made
// first when a source is newer than it.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureBundle } from './bundle.mjs'

// On the embedded database, PGlite's WebAssembly (9 MB) compiles on V8's own threads while this one
// loads the bundle; src/server.ts takes the module from here (`earlyPgliteWasm`) and PGlite starts
// without compiling it.
if (!process.env.DATABASE_URL) {
  const pglite = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
  globalThis[Symbol.for('supportline.pgliteWasm')] = readFile(join(pglite, 'pglite.wasm'))
    .then((bytes) => WebAssembly.compile(bytes))
    .catch(() => undefined)
}

await import(pathToFileURL(await ensureBundle()).href)
