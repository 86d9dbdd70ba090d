/**
 * Satisfaction as decision 766/QĐ-TTg scores it: (visits − visits rated "not satisfied") ÷ visits,
 * where visits are the visits served. Also the share of satisfied ratings among those rated
 * (the top half of the scale), which managers watch against the 95 % target.
 */
import type { Ticket } from './types.ts';

export interface Satisfaction {
  visits: number;
  rated: number;
  notSatisfied: number;
  /** 766 rate, 0..1, or null before the first visit. */
  rate766: number | null;
  /** Satisfied ratings ÷ ratings, or null before the first rating. */
  satisfiedShare: number | null;
  byLevel: number[];
}

export function satisfaction(tickets: Iterable<Ticket>, scaleSize: number): Satisfaction {
  let visits = 0;
  let notSatisfied = 0;
  let satisfied = 0;
  const byLevel = Array.from({ length: scaleSize }, () => 0);
  for (const t of tickets) {
    if (t.status !== 'done') continue;
    visits++;
    if (!t.rating) continue;
    byLevel[t.rating.level - 1] = (byLevel[t.rating.level - 1] ?? 0) + 1;
    if (t.rating.notSatisfied) notSatisfied++;
    if (t.rating.level <= Math.floor(scaleSize / 2)) satisfied++;
  }
  const rated = byLevel.reduce((a, b) => a + b, 0);
  return {
    visits,
    rated,
    notSatisfied,
    rate766: visits ? (visits - notSatisfied) / visits : null,
    satisfiedShare: rated ? satisfied / rated : null,
    byLevel,
  };
}
