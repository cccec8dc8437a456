// The command line of the readers of V8's dumps (profile-top, heap-top): FILE [rows], the file
// parsed as JSON.
import { readFile } from 'node:fs/promises'

export async function readDump<T>(usage: string): Promise<{ file: string; dump: T; limit: number }> {
  const [file, limitArg] = process.argv.slice(2)
  if (!file) {
    console.error(`usage: ${usage}`)
    process.exit(1)
  }
  const limit = Number(limitArg ?? 30)
  if (!Number.isInteger(limit) || limit < 1) {
    console.error(`rows must be a positive whole number (got "${limitArg}"); usage: ${usage}`)
    process.exit(1)
  }
  return { file, dump: JSON.parse(await readFile(file, 'utf8')) as T, limit }
}
