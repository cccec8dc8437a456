// Uncaught errors the process survives. Anything else still closes it gracefully: an uncaught
// error leaves a process in a state nobody reasoned about, and Fly restarts it.

/**
 * postgres.js 3.4.x (the latest) schedules a small socket write with setImmediate; when the
 * connection closes before it runs (the database restarting, a proxy dropping connections), the
 * write throws from the immediate callback, out of reach of any try/catch (porsager/postgres
 * #1066, #1154, #1208; fixes proposed in #1168, #1176, #1209, not released). The query concerned
 * has already been rejected with CONNECTION_CLOSED by then, which the webhook path handles
 * (journal, replay), so the stray write is moot and the process need not die for it.
 */
export function isStrayDriverWrite(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false
  const stack = error.stack ?? ''
  return /reading 'write'/.test(error.message) && /postgres[/\\]src[/\\]connection\.js/.test(stack) && /nextWrite/.test(stack)
}
