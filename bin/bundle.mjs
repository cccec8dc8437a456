// The bundle `npm start` runs: src/ and its dependencies in one set of chunks (esbuild, a second or
// two), rebuilt only when a source or the installed packages are newer than it, instead of
// compiling every module through tsx and resolving hundreds of files in node_modules at each start.
// `npm ci` makes it once (bin/prepare.mjs), so that the first start does not.
// Dependencies are bundled too: loading one file is about half the CPU of resolving, reading and
// linking each package's modules (docs/BENCHMARKS.md, "The start, bundled"). PGlite stays an import (its
// wasm and data files sit beside it). Each of our modules keeps its own import.meta.url (the
// migrations and the dashboard's assets are read relative to their module), and Swagger UI's its
// own __dirname (its assets). What is loaded lazily (Twilio's REST client, the e-mail parsers,
// the demo's emulator) is a chunk of its own, loaded when first used.
import { readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, '.start')
// The entry: a one-line module naming the current build's folder, replaced in one rename.
const entry = join(out, 'server.mjs')

/** How many builds stay in .start/, the newest first. */
const KEPT = 3

/** Packages imported from node_modules: PGlite finds its wasm and data beside its own modules. */
const EXTERNAL = ['@electric-sql/pglite']

/** Bundled packages that read files beside their modules (`__dirname`): given their own folder. */
const OWN_DIRNAME = /[\\/]node_modules[\\/]@fastify[\\/]swagger-ui[\\/].*\.js$/

/** The newest modification time of what the bundle is made of: sources, this script, the installed packages. */
function newestSource() {
  const installed = [join(root, 'package-lock.json'), join(root, 'node_modules', '.package-lock.json')]
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs
  for (const file of installed) newest = Math.max(newest, mtime(file))
  const walk = (dir) => {
    // a directory's own time changes when a file in it is added, renamed or deleted
    newest = Math.max(newest, statSync(dir).mtimeMs)
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, item.name)
      if (item.isDirectory()) walk(path)
      else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
    }
  }
  for (const dir of ['src', 'db', 'webhooks']) walk(join(root, dir))
  return newest
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs
  } catch {
    return Number.NEGATIVE_INFINITY
  }
}

/** Swagger UI's page serves its assets from its own folder in node_modules. */
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: OWN_DIRNAME }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      return { contents: source.replaceAll('__dirname', JSON.stringify(dirname(args.path))), loader: 'js' }
    })
  },
}

/** Each of our modules keeps its own URL where it reads one (`new URL('../drizzle', import.meta.url)`). */
const ownMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      const contents = source.includes('import.meta.url')
        ? source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        : source
      return { contents, loader: 'ts' }
    })
  },
}

/** Makes the bundle when it is missing or older than its sources; its entry's path. */
export async function ensureBundle() {
  if (mtime(entry) >= newestSource()) return entry
  const started = performance.now()
  const { build } = await import('esbuild')
  // Each build goes into a folder of its own; the entry is rewritten aside and renamed over the
  // old one, so two starts at once never run half a bundle. The builds before it are kept, up to
  // KEPT in all: a server still running from one loads its lazy chunks (Twilio's REST client, the
  // e-mail parsers) from there when first needed.
  const name = `build-${Date.now()}-${process.pid}`
  await build({
    entryPoints: { server: join(root, 'src', 'server.ts') },
    outdir: join(out, name),
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // Bundled CommonJS packages call require(): give each chunk one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    // A file beside each chunk (read by --enable-source-maps), not a data: URL the parser must skip.
    // Fewer bytes to parse at each start (names are kept; the source maps lead back to the sources).
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [ownMetaUrl, ownDirname],
  })
  const partial = `${entry}.${process.pid}.tmp`
  writeFileSync(partial, `import './${name}/server.js'\n`)
  renameSync(partial, entry)
  const builds = readdirSync(out).filter((folder) => folder.startsWith('build-'))
  builds.sort((a, b) => Number(b.split('-')[1]) - Number(a.split('-')[1]))
  for (const old of builds.slice(KEPT)) rmSync(join(out, old), { recursive: true, force: true })
  const ms = Math.round(performance.now() - started)
  console.error(`supportline: sources changed, bundled into ${relative(root, join(out, name))} in ${ms} ms`)
  return entry
}
