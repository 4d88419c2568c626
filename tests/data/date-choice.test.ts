import { describe, expect, it } from 'vitest';
import { chooseDates } from '../../src/data/date-choice.ts';

const DAY = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** Each of `customers` customers active every `gap` days from `start` for `days` days. */
function activity(start: string, days: number, customers: number, gap: number) {
  const times: number[] = [];
  const ids: string[] = [];
  for (let c = 0; c < customers; c++) {
    for (let d = c % gap; d < days; d += gap) {
      times.push(day(start) + d * DAY + 3_600_000);
      ids.push(`c${c}`);
    }
  }
  return { times, ids };
}

describe('chooseDates', () => {
  it('puts the label window on the last whole weeks holding about a quarter of the span, end day included', () => {
    const { times, ids } = activity('2024-01-01', 182, 20, 10);
    const d = chooseDates(times, ids);
    expect(d).toMatchObject({ first: '2024-01-01', last: '2024-06-30', cutoff: '2024-05-13', horizonEnd: '2024-06-30', dataEnd: '2024-07-01', horizonWeeks: 7, period: 'week', steps: 19 });
    expect(d?.horizonReason).toBe('The data runs 2024-01-01 to 2024-06-30 (182 days); the last 7 whole weeks (49 days, 27% of the span, aiming at a quarter) are the label window, the 133 days before it are observed.');
  });

  it('steps by day when customers come back within three days, capped at 90 steps', () => {
    const { times, ids } = activity('2024-01-01', 365, 10, 2);
    const d = chooseDates(times, ids);
    expect([d?.period, d?.steps, d?.horizonWeeks]).toEqual(['day', 90, 13]);
    expect(d?.periodReason).toMatch(/^customers who came back did so every 2 days .*one step is a day; 90 days \(capped at 90\)/);
  });

  it('steps by month when customers come back less often than every three weeks', () => {
    const { times, ids } = activity('2010-12-01', 374, 40, 40);
    const d = chooseDates(times, ids);
    expect([d?.period, d?.steps, d?.cutoff, d?.horizonEnd]).toEqual(['month', 10, '2011-09-10', '2011-12-09']);
  });

  it('uses a finer period when the coarse one would give fewer than four steps', () => {
    const { times, ids } = activity('2024-01-01', 60, 5, 30);
    expect(chooseDates(times, ids)?.period).toBe('week');
  });

  it('gives null for a single day of activity', () => {
    expect(chooseDates([day('2024-01-01'), day('2024-01-01') + 5], ['a', 'b'])).toBeNull();
  });
});
