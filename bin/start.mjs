// `npm start`: runs the service from one bundle of src/ (esbuild, well under a second), rebuilt only
// when a source is newer than it, instead of compiling every module through tsx at each start.
// The bundle keeps node_modules as imports (PGlite finds its files beside itself) and each module's
// own import.meta.url (the migrations and the dashboard's assets are read relative to their module).
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bundle = join(root, '.start', 'server.mjs')
const started = performance.now()

/** The newest modification time of the sources the bundle is made of (and of this script, and the lock file). */
function newestSource() {
  let newest = Math.max(statSync(join(root, 'package-lock.json')).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs)
  const walk = (dir) => {
    // a directory's own time changes when a file in it is added, renamed or deleted
    newest = Math.max(newest, statSync(dir).mtimeMs)
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
    }
  }
  for (const dir of ['src', 'db', 'webhooks']) walk(join(root, dir))
  return newest
}

function bundledAt() {
  try {
    return statSync(bundle).mtimeMs
  } catch {
    return Number.NEGATIVE_INFINITY
  }
}

/** Each module keeps its own URL where it reads one (`new URL('../drizzle', import.meta.url)`). */
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

if (bundledAt() < newestSource()) {
  const { build } = await import('esbuild')
  mkdirSync(dirname(bundle), { recursive: true })
  // Written aside, then renamed: two starts at once never run half a bundle.
  const partial = `${bundle}.${process.pid}.tmp`
  await build({
    entryPoints: [join(root, 'src', 'server.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
    plugins: [ownMetaUrl],
  })
  renameSync(partial, bundle)
  const ms = Math.round(performance.now() - started)
  console.error(`supportline: sources changed, bundled ${relative(root, bundle)} in ${ms} ms`)
}

await import(pathToFileURL(bundle).href)
