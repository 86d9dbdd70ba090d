/** The daily summary a centre sends upstream: the day's visit records, as figures. Pure. */
import type { DailySummary, VisitRecord } from '../../upstream/protocol/messages.ts';
import type { CentreConfig } from '../centre/schema.ts';
import { staffFigures, visitFigures } from './visit-figures.ts';

export function dailySummary(
  config: CentreConfig,
  provinceId: string,
  day: string,
  records: readonly VisitRecord[],
  revision: number,
  at: number,
): DailySummary {
  const target = config.queue.waitTargetMinutes;
  const scale = config.ratings.scale.length;
  const mine = records.filter((r) => r.day === day);
  const serviceIds = [...new Set([...config.services.map((s) => s.id), ...mine.map((r) => r.serviceId)])];
  return {
    kind: 'daily',
    v: 1,
    centreId: config.centre.id,
    provinceId,
    day,
    revision,
    at,
    lastSeq: mine.reduce((m, r) => Math.max(m, r.seq), 0),
    targetMinutes: target,
    total: visitFigures(mine, target, scale),
    services: serviceIds.map((serviceId) => ({
      serviceId,
      figures: visitFigures(
        mine.filter((r) => r.serviceId === serviceId),
        target,
        scale,
      ),
    })),
    staff: staffFigures(mine),
  };
}
