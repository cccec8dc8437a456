// A new embedded database starts from a migrated data directory kept as a tarball, instead of
// PGlite's initdb and every migration (5 s and more of CPU): one tarball per PGlite version, set of
// migrations and recipe, cached under node_modules/.cache/supportline.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { PGlite, type PGliteOptions } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { migrate } from 'drizzle-orm/pglite/migrator'
import { migrationsFingerprint, migrationsFolder } from './migrations.js'

/** How a template is made: initdb's options, then the migrations, then these statements. */
export interface TemplateRecipe {
  /** the file name's first word */
  name: string
  /** PGlite's `initDbStartParams` (none: what `new PGlite()` does) */
  initdb?: string[]
  /** SQL run after the migrations, in order */
  after?: string[]
}

/**
 * The product's template: exactly what a new database is after `new PGlite(dir)` and the
 * migrations, nothing tuned, so that a database started from it is the one initdb would have made.
 */
export const PRODUCT_TEMPLATE: TemplateRecipe = { name: 'pglite' }

const require = createRequire(import.meta.url)
const pgliteEntry = require.resolve('@electric-sql/pglite')
/** node_modules/@electric-sql/pglite */
const pglitePackage = dirname(dirname(pgliteEntry))
export const pgliteVersion = (require(join(pglitePackage, 'package.json')) as { version: string }).version
export const pgliteWasm = join(pglitePackage, 'dist', 'pglite.wasm')

/** node_modules/.cache/supportline, in the node_modules that holds PGlite (find-cache-dir's convention). */
export const templateCache = (() => {
  const marker = `${sep}node_modules${sep}`
  const at = pgliteEntry.lastIndexOf(marker)
  return join(at >= 0 ? pgliteEntry.slice(0, at + marker.length) : pglitePackage, '.cache', 'supportline')
})()

/** `<cache>/<name>-<PGlite version>-<hash of the migrations and the recipe>.tar` */
export async function templateFile(recipe: TemplateRecipe, cache = templateCache): Promise<string> {
  const hash = createHash('sha256')
    .update(`${await migrationsFingerprint()}\n${JSON.stringify(recipe)}`)
    .digest('hex')
    .slice(0, 16)
  return join(cache, `${recipe.name}-${pgliteVersion}-${hash}.tar`)
}

/** The cached tarball's bytes, or null when there is none (or it cannot be read). */
export async function readTemplate(file: string): Promise<Uint8Array | null> {
  return readFile(file).catch(() => null)
}

/**
 * Writes the tarball under a name of its own, then renames it into place: a reader never sees half
 * a file, and two processes saving at once each rename a whole one (the same bytes) over the other.
 */
export async function saveTemplate(file: string, tarball: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.partial`
  try {
    await writeFile(partial, tarball)
    await rename(partial, file)
  } finally {
    await rm(partial, { force: true })
  }
}

/** A checkpoint (every page on disk, nothing left to replay), then the data directory as a tarball. */
export async function dumpTemplate(client: PGlite): Promise<Uint8Array> {
  await client.exec('checkpoint')
  return new Uint8Array(await (await client.dumpDataDir('none')).arrayBuffer())
}

/** Makes a template from nothing, in memory: initdb, the migrations, the recipe's statements. */
export async function buildTemplate(
  recipe: TemplateRecipe,
  options: Pick<PGliteOptions, 'pgliteWasmModule'> = {},
): Promise<Uint8Array> {
  const client = await PGlite.create({ ...options, ...(recipe.initdb ? { initDbStartParams: recipe.initdb } : {}) })
  try {
    await migrate(drizzle({ client }), { migrationsFolder })
    for (const statement of recipe.after ?? []) await client.exec(statement)
    return await dumpTemplate(client)
  } finally {
    await client.close()
  }
}

/**
 * The recipe's tarball from the cache, made and saved when missing. Saving can fail (a read-only
 * node_modules): the tarball is still returned, and the next process makes its own.
 */
export async function cachedTemplate(
  recipe: TemplateRecipe,
  options: Pick<PGliteOptions, 'pgliteWasmModule'> & { cache?: string } = {},
): Promise<Uint8Array> {
  const file = await templateFile(recipe, options.cache)
  const cached = await readTemplate(file)
  if (cached) return cached
  const { cache: _, ...pglite } = options
  const tarball = await buildTemplate(recipe, pglite)
  await saveTemplate(file, tarball).catch(() => {})
  return tarball
}

/**
 * A data directory tarball PGlite loads as fast as it can: Node's Blob hands its bytes over in
 * small chunks, which cost more than the rest of the copy. Each load gets its own copy of the bytes.
 */
export class Tarball extends Blob {
  readonly #data: Uint8Array
  constructor(data: Uint8Array) {
    super([])
    this.#data = data
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    // A copy the size of the data (a Buffer's slice() would share its memory, and its .buffer be larger).
    return Promise.resolve(new Uint8Array(this.#data).buffer)
  }
}
