// Arabic numbers in words for text-to-speech: hours of the clock, days of the month, counts of hours and minutes, years.

/** The hours of a 12-hour clock as feminine ordinals (الساعة التاسعة): 1 … 12. */
const HOURS = [
  '',
  'الواحدة',
  'الثانية',
  'الثالثة',
  'الرابعة',
  'الخامسة',
  'السادسة',
  'السابعة',
  'الثامنة',
  'التاسعة',
  'العاشرة',
  'الحادية عشرة',
  'الثانية عشرة',
]

export function hourName(hour12: number): string {
  return HOURS[hour12] as string
}

/** Masculine ordinals, for the day of a month (اليوم الثاني): 1 … 10. */
const ORDINALS = ['', 'الأول', 'الثاني', 'الثالث', 'الرابع', 'الخامس', 'السادس', 'السابع', 'الثامن', 'التاسع', 'العاشر']

/**
 * The day of a month as said before "من <month>", in the genitive its every use needs (يوم الخميس
 * الثاني من أفريل, إلى الحادي والثلاثين من أوت): 1 الأول, 11 الحادي عشر, 21 الحادي والعشرين.
 */
export function dayOrdinal(day: number): string {
  if (day <= 10) return ORDINALS[day] as string
  const [tens, unit] = [Math.floor(day / 10), day % 10]
  const unitWord = unit === 1 ? 'الحادي' : (ORDINALS[unit] as string)
  if (tens === 1) return `${unitWord} عشر`
  const tensWord = tens === 2 ? 'العشرين' : 'الثلاثين'
  return unit === 0 ? tensWord : `${unitWord} و${tensWord}`
}

/** Cardinals in the form that counts a feminine noun (ساعة, دقيقة), nominative: 3 ثلاث, 11 إحدى عشرة. */
const FEMININE = ['', 'واحدة', 'اثنتان', 'ثلاث', 'أربع', 'خمس', 'ست', 'سبع', 'ثماني', 'تسع', 'عشر']
const TENS = ['', '', 'عشرون', 'ثلاثون', 'أربعون', 'خمسون', 'ستون', 'سبعون', 'ثمانون', 'تسعون']
const HUNDREDS = ['', 'مئة', 'مئتان', 'ثلاثمئة', 'أربعمئة', 'خمسمئة', 'ستمئة', 'سبعمئة', 'ثمانمئة', 'تسعمئة']
/** 3 … 9 thousand: ألف is masculine, so the number takes the feminine form. */
const THOUSANDS = [
  '',
  'ألف',
  'ألفان',
  'ثلاثة آلاف',
  'أربعة آلاف',
  'خمسة آلاف',
  'ستة آلاف',
  'سبعة آلاف',
  'ثمانية آلاف',
  'تسعة آلاف',
]

/** 1 … 9 999 in words, counting a feminine noun. */
function feminineNumber(n: number): string {
  if (n <= 10) return FEMININE[n] as string
  if (n === 11) return 'إحدى عشرة'
  if (n === 12) return 'اثنتا عشرة'
  if (n < 20) return `${FEMININE[n - 10] as string} عشرة`
  if (n < 100) {
    const [tens, unit] = [Math.floor(n / 10), n % 10]
    if (unit === 0) return TENS[tens] as string
    return `${unit === 1 ? 'إحدى' : (FEMININE[unit] as string)} و${TENS[tens] as string}`
  }
  const [big, rest, word] = n < 1000 ? [Math.floor(n / 100), n % 100, HUNDREDS] : [Math.floor(n / 1000), n % 1000, THOUSANDS]
  return rest === 0 ? (word[big] as string) : `${word[big] as string} و${feminineNumber(rest)}`
}

/** A feminine noun's forms after a number: one (ساعة), two (ساعتان), three to ten (ساعات). */
export interface CountedNoun {
  one: string
  two: string
  few: string
}
export const HOUR_NOUN: CountedNoun = { one: 'ساعة', two: 'ساعتان', few: 'ساعات' }
export const MINUTE_NOUN: CountedNoun = { one: 'دقيقة', two: 'دقيقتان', few: 'دقائق' }

/**
 * A count of a feminine noun with Arabic agreement: 1 ساعة واحدة, 2 ساعتان, 3–10 ثلاث ساعات,
 * 11–99 إحدى عشرة ساعة, 100 مئة ساعة, 200 مئتا ساعة, 103 مئة وثلاث ساعات. From 10 000 on, digits
 * (text-to-speech reads them).
 */
export function countOf(n: number, noun: CountedNoun, genitive = false): string {
  return genitive ? toGenitive(nominativeCount(n, noun)) : nominativeCount(n, noun)
}

/** The genitive of a spoken count (after من, إلى, في الساعة): عشرون → عشرين, اثنتان → اثنتين, دقيقتان → دقيقتين. */
function toGenitive(count: string): string {
  return count
    .replace(/ون(?=\s|$)/g, 'ين')
    .replace(/ان(?=\s|$)/g, 'ين')
    .replace(/(اثنت|مئت|ألف)ا(?=\s|$)/g, '$1ي')
}

function nominativeCount(n: number, noun: CountedNoun): string {
  if (n >= 10_000) return `${n} ${noun.one}`
  if (n === 1) return `${noun.one} واحدة`
  if (n === 2) return noun.two
  if (n <= 10) return `${feminineNumber(n)} ${noun.few}`
  if (n < 100) return `${feminineNumber(n)} ${noun.one}`
  const rest = n % 100
  if (rest === 0) return `${feminineNumber(n).replace(/(مئتا|ألفا)ن$/, '$1')} ${noun.one}`
  if (rest <= 10) return `${feminineNumber(n - rest)} و${nominativeCount(rest, noun)}`
  return `${feminineNumber(n)} ${noun.one}`
}

/** Cardinals in the masculine form, genitive (after عام): 6 ستة, 12 اثني عشر, 26 ستة وعشرين. */
const MASCULINE = ['', 'واحد', 'اثنين', 'ثلاثة', 'أربعة', 'خمسة', 'ستة', 'سبعة', 'ثمانية', 'تسعة', 'عشرة']
const TENS_GENITIVE = ['', '', 'عشرين', 'ثلاثين', 'أربعين', 'خمسين', 'ستين', 'سبعين', 'ثمانين', 'تسعين']

function masculineGenitive(n: number): string {
  if (n <= 10) return MASCULINE[n] as string
  if (n === 11) return 'أحد عشر'
  if (n === 12) return 'اثني عشر'
  if (n < 20) return `${MASCULINE[n - 10] as string} عشر`
  const [tens, unit] = [Math.floor(n / 10), n % 10]
  return unit === 0 ? (TENS_GENITIVE[tens] as string) : `${MASCULINE[unit] as string} و${TENS_GENITIVE[tens] as string}`
}

/** A year after "عام": 2026 → ألفين وستة وعشرين; years outside 2000–2099 in digits. */
export function yearWords(year: number): string {
  if (year < 2000 || year > 2099) return String(year)
  return year === 2000 ? 'ألفين' : `ألفين و${masculineGenitive(year - 2000)}`
}
