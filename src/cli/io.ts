// What a command line reads and writes: the process's environment and streams, or a test's, so
// that tests run the commands in process rather than starting a TypeScript process for each.
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

export interface CliIo {
  env: Record<string, string | undefined>
  /** a line for stdout */
  out(line: string): void
  /** a line for stderr */
  err(line: string): void
  /** whether stderr is a terminal (a person watching): what-if then shows its progress there */
  errIsTty?: boolean
}

export const processIo: CliIo = {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  errIsTty: process.stderr.isTTY === true,
}

/** Whether the module at `moduleUrl` is the program node was started with (not one a test imported). */
export function isProgram(moduleUrl: string): boolean {
  const script = process.argv[1]
  if (!script) return false
  try {
    // The module loader resolves symbolic links; argv[1] is the path as typed.
    return pathToFileURL(realpathSync(script)).href === moduleUrl
  } catch {
    return false
  }
}
