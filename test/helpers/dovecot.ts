// A real IMAP server for tests: Debian's Dovecot started from a throwaway configuration in a temporary folder, on a free 127.0.0.1 port.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { ImapFlow } from 'imapflow'
import type { Test } from 'tap'

export const DOVECOT = '/usr/sbin/dovecot'
const USER = 'support@vendor.dz'
const PASSWORD = 'secret-imap-password'
/** Dovecot refuses mail access as root: as root, the mailbox belongs to nobody. */
const NOBODY = 65534

/**
 * False (and the test file planned as skipped) when Dovecot is not installed. In CI (`CI=true`)
 * a missing Dovecot fails instead: CI installs `dovecot-imapd`, and a skipped test would hide it.
 */
export function dovecotAvailable(t: Test): boolean {
  if (existsSync(DOVECOT)) return true
  if (process.env.CI === 'true') t.fail(`no Dovecot at ${DOVECOT}: CI must install dovecot-imapd`)
  else t.plan(0, `no Dovecot at ${DOVECOT} (apt-get install -y dovecot-imapd); the IMAP tests are skipped`)
  return false
}

export interface DovecotOptions {
  /** announce IDLE (default); false: a server without IDLE, so clients poll */
  idle?: boolean
}

export class Dovecot {
  private child: ChildProcess | null = null
  readonly user = USER
  readonly password = PASSWORD

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** The mailbox's IMAP_URL, the user percent-encoded as in production; `folder` defaults to INBOX. */
  url(folder = 'INBOX'): string {
    return `imap://${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${this.port}/${encodeURIComponent(folder)}`
  }

  get running(): boolean {
    return this.child !== null
  }

  /** Starts the server (again, on the same port and mail) and waits until it greets. */
  async start(): Promise<void> {
    if (this.child) return
    const log = openSync(join(this.dir, 'dovecot.out'), 'a')
    // A process group of its own: stopping it reaches the imap processes too, which Dovecot's
    // master leaves running for seconds after it exits.
    const child = spawn(DOVECOT, ['-F', '-c', join(this.dir, 'dovecot.conf')], { stdio: ['ignore', log, log], detached: true })
    this.child = child
    const group = child.pid as number
    const killGroup = () => signalGroup(group, 'SIGKILL')
    process.once('exit', killGroup) // a test that dies leaves no server behind
    child.once('exit', () => {
      process.off('exit', killGroup)
      if (this.child === child) this.child = null
    })
    await waitForGreeting(
      this.port,
      () => this.child === null,
      () => this.log(),
    )
  }

  /** Stops the server the way an outage does: every process ends, every connection is cut. */
  async stop(): Promise<void> {
    const child = this.child
    if (!child) return
    const exited = once(child, 'exit')
    signalGroup(child.pid as number, 'SIGTERM')
    await exited
    signalGroup(child.pid as number, 'SIGKILL') // what did not end with its master
    this.child = null
  }

  /** A client logged in as the mailbox user, for appending and checking flags. Logged out in teardown. */
  async client(t: Test): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      auth: { user: USER, pass: PASSWORD },
      logger: false,
      disableAutoIdle: true,
    })
    client.on('error', () => {})
    await client.connect()
    t.teardown(() => client.logout().catch(() => client.close()))
    return client
  }

  log(): string {
    const files = ['dovecot.log', 'dovecot.out'].map((f) => join(this.dir, f)).filter(existsSync)
    return files.map((f) => readFileSync(f, 'utf8')).join('\n')
  }
}

/** Starts Dovecot from a configuration of its own in a temporary folder; stopped and removed in teardown. */
export async function startDovecot(t: Test, options: DovecotOptions = {}): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'supportline-dovecot-'))
  chmodSync(dir, 0o755) // the mail processes run as another user when we are root
  const port = await freePort()
  writeConfiguration(dir, port, options)
  const dovecot = new Dovecot(dir, port)
  t.teardown(async () => {
    await dovecot.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  await dovecot.start()
  return dovecot
}

function writeConfiguration(dir: string, port: number, options: DovecotOptions): void {
  const root = process.getuid?.() === 0
  const me = userInfo()
  const uid = root ? NOBODY : me.uid
  const gid = root ? NOBODY : me.gid
  const mail = join(dir, 'mail')
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub))
  if (root) chownSync(mail, uid, gid)
  writeFileSync(join(dir, 'passwd'), `${USER}:{PLAIN}${PASSWORD}:${uid}:${gid}::${mail}/support\n`)
  const lines = [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `instance_name = supportline-test-${port}`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    'auth_failure_delay = 0', // a wrong password is answered at once, the test need not wait
    `log_path = ${dir}/dovecot.log`,
    'mail_location = maildir:~/Maildir',
    'first_valid_uid = 1',
    'first_valid_gid = 1',
    // Not root: every process runs as us (Dovecot otherwise wants its dovecot and dovenull users).
    ...(root
      ? []
      : [
          `default_login_user = ${me.username}`,
          `default_internal_user = ${me.username}`,
          `default_internal_group = ${groupName(gid)}`,
        ]),
    // Without IDLE in the capabilities, clients must poll: the fallback path of the mailbox reader.
    ...(options.idle === false ? ['imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS MOVE'] : []),
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${dir}/passwd`,
    '}',
    'userdb {',
    '  driver = passwd-file',
    `  args = username_format=%u ${dir}/passwd`,
    '}',
    'service imap-login {',
    '  chroot =',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    '    port = 0',
    '  }',
    '}',
    'service anvil {',
    '  chroot =',
    '}',
    // A test appends messages of 30 MB and more.
    'default_vsz_limit = 1G',
  ]
  writeFileSync(join(dir, 'dovecot.conf'), `${lines.join('\n')}\n`)
}

function groupName(gid: number): string {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(gid))
  return line?.split(':')[0] ?? String(gid)
}

/** Signals Dovecot's process group, which this helper created; a group already gone is fine. */
function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal)
  } catch {}
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Connects until the server says `* OK` (10 s at most), or fails with Dovecot's own log. */
async function waitForGreeting(port: number, exited: () => boolean, log: () => string): Promise<void> {
  const until = Date.now() + 10_000
  while (Date.now() < until) {
    if (exited()) throw new Error(`dovecot exited at start:\n${log()}`)
    if (await greets(port)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`dovecot did not answer on 127.0.0.1:${port} within 10 s:\n${log()}`)
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once('data', (data) => done(data.toString().startsWith('* OK')))
    socket.once('error', () => done(false))
  })
}
