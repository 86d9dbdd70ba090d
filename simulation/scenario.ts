/**
 * A simulated day at a centre, as data (config/scenarios/*.json): its services and how long their
 * visits really take, its staff pools and how many of each pool work each hour, the arrivals by hour,
 * and the citizens' ways (priority visitors, bookings, no-shows, transfers). One zod schema checks it;
 * a bad scenario gets one line per problem naming the field. The centre configuration the engine runs
 * on is made from it and checked by the centre's own schema.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError, formatPath, parseCentreConfig } from '../controller/centre/load.ts';
import { type CentreConfig, type CentreConfigInput, POLICY_NAMES } from '../controller/centre/schema.ts';

export const SCENARIO_DIR = fileURLToPath(new URL('../config/scenarios/', import.meta.url));

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and -');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');
const share = z.number().min(0).max(1);

const serviceSchema = z.strictObject({
  id,
  name: z.string().min(1),
  prefix: z.string().regex(/^[A-Z0-9]{1,2}$/, 'must be 1-2 characters of A-Z or 0-9'),
  /** The configured duration the controller starts from (its prior). */
  expectedServiceMinutes: z.number().positive().max(240),
  /** The real durations: log-normal with this mean and coefficient of variation. */
  meanMinutes: z.number().positive().max(240),
  cv: z.number().min(0).max(3),
  /** Share of the day's tickets (normalised over the services); 0 for a service only the hall has now. */
  share: z.number().min(0),
});

const poolSchema = z.strictObject({
  /** Staff ids are `<id>-1`, `<id>-2`, …; each has a counter of their own. */
  id,
  name: z.string().min(1),
  services: z.array(id).min(1),
  /** How many of this pool work in each hour from `opens` (one number per hour). */
  byHour: z.array(z.number().int().min(0).max(200)),
});

/**
 * The hall when the simulation starts, for simulations that begin from a real queue (the staffing
 * advisor's coming hours, controller/reports/staffing-scenario.ts) rather than an empty hall.
 */
const hallSchema = z.strictObject({
  /** Minutes after `opens` at which the simulation starts: arrivals come from then on, staff at `opens` + this. */
  startMinute: z.number().min(0).lt(60).default(0),
  /** Citizens waiting then, oldest first. A transferred one was called before: its wait is not judged again. */
  waiting: z
    .array(
      z.strictObject({
        serviceId: id,
        waitedMinutes: z.number().min(0).max(1440),
        priority: z.boolean().default(false),
        transferred: z.boolean().default(false),
      }),
    )
    .max(20_000)
    .default([]),
  /** Visits at a counter then, each with how long it has gone on: staff of a pool covering the service. */
  serving: z
    .array(z.strictObject({ serviceId: id, elapsedMinutes: z.number().min(0).max(1440) }))
    .max(2_000)
    .default([]),
});

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().min(1),
    level: z.enum(['commune', 'district', 'province']),
    /** The simulated day (local date in the centre's time zone, Asia/Ho_Chi_Minh). */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
    opens: clock,
    /** The last ticket is issued before this; counters work until everyone waiting is called. */
    lastTicket: clock,
    /** 0 only makes sense with a `hall` to clear. */
    ticketsPerDay: z.number().int().min(0).max(20_000),
    /** Weight of each hour from `opens` in the day's arrivals (the morning peak lives here). */
    arrivalsByHour: z.array(z.number().min(0)).min(1),
    services: z.array(serviceSchema).min(1),
    pools: z.array(poolSchema).min(1),
    priority: z.strictObject({ share, classId: id, creditMinutes: z.number().min(0).max(30) }).optional(),
    appointments: z
      .strictObject({
        share,
        slotMinutes: z.number().int().min(5).max(120),
        /** Citizens with a booking arrive this many minutes before their slot, on average. */
        earlyMinutes: z.number().min(0).max(60),
      })
      .optional(),
    /** Share of called citizens who are not there (the staff skips them after `noShowMinutes`). */
    noShowShare: share.default(0),
    noShowMinutes: z.number().min(0).max(10).default(1),
    /** Share of visits sent on to another service at the end (e.g. to return of results). */
    transfers: z.strictObject({ share, toServiceId: id }).optional(),
    /** Queue rules for the centre (policy, target, credits…), as in the centre file's `queue`. */
    queue: z.record(z.string(), z.unknown()).default({}),
    hall: hallSchema.optional(),
  })
  .superRefine((s, ctx) => {
    const hours = s.arrivalsByHour.length;
    const services = new Set(s.services.map((x) => x.id));
    s.pools.forEach((p, i) => {
      if (p.byHour.length !== hours)
        ctx.addIssue({
          code: 'custom',
          path: ['pools', i, 'byHour'],
          message: `must give one number per hour like arrivalsByHour (${hours}), got ${p.byHour.length}`,
        });
      p.services.forEach((sv, j) => {
        if (!services.has(sv))
          ctx.addIssue({
            code: 'custom',
            path: ['pools', i, 'services', j],
            message: `unknown service "${sv}"`,
          });
      });
    });
    if (s.transfers && !services.has(s.transfers.toServiceId))
      ctx.addIssue({
        code: 'custom',
        path: ['transfers', 'toServiceId'],
        message: `unknown service "${s.transfers.toServiceId}"`,
      });
    if (s.lastTicket <= s.opens)
      ctx.addIssue({ code: 'custom', path: ['lastTicket'], message: 'must be after opens' });
    if (s.ticketsPerDay > 0 && s.arrivalsByHour.every((w) => w === 0))
      ctx.addIssue({ code: 'custom', path: ['arrivalsByHour'], message: 'must have some arrivals' });
    if (s.ticketsPerDay > 0 && s.services.every((x) => x.share === 0))
      ctx.addIssue({ code: 'custom', path: ['services'], message: 'some service must have a share > 0' });
    if (s.ticketsPerDay === 0 && !s.hall)
      ctx.addIssue({
        code: 'custom',
        path: ['ticketsPerDay'],
        message: 'must be at least 1 (or give a hall)',
      });
    const hall = s.hall;
    hall?.waiting.forEach((w, i) => {
      if (!services.has(w.serviceId))
        ctx.addIssue({
          code: 'custom',
          path: ['hall', 'waiting', i, 'serviceId'],
          message: `unknown service "${w.serviceId}"`,
        });
    });
    hall?.serving.forEach((v, i) => {
      if (!s.pools.some((p) => p.services.includes(v.serviceId)))
        ctx.addIssue({
          code: 'custom',
          path: ['hall', 'serving', i, 'serviceId'],
          message: `no pool covers "${v.serviceId}"`,
        });
    });
  });

export type Scenario = z.output<typeof scenarioSchema>;

/** Checks a parsed scenario; a ConfigError lists every problem with the field it concerns. */
export function parseScenario(raw: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) =>
      i.code === 'unrecognized_keys'
        ? `${formatPath(i.path)}: unknown field(s) ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : `${formatPath(i.path)}: ${i.message}`,
    );
    throw new ConfigError(source, problems, `Scenario ${source} is invalid:`);
  }
  centreOf(result.data, source); // the centre it makes must be valid too
  return result.data;
}

/** A scenario by name (config/scenarios/<name>.json) or by path. */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const path = nameOrPath.endsWith('.json')
    ? resolve(nameOrPath)
    : resolve(SCENARIO_DIR, `${nameOrPath}.json`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConfigError(path, [`no scenario file ${path}`], 'Scenario not found:');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      path,
      [`not valid JSON: ${(err as Error).message}`],
      `Scenario ${basename(path)} is invalid:`,
    );
  }
  return parseScenario(raw, basename(path));
}

/** Staff ids of a pool: one per person it may ever need on duty. */
export function poolStaff(pool: Scenario['pools'][number], extra = 0): string[] {
  const n = Math.max(...pool.byHour) + extra;
  return Array.from({ length: n }, (_, i) => `${pool.id}-${i + 1}`);
}

/** The centre the engine runs on: the scenario's services, a counter per staff member, its rules. */
export function centreOf(s: Scenario, source = s.name, extraPerPool = 0): CentreConfig {
  const staff = s.pools.flatMap((p) =>
    poolStaff(p, extraPerPool).map((staffId) => ({
      id: staffId,
      name: `${p.name} ${staffId}`,
      services: p.services,
    })),
  );
  const input: CentreConfigInput = {
    schemaVersion: 1,
    centre: { id: `sim-${s.level}`, name: s.name, level: s.level, timezone: 'Asia/Ho_Chi_Minh' },
    services: s.services.map((x) => ({
      id: x.id,
      name: x.name,
      prefix: x.prefix,
      expectedServiceMinutes: x.expectedServiceMinutes,
    })),
    counters: staff.map((_p, i) => ({ id: `q${i + 1}`, number: i + 1, name: `Quầy ${i + 1}` })),
    staff,
    queue: {
      numberDigits: 4,
      ...(s.priority
        ? {
            priorityClasses: [
              { id: s.priority.classId, name: 'Ưu tiên', creditMinutes: s.priority.creditMinutes },
            ],
          }
        : {}),
      ...s.queue,
    } as CentreConfigInput['queue'],
  };
  try {
    return parseCentreConfig(input, source);
  } catch (err) {
    if (err instanceof ConfigError)
      throw new ConfigError(
        source,
        err.problems.map((p) => `(the centre it makes) ${p}`),
        `Scenario ${source} is invalid:`,
      );
    throw err;
  }
}

export { POLICY_NAMES };
