// E-mail requests with plain values: who wrote, thread joining, the no-loop rules, a reply's headers.
import t from 'tap'
import {
  MAX_REFERENCES,
  answerRecipients,
  formatRequestTag,
  identifySender,
  isOwnAddress,
  joinThread,
  mayAnswerAutomatically,
  normaliseMessageId,
  readRequestTag,
  replyHeaders,
  replySubject,
  shouldAcknowledge,
  threadLookupIds,
} from '../../src/domain/email-request.js'
import type { AutoAnswerFacts, Sender, ThreadDecision } from '../../src/domain/email-request.js'
import { CLIENTS, SENDER_CASES, SUBJECT_CASES, TAG_CASES, THREAD_CASES } from '../fixtures/email-request-cases.js'

t.test('who wrote, from the sender address', async (t) => {
  for (const [address, sender, why] of SENDER_CASES) {
    const found = identifySender(address, CLIENTS)
    t.same(found, sender, `${JSON.stringify(address)} is ${sender.kind === 'client' ? sender.clientId : sender.reason}: ${why}`)
  }
  t.same(
    identifySender('k.benali@acme.dz', []),
    { kind: 'unidentified', reason: 'unknown', address: 'k.benali@acme.dz', candidates: [] },
    'nobody is identified on a desk without clients',
  )
})

t.test('the request tag in a subject', async (t) => {
  t.equal(formatRequestTag(123), '[SL-123]')
  for (const [subject, id] of TAG_CASES) t.equal(readRequestTag(subject), id, `"${subject}" names ${id ?? 'no request'}`)
})

t.test('which request a message joins', async (t) => {
  for (const c of THREAD_CASES) {
    const decision = joinThread(c.email, { known: c.known ?? [], tagged: c.tagged ?? null }, c.sender)
    t.same(decision, c.decision, c.why)
  }
})

t.test('the Message-IDs to look up for a message', async (t) => {
  t.same(
    threadLookupIds({
      messageId: 'new@acme.dz',
      inReplyTo: '<ack-7@vendor.dz>',
      references: ['<first@acme.dz>', ' <ack-7@vendor.dz> ', ''],
      subject: '',
    }),
    ['<new@acme.dz>', '<ack-7@vendor.dz>', '<first@acme.dz>'],
    'its own, the answered one and the references, normalised, each once, blanks left out',
  )
  t.equal(normaliseMessageId('<<a@b>>'), '<a@b>', 'doubled brackets are one pair')
  t.equal(normaliseMessageId(null), null)
  t.equal(normaliseMessageId(' <> '), null, 'empty brackets are no id')
})

const human: AutoAnswerFacts = { from: 'K.Benali@acme.dz', automatic: false, suppressAutoReply: false }
const OURS = ['support@vendor.dz', 'noreply@vendor.dz']
const identified: Sender = { kind: 'client', clientId: 'acme', by: 'contact', address: 'k.benali@acme.dz' }
const unknown: Sender = { kind: 'unidentified', reason: 'unknown', address: 'x@y.dz', candidates: [] }
const opened: ThreadDecision = { kind: 'new', tagRefused: null }

t.test('no automatic answer to automatic mail, to a sender who refuses them, or to ourselves', async (t) => {
  const cases: [AutoAnswerFacts, string, string][] = [
    [human, 'k.benali@acme.dz', "a person's message is answered at its From address"],
    [{ ...human, automatic: true }, 'automatic', 'an auto-reply or a bounce'],
    [{ ...human, suppressAutoReply: true }, 'auto_reply_suppressed', 'X-Auto-Response-Suppress'],
    [{ ...human, from: null }, 'no_sender', 'no From'],
    [{ ...human, from: 'not an address' }, 'no_sender', 'an unreadable From'],
    [{ ...human, from: 'Support@Vendor.dz' }, 'own_address', 'our own mailbox'],
    [{ ...human, from: 'support+acme@vendor.dz' }, 'own_address', 'our own mailbox with a +detail'],
  ]
  for (const [email, expected, why] of cases) {
    const answer = mayAnswerAutomatically(email, OURS)
    t.equal(answer.send ? answer.to : answer.reason, expected, why)
  }
})

t.test('when a message is acknowledged', async (t) => {
  const base: Parameters<typeof shouldAcknowledge>[0] = {
    email: human,
    sender: identified,
    thread: opened,
    acknowledgements: true,
    ourAddresses: OURS,
  }
  const cases: [Partial<typeof base>, string, string][] = [
    [{}, 'k.benali@acme.dz', 'a new request from an identified client'],
    [{ acknowledgements: false }, 'disabled', 'the desk turned acknowledgements off'],
    [{ thread: { kind: 'join', requestId: 7, by: 'in_reply_to' } }, 'not_a_new_request', 'a reply joining its request'],
    [{ thread: { kind: 'duplicate', requestId: 7 } }, 'not_a_new_request', 'a message seen before'],
    [{ sender: unknown }, 'unidentified', 'an unknown sender (spam gets no answer)'],
    [{ email: { ...human, automatic: true }, acknowledgements: false }, 'automatic', 'the no-loop rule comes first'],
  ]
  for (const [more, expected, why] of cases) {
    const answer = shouldAcknowledge({ ...base, ...more })
    t.equal(answer.send ? answer.to : answer.reason, expected, why)
  }
})

t.test("where an agent's answer goes", async (t) => {
  t.same(answerRecipients({ from: 'K.Benali@acme.dz', replyTo: [] }, OURS), ['k.benali@acme.dz'], 'to From')
  t.same(
    answerRecipients({ from: 'robot@acme.dz', replyTo: ['Compta@acme.dz', 'compta@acme.dz', 'support@vendor.dz'] }, OURS),
    ['compta@acme.dz'],
    'to Reply-To, once, without ourselves',
  )
  t.same(answerRecipients({ from: 'support@vendor.dz', replyTo: [] }, OURS), [], 'never to ourselves')
  t.same(answerRecipients({ from: null, replyTo: [] }, OURS), [], 'nobody to answer')
  t.equal(isOwnAddress(null, OURS), false)
  t.equal(isOwnAddress('support@vendor.dz', ['not an address']), false, 'a wrong address of ours matches nothing')
})

t.test("a reply's subject: one Re:, the request tag once", async (t) => {
  for (const [subject, id, reply] of SUBJECT_CASES) t.equal(replySubject(subject, id), reply, `"${subject}"`)
})

t.test("a reply's threading headers", async (t) => {
  t.same(
    replyHeaders({ messageId: 'first@acme.dz', references: [], subject: 'Panne' }, 7),
    { subject: 'Re: [SL-7] Panne', inReplyTo: '<first@acme.dz>', references: ['<first@acme.dz>'] },
    'a reply to a first message',
  )
  t.same(
    replyHeaders(
      {
        messageId: '<third@acme.dz>',
        references: ['<first@acme.dz>', 'ack@vendor.dz', '<first@acme.dz>'],
        subject: 'RE: [SL-7] Panne',
      },
      7,
    ),
    {
      subject: 'Re: [SL-7] Panne',
      inReplyTo: '<third@acme.dz>',
      references: ['<first@acme.dz>', '<ack@vendor.dz>', '<third@acme.dz>'],
    },
    'the chain goes on, each id once',
  )
  const long = Array.from({ length: 30 }, (_, i) => `<m${i}@acme.dz>`)
  const trimmed = replyHeaders({ messageId: '<last@acme.dz>', references: long, subject: 'x' }, 7).references
  t.equal(trimmed.length, MAX_REFERENCES, 'a long chain is trimmed')
  t.equal(trimmed[0], '<m0@acme.dz>', "it keeps the thread's root")
  t.equal(trimmed.at(-1), '<last@acme.dz>', 'and ends with the message answered')
  t.equal(trimmed[1], '<m12@acme.dz>', 'the oldest ones after the root go (31 ids: the root, then the last 19)')
  t.same(replyHeaders({ messageId: '', references: [], subject: 'x' }, 7).inReplyTo, null, 'no id, no In-Reply-To')
})
