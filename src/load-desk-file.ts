// Reads a desk file from disk and applies it: the one path used by DESK_FILE at start and by the CLI.
import { readFile } from 'node:fs/promises'
import type { Database } from '../db/client.js'
import { type DeskFile, parseDeskFile } from './domain/desk-file.js'
import { RevisionRefused } from './errors.js'
import { type ApplySummary, applyDeskFile, digestOf, lastAppliedDigest } from './store/configuration.js'
import type { WarningLog } from './store/what-if.js'

/** A desk file that cannot be read or is wrong; `lines` name each problem (path: message). */
export class DeskFileError extends Error {
  override name = 'DeskFileError'
  constructor(
    readonly file: string,
    readonly lines: string[],
  ) {
    super(`${file}: ${lines.length === 1 ? lines[0] : `${lines.length} problems:\n  ${lines.join('\n  ')}`}`)
  }
}

export async function readDeskFile(path: string, options: { production?: boolean } = {}): Promise<DeskFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new DeskFileError(path, [code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`])
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new DeskFileError(path, [`is not valid JSON: ${(error as Error).message}`])
  }
  const parsed = parseDeskFile(json, options)
  if (!parsed.ok)
    throw new DeskFileError(
      path,
      parsed.errors.map((e) => `${e.path}: ${e.message}`),
    )
  return parsed.file
}

export type ApplyOutcome = ({ skipped: false } & ApplySummary) | { skipped: true; digest: string }

/**
 * Applies a desk file. With `onlyIfChanged` (DESK_FILE at start) a file identical to the last one
 * the same actor applied is skipped, so a restart never undoes what managers changed through the API since.
 */
export async function applyDeskFileFrom(
  db: Database,
  path: string,
  context: { actor: string; now: Date; onlyIfChanged?: boolean; production?: boolean; log?: WarningLog },
): Promise<ApplyOutcome> {
  const file = await readDeskFile(path, { production: context.production ?? false })
  const digest = digestOf(file)
  if (context.onlyIfChanged && (await lastAppliedDigest(db, context.actor)) === digest) return { skipped: true, digest }
  try {
    return { skipped: false, ...(await applyDeskFile(db, file, context)) }
  } catch (error) {
    if (error instanceof RevisionRefused)
      throw new DeskFileError(
        path,
        error.fields.map((f) => `${f.field}: ${f.message}`),
      )
    throw error
  }
}
