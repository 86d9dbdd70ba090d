/**
 * Satisfaction as decision 766/QĐ-TTg scores it: (visits − visits rated "not satisfied") ÷ visits,
 * where visits are the visits served. Also the share of satisfied ratings among those rated
 * (the top half of the scale), which managers watch against the 95 % target.
 *
 * The figures count the citizen's own ratings (keypad, ticket page) unless asked to include the
 * paper forms staff recorded: paper ratings are counted apart (`bySource`, `withPaper`), never mixed
 * in silently, and never reported upstream.
 */
import type { RatingSource, Ticket } from './types.ts';

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

/** Ratings of the served visits per source (ratings from before sources count as the citizen's). */
export type RatingsBySource = Record<RatingSource, number>;

export function satisfaction(
  tickets: Iterable<Ticket>,
  scaleSize: number,
  include: 'citizen' | 'withPaper' = 'citizen',
): Satisfaction {
  let visits = 0;
  let notSatisfied = 0;
  let satisfied = 0;
  const byLevel = Array.from({ length: scaleSize }, () => 0);
  for (const t of tickets) {
    if (t.status !== 'done') continue;
    visits++;
    if (!t.rating) continue;
    if (t.rating.source === 'paper' && include === 'citizen') continue;
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

export function ratingsBySource(tickets: Iterable<Ticket>): RatingsBySource {
  const counts: RatingsBySource = { keypad: 0, 'ticket-link': 0, paper: 0 };
  for (const t of tickets) {
    if (t.status !== 'done' || !t.rating) continue;
    // A rating stored before sources carries none: it was the citizen's, at the keypad or on the page.
    counts[t.rating.source ?? 'keypad']++;
  }
  return counts;
}
