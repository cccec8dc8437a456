// The committed migrations (drizzle/: the SQL files and drizzle-kit's meta), and their fingerprint.
import { createHash } from 'node:crypto'
import { readFile, readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url))

let fingerprint: Promise<string> | undefined

/**
 * A hash of every file under drizzle/ (names and contents): what a migrated template was made
 * from, so that a new migration makes new templates. Computed once per process.
 */
export function migrationsFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const hash = createHash('sha256')
    const files = (await readdir(migrationsFolder, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort()
    for (const file of files) hash.update(`${relative(migrationsFolder, file)}\n`).update(await readFile(file))
    return hash.digest('hex').slice(0, 16)
  })()
  return fingerprint
}
