// Arabic (Modern Standard Arabic): what callers and agents hear, and the words of the generated sentences, written for text-to-speech. A translator works on this file alone.
import { countOf, dayOrdinal, HOUR_NOUN, hourName, MINUTE_NOUN, yearWords } from './ar-numbers.js'
import type { Catalogue, MonthDay, OpeningDay } from './catalogue.js'

const DAYS = ['الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت', 'الأحد']
/** The Gregorian months as Algeria names them in Arabic (جانفي, فيفري…: the desks are Algerian). */
const MONTHS = ['جانفي', 'فيفري', 'مارس', 'أفريل', 'ماي', 'جوان', 'جويلية', 'أوت', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر']
/** "خلال …": the Hijri months after شهر (hence ذي, genitive). */
const HIJRI_MONTHS = [
  'شهر محرم',
  'شهر صفر',
  'شهر ربيع الأول',
  'شهر ربيع الآخر',
  'شهر جمادى الأولى',
  'شهر جمادى الآخرة',
  'شهر رجب',
  'شهر شعبان',
  'شهر رمضان',
  'شهر شوال',
  'شهر ذي القعدة',
  'شهر ذي الحجة',
]

/** The part of the day said after a time: night until 5, morning until noon, noon until 3 pm, then evening. */
function periodOf(wrapped: number): string {
  if (wrapped === 0) return ''
  if (wrapped < 300) return 'ليلاً'
  if (wrapped < 720) return 'صباحاً'
  return wrapped < 900 ? 'ظهراً' : 'مساءً'
}

/** A time without its period: التاسعة والنصف, العاشرة إلا ربعاً, التاسعة وخمس دقائق, منتصف الليل (genitive: it follows من, إلى, في الساعة). */
function timeWords(wrapped: number): string {
  if (wrapped === 0) return 'منتصف الليل'
  const [hour, minute] = [Math.floor(wrapped / 60), wrapped % 60]
  const [this12, next12] = [hour % 12 || 12, (hour + 1) % 12 || 12]
  switch (minute) {
    case 0:
      return hourName(this12)
    case 15:
      return `${hourName(this12)} والربع`
    case 20:
      return `${hourName(this12)} والثلث`
    case 30:
      return `${hourName(this12)} والنصف`
    case 40:
      return `${hourName(next12)} إلا ثلثاً`
    case 45:
      return `${hourName(next12)} إلا ربعاً`
    default:
      return `${hourName(this12)} و${countOf(minute, MINUTE_NOUN, true)}`
  }
}

/** 570 → التاسعة والنصف صباحاً; ends past midnight wrap (1560 → الثانية ليلاً). */
function clock(minutes: number): string {
  const wrapped = minutes % 1440
  const period = periodOf(wrapped)
  return period === '' ? timeWords(wrapped) : `${timeWords(wrapped)} ${period}`
}

/** One interval; the period is said once when both ends share it: من الثامنة إلى العاشرة صباحاً. */
function span(start: number, end: number): string {
  const [from, to] = [start % 1440, end % 1440]
  const period = periodOf(to)
  if (period !== '' && period === periodOf(from)) return `من ${timeWords(from)} إلى ${timeWords(to)} ${period}`
  return `من ${clock(from)} إلى ${clock(to)}`
}

const dayOfMonth = ({ month, day }: MonthDay): string => `${dayOrdinal(day)} من ${MONTHS[month - 1] as string}`

function nextOpening(when: OpeningDay | null): string {
  if (when === null) return 'لا يوجد حالياً أي موعد مقرر لإعادة فتح الخدمة.'
  const at = when.minute % 1440 === 0 ? 'عند منتصف الليل' : `في الساعة ${clock(when.minute)}`
  let said: string
  if (when.kind === 'today') said = `اليوم ${at}`
  else if (when.kind === 'this_week') said = `يوم ${DAYS[when.weekday] as string} ${at}`
  else {
    const year = when.year === null ? '' : ` عام ${yearWords(when.year)}`
    said = `يوم ${DAYS[when.weekday] as string} ${dayOfMonth(when)}${year} ${at}`
  }
  return `سنكون في خدمتكم من جديد ${said}.`
}

export const ar: Catalogue = {
  messages: {
    unknown_caller:
      'مرحباً. أنتم على خط {desk}، المخصص للمسؤولين التقنيين لدى عملائنا المتعاقدين. رقمكم غير مسجل لدينا. يرجى الاتصال بمسؤولكم التجاري. مع السلامة.',
    suspended: 'مرحباً {client}. خدمة الدعم الفني الخاصة بكم معلقة حالياً. يرجى الاتصال بقسم المبيعات. مع السلامة.',
    no_contract: 'مرحباً {client}. لم نجد عقد دعم فني ساري المفعول باسمكم. يرجى الاتصال بقسم المبيعات. مع السلامة.',
    closed_hours: 'مرحباً {client}. {hours} {nextOpening}',
    closed_holiday: 'مرحباً {client}. خدمة الدعم الفني مغلقة اليوم بمناسبة {holiday}. {nextOpening}',
    closed_closure: 'مرحباً {client}. خدمة الدعم الفني مغلقة بصفة استثنائية: {closure}. {nextOpening}',
    voicemail_prompt: 'يمكنكم ترك رسالة بعد سماع الصافرة، ثم إنهاء المكالمة. سنعاود الاتصال بكم خلال {within} ساعة عمل.',
    voicemail_thanks: 'شكراً، تم تسجيل رسالتكم. مع السلامة.',
    on_call_offer: 'للاتصال بخدمة المناوبة، المفوترة خارج العقد، اضغطوا على الرقم 1. لترك رسالة، ابقوا على الخط.',
    on_call_connecting: 'نحن بصدد تحويلكم إلى خدمة المناوبة.',
    quota_bill:
      'مرحباً {client}. لقد استنفدتم رصيد الدعم الفني لهذا الشهر: ستتم فوترة هذه المكالمة خارج الرصيد. نحن بصدد تحويلكم.',
    quota_ask:
      'مرحباً {client}. لقد استنفدتم رصيد الدعم الفني لهذا الشهر. للتحويل إلى أحد التقنيين، مع فوترة المكالمة خارج الرصيد، اضغطوا على الرقم 1.',
    quota_refused: 'مرحباً {client}. لقد استنفدتم رصيد الدعم الفني لهذا الشهر. يرجى الاتصال بقسم المبيعات. مع السلامة.',
    declined: 'حسناً. شكراً على اتصالكم، مع السلامة.',
    quota_cut_refuse:
      'لقد استنفدتم وقت الدعم الفني المشمول في رصيد هذا الشهر. يمكنكم معاودة الاتصال بنا الشهر القادم، أو مراسلتنا عبر البريد الإلكتروني.',
    quota_cut_on_call: 'خارج أوقات العمل، يبقى خط المناوبة، المفوتر خارج العقد، في خدمتكم.',
    quota_cut_ask:
      'لقد استنفدتم وقت الدعم الفني المشمول في رصيد هذا الشهر. لمواصلة المحادثة، مع فوترتها خارج الرصيد، اضغطوا على الرقم 1.',
    overage_accepted: 'شكراً. نحن بصدد تحويلكم.',
    connecting: 'مرحباً {client}. نحن بصدد تحويلكم إلى أحد التقنيين.',
    no_agent: 'لا يوجد أي تقني متاح في الوقت الحالي.',
    no_answer: 'جميع تقنيينا مشغولون حالياً.',
    whisper: 'مكالمة من {client}. المتبقي من رصيد هذا الشهر: {quotaLeft}. اضغط على الرقم 1 لتلقي المكالمة.',
    whisper_short: 'مكالمة من {client}. اضغط على الرقم 1 لتلقي المكالمة.',
    whisper_on_call: 'مناوبة: مكالمة من {client}، مفوترة خارج العقد. اضغط على الرقم 1 لتلقي المكالمة.',
    whisper_unknown: 'مكالمة على خط الدعم الفني. اضغط على الرقم 1 لتلقي المكالمة.',
    whisper_declined: 'لم يتم تلقي المكالمة. مع السلامة.',
    whisper_billed:
      'مكالمة من {client}. لقد استُنفد رصيد هذا الشهر: هذه المكالمة مفوترة خارج الرصيد. اضغط على الرقم 1 لتلقي المكالمة.',
    whisper_limit_refuse:
      'مكالمة من {client}. المتبقي من رصيد هذا الشهر: {quotaLeft}. بعد ذلك ستُقطع المكالمة. اضغط على الرقم 1 لتلقي المكالمة.',
    whisper_limit_ask:
      'مكالمة من {client}. المتبقي من رصيد هذا الشهر: {quotaLeft}. بعد ذلك يجب أن يقبل العميل الفوترة. اضغط على الرقم 1 لتلقي المكالمة.',
    whisper_consented: 'قبل العميل الفوترة خارج الرصيد.',
    fallback_connecting: 'نواجه صعوبة تقنية. نحن بصدد تحويلكم إلى أحد التقنيين.',
    goodbye: 'شكراً على اتصالكم، مع السلامة.',
    technical_difficulty: 'نواجه صعوبة تقنية. يرجى معاودة الاتصال بعد بضع دقائق. مع السلامة.',
    language_choice: 'للعربية، اضغط {digit}.',
  },
  holidays: {
    'new-year': 'رأس السنة الميلادية',
    yennayer: 'يناير، رأس السنة الأمازيغية',
    'labour-day': 'عيد العمال',
    'independence-day': 'عيد الاستقلال',
    'revolution-day': 'ذكرى اندلاع الثورة التحريرية',
    'eid-al-fitr': 'عيد الفطر',
    'eid-al-adha': 'عيد الأضحى',
    'awal-muharram': 'رأس السنة الهجرية',
    ashura: 'عاشوراء',
    mawlid: 'المولد النبوي الشريف',
    'easter-monday': 'اثنين الفصح',
    'victory-day': 'عيد النصر',
    ascension: 'عيد الصعود',
    'whit-monday': 'اثنين العنصرة',
    'bastille-day': 'العيد الوطني الفرنسي',
    assumption: 'عيد انتقال العذراء',
    'all-saints': 'عيد جميع القديسين',
    armistice: 'ذكرى هدنة 1918',
    christmas: 'عيد الميلاد',
  },
  calendar: {
    clock,
    span,
    aroundTheClock: 'على مدار الساعة',
    everyDay: 'كل يوم',
    dayRun(run) {
      const [first, last] = [DAYS[run[0] as number] as string, DAYS[run[run.length - 1] as number] as string]
      if (run.length === 1) return `يوم ${first}`
      return run.length === 2 ? `يومي ${first} و${last}` : `من ${first} إلى ${last}`
    },
    // Arabic repeats "و" before every item after the first, attached to it
    list: (items) => items.join(' و'),
    group: (days, hours) => `${days}، ${hours}`,
    groups: (phrases) => phrases.join('، و'),
    open: (hours, during) => (during === null ? `تعمل خدمة الدعم الفني ${hours}.` : `${during}، تعمل خدمة الدعم الفني ${hours}.`),
    closed: (during) =>
      during === null ? 'لا توجد مواعيد عمل محددة لخدمة الدعم الفني.' : `${during}، تكون خدمة الدعم الفني مغلقة.`,
    duringHijriMonth: (month) => `خلال ${HIJRI_MONTHS[month - 1] as string}`,
    duringDates: (from, to) =>
      from.month === to.month && from.day === to.day
        ? `في ${dayOfMonth(from)}`
        : `في الفترة من ${dayOfMonth(from)} إلى ${dayOfMonth(to)}`,
    nextOpening,
    duration: (hours, minutes) =>
      hours === 0 && minutes === 0
        ? 'أقل من دقيقة'
        : [hours > 0 ? countOf(hours, HOUR_NOUN) : '', minutes > 0 ? countOf(minutes, MINUTE_NOUN) : '']
            .filter(Boolean)
            .join(' و'),
  },
}
