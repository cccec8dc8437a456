// Arabic numbers in words: the hours of the clock, days of the month, years, and counts with their agreement.
import t from 'tap'
import { countOf, dayOrdinal, HOUR_NOUN, hourName, MINUTE_NOUN, yearWords } from '../../src/domain/messages/ar-numbers.js'

const hours = ['الواحدة', 'الثانية', 'الثالثة', 'الرابعة', 'الخامسة', 'السادسة', 'السابعة', 'الثامنة', 'التاسعة', 'العاشرة']
for (const [index, name] of hours.entries()) t.equal(hourName(index + 1), name, `hour ${index + 1} is ${name}`)
t.equal(hourName(11), 'الحادية عشرة')
t.equal(hourName(12), 'الثانية عشرة')

for (const [day, said] of [
  [1, 'الأول'],
  [2, 'الثاني'],
  [10, 'العاشر'],
  [11, 'الحادي عشر'],
  [12, 'الثاني عشر'],
  [19, 'التاسع عشر'],
  [20, 'العشرين'],
  [21, 'الحادي والعشرين'],
  [24, 'الرابع والعشرين'],
  [29, 'التاسع والعشرين'],
  [30, 'الثلاثين'],
  [31, 'الحادي والثلاثين'],
] as const) {
  t.equal(dayOrdinal(day), said, `day ${day} of a month is ${said} (genitive)`)
}

for (const [year, said] of [
  [1999, '1999'],
  [2000, 'ألفين'],
  [2001, 'ألفين وواحد'],
  [2002, 'ألفين واثنين'],
  [2010, 'ألفين وعشرة'],
  [2011, 'ألفين وأحد عشر'],
  [2012, 'ألفين واثني عشر'],
  [2015, 'ألفين وخمسة عشر'],
  [2020, 'ألفين وعشرين'],
  [2026, 'ألفين وستة وعشرين'],
  [2099, 'ألفين وتسعة وتسعين'],
  [2100, '2100'],
] as const) {
  t.equal(yearWords(year), said, `the year ${year} is ${said}`)
}

t.equal(countOf(2, MINUTE_NOUN, true), 'دقيقتين', 'two minutes, genitive')
t.equal(countOf(22, MINUTE_NOUN, true), 'اثنتين وعشرين دقيقة', 'twenty-two minutes, genitive')
t.equal(countOf(12, HOUR_NOUN, true), 'اثنتي عشرة ساعة', 'twelve hours, genitive')
t.equal(countOf(200, HOUR_NOUN, true), 'مئتي ساعة', 'two hundred hours, genitive')
t.equal(countOf(2000, HOUR_NOUN, true), 'ألفي ساعة', 'two thousand hours, genitive')
t.equal(countOf(40, MINUTE_NOUN), 'أربعون دقيقة', 'forty minutes, nominative')
