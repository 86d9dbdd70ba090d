/**
 * Figures of a set of visit records: counts by outcome, wait (mean, median, 90th percentile, share
 * within the target), service time, and satisfaction as decision 766/QĐ-TTg counts it. One
 * definition for the daily summary sent upstream and for the centre's reports, so both show the
 * same numbers.
 *
 * Wait is the citizen's wait for the visit: the first leg's, from arrival to its first call
 * (later legs after a transfer are counted in service time and outcomes, not again as waits).
 * Median of an even count is the mean of the two middle values; the 90th percentile is the
 * nearest rank (the ⌈0.9·n⌉-th smallest).
 */
import type { VisitFigures, VisitRecord } from '../../upstream/protocol/messages.ts';

export function visitFigures(
  records: readonly VisitRecord[],
  targetMinutes: number,
  scaleSize: number,
): VisitFigures {
  const target = targetMinutes * 60;
  const waits: number[] = [];
  let withinTarget = 0;
  let overTarget = 0;
  const serviceTimes: number[] = [];
  const byLevel = Array.from({ length: scaleSize }, () => 0);
  const tickets = new Set<string>();
  const outcomes = { served: 0, noShow: 0, transferred: 0, cancelled: 0, expired: 0 };
  let notSatisfied = 0;
  let satisfied = 0;
  for (const r of records) {
    tickets.add(r.ticketId);
    outcomes[r.outcome]++;
    if (r.leg === 0) {
      if (r.waitSeconds !== null) {
        waits.push(r.waitSeconds);
        if (r.waitSeconds <= target) withinTarget++;
        else overTarget++;
      } else if ((r.endedAt - r.queuedAt) / 1000 > target) overTarget++;
    }
    if (r.outcome === 'served' && r.serviceSeconds !== null) serviceTimes.push(r.serviceSeconds);
    if (r.outcome === 'served' && r.rating) {
      byLevel[r.rating.level - 1] = (byLevel[r.rating.level - 1] ?? 0) + 1;
      if (r.rating.notSatisfied) notSatisfied++;
      if (r.rating.level <= Math.floor(scaleSize / 2)) satisfied++;
    }
  }
  const rated = byLevel.reduce((a, b) => a + b, 0);
  const counted = withinTarget + overTarget;
  return {
    visits: records.length,
    tickets: tickets.size,
    ...outcomes,
    wait: {
      count: waits.length,
      meanSeconds: mean(waits),
      medianSeconds: median(waits),
      p90Seconds: nearestRank(waits, 0.9),
      withinTarget,
      overTarget,
      withinTargetShare: counted ? withinTarget / counted : null,
    },
    serviceTime: {
      count: serviceTimes.length,
      meanSeconds: mean(serviceTimes),
      medianSeconds: median(serviceTimes),
    },
    satisfaction: {
      visits: outcomes.served,
      rated,
      notSatisfied,
      rate766: outcomes.served ? (outcomes.served - notSatisfied) / outcomes.served : null,
      satisfiedShare: rated ? satisfied / rated : null,
      byLevel,
    },
  };
}

/** Distinct staff who served at least one visit, and served visits per staff member. */
export function staffFigures(records: readonly VisitRecord[]): {
  count: number;
  dossiersPerStaff: number | null;
} {
  const staff = new Set<string>();
  let served = 0;
  for (const r of records)
    if (r.outcome === 'served') {
      served++;
      if (r.staff) staff.add(r.staff);
    }
  return { count: staff.size, dossiersPerStaff: staff.size ? served / staff.size : null };
}

function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function nearestRank(xs: readonly number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)] as number;
}
