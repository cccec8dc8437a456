// Every word of the dashboard, in French (the desk's language) and English, and how a request
// chooses between them: ?lang= (remembered in a cookie), then the cookie, then Accept-Language.
import type { Outcome } from '../domain/call.js'
import { type Lang, formatDuration } from './format.js'

export type { Lang }
export const LANGS = ['fr', 'en'] as const satisfies readonly Lang[]

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many)

const fr = {
  htmlLang: 'fr',
  product: 'supportline',
  skipToContent: 'Aller au contenu',
  nav: { today: "Aujourd'hui", calls: 'Appels', usage: 'Consommation', calendar: 'Calendrier', contracts: 'Contrats' },
  otherLanguage: { lang: 'en' as Lang, label: 'English' },
  signedInAs: (name: string) => `Connecté : ${name}`,
  signOut: 'Se déconnecter',
  desk: 'Service',
  dash: '—',
  roles: { admin: 'administrateur', manager: 'responsable', client: 'client' },

  signIn: {
    title: 'Connexion',
    intro: "Tableau de bord du service d'assistance : appels, consommation des forfaits, calendrier et contrats.",
    tokenLabel: "Jeton d'accès",
    tokenHelp: "Le jeton qu'un administrateur vous a remis (il commence par sl_). Un jeton client ne montre que ce client.",
    submit: 'Se connecter',
    invalid: "Ce jeton n'est pas valide (inconnu ou révoqué).",
    blocked: "Trop d'essais manqués depuis cette adresse ; réessayez dans une minute.",
    signedOut: 'Vous êtes déconnecté.',
    expired: 'Votre session a pris fin ; reconnectez-vous.',
    devHint:
      "ADMIN_TOKEN n'est pas défini : le jeton de développement « supportline-development-admin » est accepté depuis cette machine.",
  },

  outcome: {
    answered: 'Répondu',
    no_answer: 'Sans réponse',
    voicemail: 'Message laissé',
    closed_hours: 'Hors horaires',
    closed_holiday: 'Férié ou fermeture',
    unknown_caller: 'Appelant inconnu',
    suspended: 'Client suspendu',
    no_contract: 'Sans contrat',
    quota_refused: 'Forfait épuisé, refusé',
    abandoned: 'Abandonné',
    failed: 'Échec',
  } satisfies Record<Outcome, string>,
  inProgress: 'En cours',
  onCall: 'astreinte',

  today: {
    title: "Aujourd'hui",
    open: 'Ouvert',
    closed: 'Fermé',
    why: {
      outside_hours: 'en dehors des horaires',
      holiday: (name: string) => `jour férié : ${name}`,
      closure: (name: string) => `fermeture : ${name}`,
    },
    closesAt: (time: string, within: string) => `Ferme à ${time} (dans ${within}).`,
    nextOpening: (when: string, within: string) => `Prochaine ouverture : ${when} (dans ${within}).`,
    noOpening: "Aucune ouverture n'est prévue : la fermeture d'urgence est active.",
    hours: 'Horaires :',
    closedNowBy: (by: string, since: string) => `Fermé en urgence par ${by} depuis ${since}.`,
    closeNow: 'Fermer maintenant',
    closeNowReason: 'Motif (entendu par les appelants)',
    closeNowConfirm: 'Fermer le service maintenant ? Les appelants entendront le motif.',
    reopen: 'Rouvrir le service',
    agents: 'Agents',
    onDuty: 'De permanence',
    offDuty: 'Absent',
    putOffDuty: 'Retirer',
    putOnDuty: 'Mettre de permanence',
    noAgentOnDuty: 'Aucun agent de permanence : les appels iront sur la messagerie.',
    noAgents: "Aucun agent n'est rattaché à ce service.",
    inProgressTitle: 'Appels en cours',
    noneInProgress: 'Aucun appel en cours.',
    callsTitle: 'Appels du jour',
    noCalls: "Aucun appel aujourd'hui.",
    summary: (calls: number, answered: number, talk: number) =>
      `${calls} ${plural(calls, 'appel', 'appels')}, ${answered} ${plural(answered, 'répondu', 'répondus')}, ${formatDuration(talk)} de conversation.`,
    allCalls: 'Tout le journal du jour',
    callbacksTitle: 'Rappels en retard',
    noLateCallbacks: 'Aucun rappel en retard.',
    openCallbacks: (count: number) =>
      `${count} ${plural(count, 'demande de rappel ouverte', 'demandes de rappel ouvertes')} au total.`,
    due: 'Échéance',
    reason: 'Motif',
    markDone: 'Marquer traité',
    note: 'Note (ce qui a été fait)',
    callbackReason: {
      no_answer: 'sans réponse',
      no_agent: 'aucun agent',
      closed_hours: 'hors horaires',
      closed_holiday: 'férié ou fermeture',
    },
    late: (by: string) => `en retard de ${by}`,
  },

  calls: {
    title: 'Journal des appels',
    client: 'Client',
    allClients: 'Tous les clients',
    outcome: 'Issue',
    allOutcomes: 'Toutes les issues',
    from: 'Du',
    to: 'Au',
    allDesks: 'Tous les services',
    filter: 'Filtrer',
    reset: 'Effacer les filtres',
    exportCsv: 'Exporter en CSV',
    older: 'Appels plus anciens',
    newest: 'Revenir aux plus récents',
    none: 'Aucun appel ne correspond.',
    when: 'Date',
    caller: 'Appelant',
    talk: 'Conversation',
    agent: 'Agent',
    unknownClient: 'inconnu',
    details: 'Détail',
  },

  call: {
    title: "Détail d'un appel",
    back: 'Retour au journal',
    startedAt: 'Début',
    endedAt: 'Fin',
    duration: "Durée de l'appel",
    decision: 'Décision',
    overage: 'Hors forfait',
    overageAccepted: 'Facturation acceptée par l’appelant',
    recording: 'Message enregistré',
    listen: 'Écouter',
    events: 'Webhooks reçus',
    event: 'Webhook',
    at: 'Reçu à',
    details: 'Paramètres',
    legs: 'Temps compté',
    month: 'Mois',
    counted: 'Compté',
    included: 'Inclus',
    noLegs: 'Aucun temps compté pour cet appel.',
    yes: 'oui',
  },

  usage: {
    title: 'Consommation des forfaits',
    previous: 'Mois précédent',
    next: 'Mois suivant',
    none: 'Aucun contrat en vigueur ni consommation ce mois-ci.',
    used: 'Utilisé',
    quota: 'Forfait',
    included: 'Inclus',
    overage: 'Hors forfait (facturable)',
    onCall: 'Astreinte (facturée à part)',
    calls: 'Appels',
    crossed: (marks: string) => `Seuils franchis : ${marks}`,
    details: 'Historique et relevé',
    history: 'Les 12 derniers mois',
    historyTable: 'Voir les chiffres',
    statement: (month: string) => `Relevé de ${month}`,
    noStatement: 'Aucun appel compté ce mois-ci.',
    statementCsv: 'Télécharger le relevé (CSV)',
    counted: 'Compté',
    onCallCalls: 'Appels d’astreinte (facturés à part)',
    total: 'Total',
    barLabel: (used: string, quota: string, percent: string) => `${used} utilisées sur un forfait de ${quota} (${percent})`,
    chartLabel: (client: string) => `Consommation mensuelle de ${client} sur 12 mois`,
    month: 'Mois',
  },

  calendar: {
    title: 'Calendrier',
    holidays: (year: number) => `Jours fériés ${year}`,
    previousYear: 'Année précédente',
    nextYear: 'Année suivante',
    dates: 'Dates',
    name: 'Fête',
    status: 'Statut',
    statuses: { estimated: 'Estimé', confirmed: 'Confirmé', manual: 'Ajouté' },
    estimatedHelp:
      "Les fêtes lunaires sont d'abord estimées (calendrier Umm al-Qura) ; confirmez-les ou déplacez-les une fois la date fixée par l'observation du croissant.",
    confirm: 'Confirmer',
    move: 'Déplacer',
    moveStart: 'Premier jour',
    moveDays: 'Jours',
    movedFrom: (date: string) => `déplacé du ${date}`,
    decidedBy: (by: string, at: string) => `par ${by}, ${at}`,
    none: 'Aucun jour férié cette année.',
    closures: 'Fermetures exceptionnelles',
    noClosures: 'Aucune fermeture exceptionnelle.',
    addClosure: 'Ajouter une fermeture',
    closureName: 'Motif',
    closureStart: 'Premier jour',
    closureEnd: 'Dernier jour (facultatif)',
    closureFrom: 'À partir de (facultatif)',
    closureTo: "Jusqu'à (facultatif)",
    closureWhen: 'Quand',
    closureSource: 'Source',
    fromFile: 'fichier de configuration',
    remove: 'Supprimer',
    yearly: 'chaque année',
    allDay: 'toute la journée',
    fromTo: (from: string, to: string) => `de ${from} à ${to}`,
  },

  contracts: {
    title: 'Contrats',
    upcoming: 'Préavis à venir (120 jours)',
    noneUpcoming: 'Aucune échéance de préavis dans les 120 prochains jours.',
    inDays: (days: number) => (days === 0 ? "aujourd'hui" : days === 1 ? 'demain' : `dans ${days} jours`),
    deadlineFor: (client: string, end: string) => `pour ne pas reconduire ${client} au ${end}`,
    client: 'Client',
    signed: 'Signé le',
    months: (count: number) => `${count} mois`,
    period: 'Période en cours',
    quota: 'Forfait mensuel',
    overage: 'Au-delà du forfait',
    overagePolicy: { bill: 'facturé', ask: "sur accord de l'appelant", refuse: 'refusé' },
    deadline: 'Préavis avant le',
    endsOn: 'Fin',
    renews: 'reconduit tacitement',
    notice: 'Préavis reçu',
    noticeBy: (date: string, by: string | null) => (by ? `le ${date} (${by})` : `le ${date}`),
    notInForce: 'hors période',
    recordNotice: 'Reçu le',
    record: 'Enregistrer un préavis',
  },

  flash: {
    'duty-on': 'Agent mis de permanence.',
    'duty-off': 'Agent retiré de la permanence : il ne sera plus appelé.',
    'holiday-confirmed': 'Jour férié confirmé.',
    'holiday-moved': 'Jour férié déplacé et confirmé.',
    'closure-added': 'Fermeture ajoutée.',
    'closure-removed': 'Fermeture supprimée.',
    'closed-now': 'Service fermé : les appelants entendent le motif.',
    reopened: 'Service rouvert.',
    'callback-done': 'Rappel marqué traité.',
    'notice-recorded': 'Préavis enregistré.',
  },

  errors: {
    400: 'Demande invalide',
    403: 'Accès refusé',
    404: 'Page introuvable',
    409: 'Action impossible',
    500: 'Erreur',
    forbidden: 'Votre jeton ne donne pas accès à cette page.',
    csrf: 'Ce formulaire a expiré ou ne vient pas du tableau de bord ; rechargez la page et recommencez.',
    notFound: "Cette page n'existe pas, ou vous n'y avez pas accès.",
    noDesk: "Aucun service n'est configuré : appliquez d'abord un fichier de configuration (npm run cli -- apply …).",
    server: 'Une erreur est survenue de notre côté ; elle a été consignée.',
    invalidFields: 'Ces champs sont à corriger :',
    back: 'Retour au tableau de bord',
  },
}

export type Messages = typeof fr

const en: Messages = {
  htmlLang: 'en',
  product: 'supportline',
  skipToContent: 'Skip to content',
  nav: { today: 'Today', calls: 'Calls', usage: 'Usage', calendar: 'Calendar', contracts: 'Contracts' },
  otherLanguage: { lang: 'fr', label: 'Français' },
  signedInAs: (name) => `Signed in: ${name}`,
  signOut: 'Sign out',
  desk: 'Desk',
  dash: '—',
  roles: { admin: 'admin', manager: 'manager', client: 'client' },

  signIn: {
    title: 'Sign in',
    intro: "The support desk's dashboard: calls, quota usage, calendar and contracts.",
    tokenLabel: 'Access token',
    tokenHelp: 'The token an administrator gave you (it starts with sl_). A client token shows that client only.',
    submit: 'Sign in',
    invalid: 'This token is not valid (unknown or revoked).',
    blocked: 'Too many failed attempts from this address; try again in a minute.',
    signedOut: 'You are signed out.',
    expired: 'Your session has ended; please sign in again.',
    devHint: 'ADMIN_TOKEN is not set: the development token "supportline-development-admin" is accepted from this machine.',
  },

  outcome: {
    answered: 'Answered',
    no_answer: 'No answer',
    voicemail: 'Voicemail',
    closed_hours: 'Outside hours',
    closed_holiday: 'Holiday or closure',
    unknown_caller: 'Unknown caller',
    suspended: 'Client suspended',
    no_contract: 'No contract',
    quota_refused: 'Quota used up, refused',
    abandoned: 'Abandoned',
    failed: 'Failed',
  },
  inProgress: 'In progress',
  onCall: 'on-call',

  today: {
    title: 'Today',
    open: 'Open',
    closed: 'Closed',
    why: {
      outside_hours: 'outside opening hours',
      holiday: (name) => `public holiday: ${name}`,
      closure: (name) => `closure: ${name}`,
    },
    closesAt: (time, within) => `Closes at ${time} (in ${within}).`,
    nextOpening: (when, within) => `Next opening: ${when} (in ${within}).`,
    noOpening: 'No opening is scheduled: the emergency closure is on.',
    hours: 'Hours:',
    closedNowBy: (by, since) => `Closed in an emergency by ${by} since ${since}.`,
    closeNow: 'Close now',
    closeNowReason: 'Reason (callers hear it)',
    closeNowConfirm: 'Close the desk now? Callers will hear the reason.',
    reopen: 'Reopen the desk',
    agents: 'Agents',
    onDuty: 'On duty',
    offDuty: 'Off duty',
    putOffDuty: 'Take off',
    putOnDuty: 'Put on duty',
    noAgentOnDuty: 'No agent on duty: calls will go to voicemail.',
    noAgents: 'No agent answers for this desk.',
    inProgressTitle: 'Calls in progress',
    noneInProgress: 'No call in progress.',
    callsTitle: "Today's calls",
    noCalls: 'No call today.',
    summary: (calls, answered, talk) =>
      `${calls} ${plural(calls, 'call', 'calls')}, ${answered} answered, ${formatDuration(talk)} of talk.`,
    allCalls: "Today's full log",
    callbacksTitle: 'Late callbacks',
    noLateCallbacks: 'No late callback.',
    openCallbacks: (count) => `${count} open callback ${plural(count, 'request', 'requests')} in all.`,
    due: 'Due',
    reason: 'Reason',
    markDone: 'Mark done',
    note: 'Note (what was done)',
    callbackReason: {
      no_answer: 'no answer',
      no_agent: 'no agent',
      closed_hours: 'outside hours',
      closed_holiday: 'holiday or closure',
    },
    late: (by) => `late by ${by}`,
  },

  calls: {
    title: 'Call log',
    client: 'Client',
    allClients: 'All clients',
    outcome: 'Outcome',
    allOutcomes: 'All outcomes',
    from: 'From',
    to: 'To',
    allDesks: 'All desks',
    filter: 'Filter',
    reset: 'Clear filters',
    exportCsv: 'Export as CSV',
    older: 'Older calls',
    newest: 'Back to the newest',
    none: 'No call matches.',
    when: 'Date',
    caller: 'Caller',
    talk: 'Talk',
    agent: 'Agent',
    unknownClient: 'unknown',
    details: 'Details',
  },

  call: {
    title: 'Call details',
    back: 'Back to the log',
    startedAt: 'Started',
    endedAt: 'Ended',
    duration: 'Call length',
    decision: 'Decision',
    overage: 'Beyond the quota',
    overageAccepted: 'Billing accepted by the caller',
    recording: 'Voicemail',
    listen: 'Listen',
    events: 'Webhooks received',
    event: 'Webhook',
    at: 'Received at',
    details: 'Parameters',
    legs: 'Counted talk',
    month: 'Month',
    counted: 'Counted',
    included: 'Included',
    noLegs: 'No talk time counted for this call.',
    yes: 'yes',
  },

  usage: {
    title: 'Quota usage',
    previous: 'Previous month',
    next: 'Next month',
    none: 'No contract in force and no usage this month.',
    used: 'Used',
    quota: 'Quota',
    included: 'Included',
    overage: 'Beyond the quota (billable)',
    onCall: 'On-call (billed apart)',
    calls: 'Calls',
    crossed: (marks) => `Thresholds crossed: ${marks}`,
    details: 'History and statement',
    history: 'The last 12 months',
    historyTable: 'Show the figures',
    statement: (month) => `Statement for ${month}`,
    noStatement: 'No call counted this month.',
    statementCsv: 'Download the statement (CSV)',
    counted: 'Counted',
    onCallCalls: 'On-call calls (billed apart)',
    total: 'Total',
    barLabel: (used, quota, percent) => `${used} used of a ${quota} quota (${percent})`,
    chartLabel: (client) => `Monthly usage of ${client} over 12 months`,
    month: 'Month',
  },

  calendar: {
    title: 'Calendar',
    holidays: (year) => `Public holidays ${year}`,
    previousYear: 'Previous year',
    nextYear: 'Next year',
    dates: 'Dates',
    name: 'Holiday',
    status: 'Status',
    statuses: { estimated: 'Estimated', confirmed: 'Confirmed', manual: 'Added' },
    estimatedHelp:
      'Lunar holidays start as estimates (Umm al-Qura calendar); confirm or move them once the date is fixed by the sighting of the moon.',
    confirm: 'Confirm',
    move: 'Move',
    moveStart: 'First day',
    moveDays: 'Days',
    movedFrom: (date) => `moved from ${date}`,
    decidedBy: (by, at) => `by ${by}, ${at}`,
    none: 'No public holiday this year.',
    closures: 'Closures',
    noClosures: 'No closure.',
    addClosure: 'Add a closure',
    closureName: 'Reason',
    closureStart: 'First day',
    closureEnd: 'Last day (optional)',
    closureFrom: 'From (optional)',
    closureTo: 'Until (optional)',
    closureWhen: 'When',
    closureSource: 'Source',
    fromFile: 'desk file',
    remove: 'Remove',
    yearly: 'every year',
    allDay: 'all day',
    fromTo: (from, to) => `from ${from} to ${to}`,
  },

  contracts: {
    title: 'Contracts',
    upcoming: 'Notice deadlines ahead (120 days)',
    noneUpcoming: 'No notice deadline in the next 120 days.',
    inDays: (days) => (days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`),
    deadlineFor: (client, end) => `for ${client} not to renew on ${end}`,
    client: 'Client',
    signed: 'Signed',
    months: (count) => `${count} ${plural(count, 'month', 'months')}`,
    period: 'Current period',
    quota: 'Monthly quota',
    overage: 'Beyond the quota',
    overagePolicy: { bill: 'billed', ask: "on the caller's consent", refuse: 'refused' },
    deadline: 'Notice by',
    endsOn: 'Ends',
    renews: 'renews',
    notice: 'Notice received',
    noticeBy: (date, by) => (by ? `on ${date} (${by})` : `on ${date}`),
    notInForce: 'not in force',
    recordNotice: 'Received on',
    record: 'Record a notice',
  },

  flash: {
    'duty-on': 'Agent put on duty.',
    'duty-off': 'Agent taken off duty: they will not be rung.',
    'holiday-confirmed': 'Holiday confirmed.',
    'holiday-moved': 'Holiday moved and confirmed.',
    'closure-added': 'Closure added.',
    'closure-removed': 'Closure removed.',
    'closed-now': 'Desk closed: callers hear the reason.',
    reopened: 'Desk reopened.',
    'callback-done': 'Callback marked done.',
    'notice-recorded': 'Notice recorded.',
  },

  errors: {
    400: 'Invalid request',
    403: 'Access denied',
    404: 'Page not found',
    409: 'Not possible',
    500: 'Error',
    forbidden: 'Your token does not give access to this page.',
    csrf: 'This form has expired or did not come from the dashboard; reload the page and try again.',
    notFound: 'This page does not exist, or you have no access to it.',
    noDesk: 'No desk is configured yet: apply a desk file first (npm run cli -- apply …).',
    server: 'Something went wrong on our side; it has been logged.',
    invalidFields: 'Please correct these fields:',
    back: 'Back to the dashboard',
  },
}

export type FlashKey = keyof Messages['flash']

const DICTIONARIES: Record<Lang, Messages> = { fr, en }

export function messagesFor(lang: Lang): Messages {
  return DICTIONARIES[lang]
}

export function isLang(value: unknown): value is Lang {
  return value === 'fr' || value === 'en'
}

export function isFlashKey(value: unknown): value is FlashKey {
  return typeof value === 'string' && Object.hasOwn(fr.flash, value)
}

/** The language of a request: ?lang= first (the switch), then the remembered cookie, then the browser's preference, else French. */
export function chooseLanguage(input: {
  query?: unknown
  cookie?: string | undefined
  acceptLanguage?: string | undefined
}): Lang {
  if (isLang(input.query)) return input.query
  if (isLang(input.cookie)) return input.cookie
  return fromAcceptLanguage(input.acceptLanguage) ?? 'fr'
}

/** The first of fr/en in Accept-Language by weight ("en-GB,en;q=0.9,fr;q=0.8" → en); null when neither is asked for. */
export function fromAcceptLanguage(header: string | undefined): Lang | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      )
      return { lang: tag.trim().toLowerCase().split('-')[0], q: Number.isFinite(q) ? q : 0, index }
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  return ranked.map((entry) => entry.lang).find(isLang) ?? null
}
