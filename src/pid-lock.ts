// A lock file holding its owner's pid: for files that one process at a time may use (the embedded
// database, a journal). A lock left by a dead process is taken over.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Another live process holds the lock; the message says what to do. */
export class InUseError extends Error {
  override name = 'InUseError'
}

/** Takes the lock or throws InUseError(inUse(owner)); returns what releases it. */
export async function lockWithPid(lockFile: string, inUse: (owner: number) => string): Promise<() => Promise<void>> {
  await mkdir(dirname(lockFile), { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx' })
      return () => rm(lockFile, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(await readFile(lockFile, 'utf8').catch(() => ''))
      if (owner && owner !== process.pid && isAlive(owner)) throw new InUseError(inUse(owner))
      await rm(lockFile, { force: true })
    }
  }
  throw new InUseError(`cannot lock ${lockFile}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
