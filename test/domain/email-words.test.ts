// The words of the e-mails about an e-mail request (issue #15): the acknowledgement with the latest
// time of the answer in the client's language, the refusal in the phone's words, its threading.
import t from 'tap'
import { acknowledgementText, answerBy, mailFamily, refusalHeaders, refusalText } from '../../src/domain/email-words.js'

// Wednesday 2 December 2026, 10:00 UTC: 11:00 in Algiers.
const DUE = new Date('2026-12-02T10:00:00Z')
const ZONE = 'Africa/Algiers'

t.test('the language family: French unless English or Arabic', async (t) => {
  t.equal(mailFamily('fr-FR'), 'fr')
  t.equal(mailFamily('en-GB'), 'en')
  t.equal(mailFamily('ar-DZ'), 'ar')
  t.equal(mailFamily('kab'), 'fr', 'a language without words of its own reads French')
})

t.test('the latest time of the answer, in the desk zone, as each reader writes it', async (t) => {
  t.equal(answerBy(DUE, ZONE, 'fr-FR'), 'le mercredi 2 décembre à 11 h 00')
  t.equal(answerBy(DUE, ZONE, 'en'), 'Wednesday 2 December at 11:00')
  t.match(answerBy(DUE, ZONE, 'ar'), /2 .+ على الساعة 11:00/, 'Arabic words, the digits as written in Algeria')
})

t.test('the acknowledgement says received, the reference, and the latest time', async (t) => {
  const facts = { requestId: 7, deskName: 'Assistance INTERcom', timezone: ZONE, due: DUE }
  const fr = acknowledgementText({ ...facts, language: 'fr-FR' })
  t.match(fr, /enregistrée sous la référence \[SL-7\]\. Nous vous répondrons au plus tard le mercredi 2 décembre à 11 h 00\./)
  t.match(fr, /Assistance INTERcom$/)
  t.match(
    acknowledgementText({ ...facts, language: 'en' }),
    /recorded as \[SL-7\]\. We will answer by Wednesday 2 December at 11:00/,
  )
  t.match(acknowledgementText({ ...facts, language: 'ar' }), /\[SL-7\]/)
  for (const language of ['fr', 'en', 'ar']) {
    const text = acknowledgementText({ ...facts, language, due: null })
    t.notMatch(text, /11/, `${language}: no time when the calendar has no working hours ahead`)
    t.ok(text.split('\n\n').length >= 3)
  }
})

t.test("the refusal speaks the phone's words, the desk's templates first", async (t) => {
  const facts = { clientName: 'Numidia Transport', deskName: 'Assistance INTERcom', language: 'fr-FR', templates: {} }
  t.match(refusalText('suspended', facts), /suspendu/)
  t.match(refusalText('no_contract', { ...facts, language: 'en' }), /contract in force for Numidia Transport/)
  t.match(
    refusalText('suspended', { ...facts, templates: { 'fr-FR': { suspended: 'Compte de {client} suspendu.' } } }),
    /^Compte de Numidia Transport suspendu\.\n\nAssistance INTERcom$/,
  )
})

t.test('a refusal answers the message: In-Reply-To, References, one Re:', async (t) => {
  t.same(refusalHeaders({ messageId: 'q1@numidia.dz', references: ['<a@numidia.dz>'], subject: 'Camions' }), {
    subject: 'Re: Camions',
    inReplyTo: '<q1@numidia.dz>',
    references: ['<a@numidia.dz>', '<q1@numidia.dz>'],
  })
  t.match(refusalHeaders({ messageId: '<q2@numidia.dz>', references: [], subject: 'RE: Camions ' }), {
    subject: 'RE: Camions',
    references: ['<q2@numidia.dz>'],
  })
})
