// The command lines run in process (main(argv, io)), their output kept as a process would print it.
import type { CliIo } from '../../src/cli/io.js'

export interface Ran {
  code: number
  stdout: string
  stderr: string
}

export async function runInProcess(
  main: (argv: string[], io: CliIo) => Promise<number>,
  argv: string[],
  env: Record<string, string>,
  io: Pick<CliIo, 'errIsTty'> = {},
): Promise<Ran> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {
    ...io,
    env,
    out: (line) => {
      stdout += `${line}\n`
    },
    err: (line) => {
      stderr += `${line}\n`
    },
  })
  return { code, stdout, stderr }
}
