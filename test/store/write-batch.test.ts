// The group commit's queueing, with plain values (the SQL it runs is tested through the app in
// test/routes/voice-batch.test.ts): a lone item goes at once, what arrives during a batch goes
// in the next one, a failed batch goes item by item, and a queued item past its deadline is never sent.
import t from 'tap'
import { DeadlineError } from '../../src/deadline.js'
import { type BatchOptions, WriteBatcher } from '../../src/store/write-batch.js'

/** A batcher whose batches the test completes by hand, and what each batch and each lone run got. */
function controlled(options: Partial<BatchOptions<string, string>> = {}) {
  const batches: { items: readonly string[]; done(error?: Error): void }[] = []
  const alone: string[] = []
  let now = 0
  const batcher = new WriteBatcher<string, string>({
    max: 3,
    run: (items) =>
      new Promise((resolve, reject) => {
        batches.push({ items, done: (error) => (error ? reject(error) : resolve(items.map((item) => `${item}!`))) })
      }),
    alone: async (item) => {
      alone.push(item)
      if (item === 'bad') throw new Error('refused')
      return `${item} alone`
    },
    shared: (error) => (error as Error).message === 'away',
    now: () => now,
    ...options,
  })
  return { batcher, batches, alone, setNow: (ms: number) => (now = ms) }
}

const settled = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error instanceof DeadlineError ? 'deadline' : (error as Error).message }),
  )

const tick = () => new Promise((resolve) => setImmediate(resolve))

t.test('a lone item goes at once; what arrives meanwhile waits and goes as the next batch, at most `max`', async (t) => {
  const { batcher, batches } = controlled()
  const first = batcher.submit('a')
  t.same(
    batches.map((b) => b.items),
    [['a']],
    'the first item is sent at once, alone',
  )
  const rest = ['b', 'c', 'd', 'e'].map((item) => batcher.submit(item))
  t.equal(batches.length, 1, 'nothing else is sent while a batch is in flight')
  t.equal(batcher.queued, 4)
  batches[0]?.done()
  t.equal(await first, 'a!')
  await tick()
  t.same(batches[1]?.items, ['b', 'c', 'd'], 'the next batch takes what waited, up to max')
  batches[1]?.done()
  await tick()
  t.same(batches[2]?.items, ['e'], 'then the rest')
  batches[2]?.done()
  t.same(await Promise.all(rest), ['b!', 'c!', 'd!', 'e!'], 'each item gets its own result')
  await tick()
  t.equal(batches.length, 3, 'and nothing more is sent')
  t.equal(batcher.queued, 0)
})

t.test('a failed batch goes item by item: only the item at fault fails', async (t) => {
  const { batcher, batches, alone } = controlled()
  const first = batcher.submit('a')
  const together = ['b', 'bad', 'c'].map((item) => settled(batcher.submit(item)))
  batches[0]?.done()
  await first
  await tick()
  batches[1]?.done(new Error('a value refused'))
  t.same(
    await Promise.all(together),
    [{ value: 'b alone' }, { error: 'refused' }, { value: 'c alone' }],
    'the others succeed alone',
  )
  t.same(alone, ['b', 'bad', 'c'])
})

t.test('a batch of one that fails is not tried again: its error is its own', async (t) => {
  const { batcher, batches, alone } = controlled()
  const one = settled(batcher.submit('a'))
  batches[0]?.done(new Error('a value refused'))
  t.same(await one, { error: 'a value refused' })
  t.same(alone, [], 'not sent a second time')
})

t.test('an error every item would meet alone (the database away) fails them all, none tried again', async (t) => {
  const { batcher, batches, alone } = controlled()
  const first = batcher.submit('a')
  const together = ['b', 'c'].map((item) => settled(batcher.submit(item)))
  batches[0]?.done()
  await first
  await tick()
  batches[1]?.done(new Error('away'))
  t.same(await Promise.all(together), [{ error: 'away' }, { error: 'away' }])
  t.same(alone, [])
})

t.test('an item still queued at its deadline is never sent, and one past it in a failed batch is not tried alone', async (t) => {
  const { batcher, batches, alone, setNow } = controlled()
  const first = batcher.submit('a', 100)
  const late = settled(batcher.submit('late', 50))
  const onTime = batcher.submit('b', 500)
  setNow(60)
  batches[0]?.done()
  await first
  t.same(await late, { error: 'deadline' }, 'the late item fails with a DeadlineError')
  await tick()
  t.same(batches[1]?.items, ['b'], 'and is not in the next batch')
  const during = [settled(batcher.submit('c', 600)), settled(batcher.submit('d', 900))]
  batches[1]?.done()
  t.equal(await onTime, 'b!')
  await tick()
  setNow(700)
  batches[2]?.done(new Error('a value refused'))
  t.same(await Promise.all(during), [{ error: 'deadline' }, { value: 'd alone' }])
  t.same(alone, ['d'], 'only the item still awaited goes alone')
})

t.test('a batch whose results do not match its items fails each item, and the batcher goes on', async (t) => {
  const { batcher, batches } = controlled({ run: async () => [] })
  t.same(await settled(batcher.submit('a')), { error: 'a batch of 1 gave 0 results' })
  t.equal(batches.length, 0)
  const next = controlled()
  next.batcher.submit('x')
  t.equal(next.batches.length, 1)
})

t.test('a batch that throws at once fails its items, and the next batch still goes', async (t) => {
  let calls = 0
  const { batcher } = controlled({
    run: (items) => {
      calls++
      if (calls === 1) throw new Error('thrown')
      return Promise.resolve(items.map((item) => `${item}!`))
    },
  })
  t.same(await settled(batcher.submit('a')), { error: 'thrown' })
  t.equal(await batcher.submit('b'), 'b!')
})
