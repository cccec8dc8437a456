import t from 'tap'
import { DateTime } from 'luxon'
t.equal(DateTime.fromISO('2026-01-01', { zone: 'Africa/Algiers' }).offset, 60, 'Algiers is UTC+1')
