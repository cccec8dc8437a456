// The local journal: durable appends, ordered replay, stopping at the first failure, and nothing
// lost or applied twice across rotations and restarts.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises'
import t from 'tap'
import { Journal } from '../src/journal.js'
import { InUseError } from '../src/pid-lock.js'

const at = new Date('2026-11-28T10:00:00Z')

t.test('entries are replayed in the order they were appended, then the journal is empty', async (t) => {
  const journal = await Journal.open<number>(t.testdir())
  t.teardown(() => journal.close())
  await Promise.all([1, 2, 3, 4, 5].map((n) => journal.append(n, at)))
  t.equal(journal.pending, 5)
  const seen: number[] = []
  const result = await journal.replay(async (entries) => {
    for (const entry of entries) seen.push(entry.write)
  })
  t.same(seen, [1, 2, 3, 4, 5])
  t.match(result, { applied: 5, remaining: 0 })
  t.equal(journal.pending, 0)
  t.same(
    (await readdir(journal.dir)).filter((name) => name.endsWith('.jsonl')),
    [],
    'no journal file left behind',
  )
})

t.test('a replay stops at the first failure and keeps the rest, in order, for the next one', async (t) => {
  const journal = await Journal.open<number>(t.testdir())
  t.teardown(() => journal.close())
  for (const n of [1, 2, 3, 4]) await journal.append(n, at)
  let down = true
  const seen: number[] = []
  const apply = async ([entry]: { write: number }[]) => {
    if (down && entry?.write === 3) throw new Error('database unreachable')
    if (entry) seen.push(entry.write)
  }
  const first = await journal.replay(apply)
  t.match(first, { applied: 2, remaining: 2 })
  await journal.append(5, at) // arrives while the database is still away
  down = false
  const second = await journal.replay(apply)
  t.match(second, { applied: 3, remaining: 0 })
  t.same(seen, [1, 2, 3, 4, 5], 'each entry once, in order')
})

t.test('a reopened journal still has what was not replayed, and drops a torn last line', async (t) => {
  const dir = t.testdir()
  const first = await Journal.open<string>(dir)
  await first.append('kept', at)
  await first.close()
  await appendFile(`${dir}/current.jsonl`, '{"id":"torn","at":"2026-11-2') // a crash mid-append, never acknowledged
  const reopened = await Journal.open<string>(dir)
  t.teardown(() => reopened.close())
  t.equal(reopened.pending, 1)
  const seen: string[] = []
  await reopened.replay(async (entries) => {
    for (const entry of entries) seen.push(entry.write)
  })
  t.same(seen, ['kept'])
})

t.test('entries carry a unique id, so the database can tell one it already applied', async (t) => {
  const journal = await Journal.open<string>(t.testdir())
  t.teardown(() => journal.close())
  const a = await journal.append('a', at)
  const b = await journal.append('b', at)
  t.not(a.id, b.id)
  t.equal(a.at, at.toISOString())
})

t.test('one process at a time: a journal in use by another live process is refused', async (t) => {
  const dir = t.testdir()
  // A live process that is not this one "holds" the journal.
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'])
  t.teardown(() => holder.kill())
  await once(holder, 'spawn')
  await writeFile(`${dir}/owner.pid`, String(holder.pid))
  await t.rejects(Journal.open(dir), InUseError)
  holder.kill()
  await once(holder, 'exit')
  const journal = await Journal.open(dir)
  t.ok(journal, 'a lock left by a dead process is taken over')
  await journal.close()
})

t.test('a replay in batches hands the entries over in order, a batch at a time', async (t) => {
  const journal = await Journal.open<number>(t.testdir())
  t.teardown(() => journal.close())
  for (let n = 1; n <= 7; n++) await journal.append(n, at)
  const batches: number[][] = []
  const result = await journal.replay(async (entries) => {
    batches.push(entries.map((entry) => entry.write))
  }, 3)
  t.same(batches, [[1, 2, 3], [4, 5, 6], [7]])
  t.match(result, { applied: 7, remaining: 0 })
})

t.test('every line carries its format version; a line without one is version 1', async (t) => {
  const dir = t.testdir({
    'current.jsonl': `${JSON.stringify({ id: 'old', at: at.toISOString(), write: 'written before versions' })}\n`,
  })
  const journal = await Journal.open<string>(dir)
  t.teardown(() => journal.close())
  await journal.append('written now', at)
  t.match(await readFile(`${dir}/current.jsonl`, 'utf8'), /^\{"id":"old".*\n\{"v":1,"id":/, 'appended lines say their version')
  t.same(
    (await journal.entries()).map((entry) => entry.write),
    ['written before versions', 'written now'],
  )
})

t.test('a release that changes the shape reads the lines of the one before through its reader', async (t) => {
  // Version 2 renamed `seconds` to `talkSeconds`; a journal still holds a version 1 line.
  type Leg = { talkSeconds: number }
  const format = {
    version: 2,
    readers: {
      1: (write: unknown) => ({ talkSeconds: (write as { seconds: number }).seconds }),
      2: (write: unknown) => write as Leg,
    },
  }
  const dir = t.testdir({
    'current.jsonl': [
      JSON.stringify({ id: 'a', at: at.toISOString(), write: { seconds: 30 } }),
      JSON.stringify({ v: 2, id: 'b', at: at.toISOString(), write: { talkSeconds: 40 } }),
      '',
    ].join('\n'),
  })
  const journal = await Journal.open<Leg>(dir, format)
  t.teardown(() => journal.close())
  let down = true
  const seen: Leg[] = []
  const apply = async ([entry]: { write: Leg }[]) => {
    if (down && entry?.write.talkSeconds === 40) throw new Error('database unreachable')
    if (entry) seen.push(entry.write)
  }
  await journal.replay(apply)
  const [segment] = (await readdir(dir)).filter((name) => name.startsWith('segment-'))
  t.match(await readFile(`${dir}/${segment}`, 'utf8'), /^\{"v":2,"id":"b"/, 'what is left is kept in the current format')
  down = false
  await journal.replay(apply)
  t.same(seen, [{ talkSeconds: 30 }, { talkSeconds: 40 }], 'both read in the current shape, in order')
})

t.test('a line of a format this release cannot read is set aside, never dropped, never in the way', async (t) => {
  const dir = t.testdir({
    'current.jsonl': [
      JSON.stringify({ v: 1, id: 'a', at: at.toISOString(), write: 1 }),
      JSON.stringify({ v: 7, id: 'b', at: at.toISOString(), write: { from: 'a later release' } }),
      JSON.stringify({ v: 1, id: 'c', at: at.toISOString(), write: 3 }),
      '',
    ].join('\n'),
  })
  const journal = await Journal.open<number>(dir)
  t.teardown(() => journal.close())
  t.equal(journal.pending, 2, 'the readable lines are pending')
  const seen: number[] = []
  const result = await journal.replay(async (entries) => {
    for (const entry of entries) seen.push(entry.write)
  })
  t.same(seen, [1, 3], 'the lines around it are applied')
  t.match(result, { applied: 2, remaining: 0, setAside: 1 })
  const rejected = JSON.parse(await readFile(`${dir}/rejected.jsonl`, 'utf8'))
  t.match(
    rejected,
    { v: 7, id: 'b', write: { from: 'a later release' }, rejected: /format version 7/ },
    'kept as written, with why',
  )
})
