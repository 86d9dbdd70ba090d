/**
 * The versions of everything the controller keeps on disk, recorded in `DATA_DIR/data-format.json`.
 *
 * One file names the version of each part of the data folder (the journal's records, the snapshot,
 * the live configuration, accounts, sessions, the audit log, the upstream cursor, device secrets,
 * the citizen key), so that:
 *
 * - a controller that finds a part newer than it knows refuses to start, saying which part and what
 *   to do, before it reads or writes anything else (an older controller would misread it, or
 *   overwrite it with an older layout);
 * - a newer controller brings older parts forward with the migrations listed here, in order, and
 *   logs each one (never silently), then records the new versions;
 * - a data folder without the file was written before versions existed: every part is at version
 *   0, "unversioned", whose layouts are those of version 1 (the journal's: record formats 1 and 2,
 *   read as they are; the snapshot's: with or without its checksum).
 *
 * Backups (controller/backup) carry the same versions in their manifest, and a restore refuses a
 * backup newer than this controller. Pure checks here; `openDataFormat` does the I/O.
 */
import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StartupError } from '../listen.ts';
import type { Logger } from '../logger.ts';
import { fsyncDir } from '../store/fsync-dir.ts';
import { writeDurably } from '../store/write-durably.ts';

export const DATA_FORMAT_FILE = 'data-format.json';
/** Present while `npm run restore` puts files in place (controller/backup/restore.ts). */
export const RESTORE_MARKER = 'restore-in-progress';

/** The version of each on-disk part this controller writes (and the newest it reads). */
export const CURRENT_FORMATS = {
  /**
   * journal/*.jsonl: record format 2 (CRC-32C, a space, the event's JSON); format 1 is still read.
   * Past days' segments may be gzipped by retention (.jsonl.gz), with kept snapshots in history/.
   * Version 3: a `visitRated` event carries its `source` (keypad, ticket-link, paper). An older
   * controller would count a paper form as the citizen's own rating and report it upstream, so it
   * must not read this journal: the version says so.
   */
  journal: 3,
  /** journal/snapshot.json: {crc32c, snapshot: {seq, state, writtenAt}}. */
  snapshot: 2,
  /** centre.json: {config (schemaVersion 1), importedFrom, importedAt}. */
  centre: 1,
  /** accounts.json: {accounts: [{username, name, role, staffId?, passwordHash, …}]}. */
  accounts: 1,
  /** sessions.json: {sessions: {<sha-256 of token>: {…}}}. */
  sessions: 1,
  /** audit.jsonl and its rotated files: one JSON object per line. */
  audit: 1,
  /** upstream-cursor.json (version 1 inside). */
  upstreamCursor: 1,
  /** device-secrets.json: {<device id>: <secret>}. */
  deviceSecrets: 1,
  /** citizen-key: 64 hex digits. */
  citizenKey: 1,
} as const;

export type FormatPart = keyof typeof CURRENT_FORMATS;
export type FormatVersions = Record<FormatPart, number>;
export const FORMAT_PARTS = Object.keys(CURRENT_FORMATS) as FormatPart[];

/** What a data folder written before versions existed holds: every part at version 0. */
export const UNVERSIONED: FormatVersions = Object.fromEntries(
  FORMAT_PARTS.map((p) => [p, 0]),
) as FormatVersions;

export interface Migration {
  part: FormatPart;
  from: number;
  to: number;
  /** What changes on disk, for the log. */
  what: string;
  /** Rewrites the part in `dataDir` from `from` to `to`; must be safe to run again after a power cut. */
  run: (dataDir: string) => Promise<void>;
}

/**
 * Every migration, oldest first. Version 0 (unversioned) of each part has the layout of the first
 * version, so those steps only record the version; a later format change adds its step here (with a
 * test starting on a folder of the version before).
 */
const FIRST_VERSIONS: FormatVersions = { ...CURRENT_FORMATS, journal: 2, snapshot: 2 };
for (const part of FORMAT_PARTS) if (part !== 'journal' && part !== 'snapshot') FIRST_VERSIONS[part] = 1;

export const MIGRATIONS: readonly Migration[] = [
  ...FORMAT_PARTS.map((part) => firstVersion(part)),
  {
    part: 'journal',
    from: 2,
    to: 3,
    what: 'journal 2 → 3: rating events now name their source (keypad, ticket-link, paper); events already written are kept as they are and read as what they were (no source: the citizen’s own, keypad or ticket link)',
    run: async () => undefined,
  },
];

function firstVersion(part: FormatPart): Migration {
  return {
    part,
    from: 0,
    to: FIRST_VERSIONS[part],
    what:
      part === 'journal'
        ? 'unversioned journal: records of format 1 (no checksum) and 2 are read as they are; new records are format 2'
        : part === 'snapshot'
          ? 'unversioned snapshot: read with or without its checksum; the next one is written with it'
          : `unversioned ${part}: same layout as version 1, version recorded`,
    run: async () => undefined,
  };
}

const fileSchema = z.strictObject({
  /** The layout of data-format.json itself. */
  version: z.literal(1),
  /** Which controller last wrote it (for the message an older controller prints). */
  writtenBy: z.string(),
  formats: z.record(z.string(), z.number().int().min(0)),
});
export type DataFormatFile = z.output<typeof fileSchema>;

export class DataFormatError extends StartupError {
  override name = 'DataFormatError';
}

/** Parses data-format.json's text; a damaged file is an error that says so (never guessed). */
export function parseDataFormat(text: string, file: string): DataFormatFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(
      `${file} is damaged (${(error as Error).message}); restore the data folder from a backup`,
    );
  }
  if (typeof json === 'object' && json !== null && 'version' in json && json.version !== 1) {
    throw new DataFormatError(
      `${file} has layout version ${String(json.version)}, newer than this controller (${controllerVersion()}) knows: it was written by a newer controller. Install that version or a newer one; do not start an older controller on this data folder.`,
    );
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new DataFormatError(
      `${file} is damaged (${problems.join('; ')}); restore the data folder from a backup`,
    );
  }
  return parsed.data;
}

/**
 * The parts newer than this controller knows (or unknown to it), as one refusal; null when every
 * part can be read. `where` names the folder or backup in the message.
 */
export function newerFormats(
  formats: Record<string, number>,
  where: string,
  writtenBy: string,
): string | null {
  const newer = Object.entries(formats).filter(([part, version]) => {
    const known = (CURRENT_FORMATS as Record<string, number>)[part];
    return known === undefined || version > known;
  });
  if (newer.length === 0) return null;
  const list = newer
    .map(([part, version]) => {
      const known = (CURRENT_FORMATS as Record<string, number>)[part];
      return known === undefined
        ? `${part} (version ${version}, a part this controller does not know)`
        : `${part} version ${version} (this controller reads up to ${known})`;
    })
    .join(', ');
  return `${where} was written by a newer controller (${writtenBy}): ${list}. This controller is ${controllerVersion()}. Install ${writtenBy} or newer to use it; an older controller must not run on it (it would misread or overwrite the newer format).`;
}

/** The migrations that bring `from` up to the current versions, in order; throws if a step is missing. */
export function planMigrations(from: FormatVersions): Migration[] {
  const plan: Migration[] = [];
  for (const part of FORMAT_PARTS) {
    let version = from[part];
    while (version < CURRENT_FORMATS[part]) {
      const step = MIGRATIONS.find((m) => m.part === part && m.from === version);
      if (!step) throw new Error(`no migration for ${part} from version ${version}`);
      plan.push(step);
      version = step.to;
    }
  }
  return plan;
}

export function controllerVersion(): string {
  return `hall-controller ${CONTROLLER_VERSION}`;
}
/** package.json's version; kept in step by tests/formats/data-format.test.ts. */
export const CONTROLLER_VERSION = '0.1.0';

export interface OpenedFormat {
  /** The versions found (all 0 for an unversioned folder, CURRENT_FORMATS for a new one). */
  found: FormatVersions;
  migrated: Migration[];
  fresh: boolean;
}

/**
 * At start, before anything else reads the data folder: refuses newer formats, migrates older ones
 * (logging each step), and records the current versions. A folder with nothing in it yet is new.
 */
export async function openDataFormat(dataDir: string, logger: Logger): Promise<OpenedFormat> {
  const file = join(dataDir, DATA_FORMAT_FILE);
  const names = await readdir(dataDir);
  if (names.includes(RESTORE_MARKER))
    throw new DataFormatError(
      `a restore into ${dataDir} was interrupted (${RESTORE_MARKER} is there): run "npm run restore" again with the same backup and --replace before starting`,
    );
  const isEmpty = names.every((name) => name === 'controller.pid' || name.endsWith('.tmp'));
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new DataFormatError(`cannot read ${file}: ${error.message}`);
  });
  if (text === null && isEmpty) {
    await writeDataFormat(dataDir);
    return { found: { ...CURRENT_FORMATS }, migrated: [], fresh: true };
  }
  const stored = text === null ? null : parseDataFormat(text, file);
  const refusal = stored && newerFormats(stored.formats, dataDir, stored.writtenBy);
  if (refusal) throw new DataFormatError(refusal);
  const found = { ...UNVERSIONED, ...(stored?.formats ?? {}) } as FormatVersions;
  const plan = planMigrations(found);
  if (plan.length > 0) {
    logger.warn(
      {
        from: stored ? 'older versions' : 'unversioned (written before format versions)',
        steps: plan.length,
      },
      `data folder: bringing ${plan.length} on-disk formats forward to this controller's versions`,
    );
  }
  for (const step of plan) {
    await step.run(dataDir);
    logger.warn({ part: step.part, from: step.from, to: step.to }, `data folder migrated: ${step.what}`);
  }
  if (plan.length > 0 || !stored || stored.writtenBy !== controllerVersion()) await writeDataFormat(dataDir);
  return { found, migrated: plan, fresh: false };
}

/**
 * For the tools that change a data folder with the controller stopped (accounts, provisioning,
 * journal repair): refuses a folder of a newer format or an interrupted restore, reading only.
 * Older formats are left for the controller's next start to bring forward.
 */
export async function refuseNewerFormats(dataDir: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  if (names.includes(RESTORE_MARKER))
    throw new DataFormatError(
      `a restore into ${dataDir} was interrupted (${RESTORE_MARKER} is there): run "npm run restore" again with the same backup and --replace first`,
    );
  if (!names.includes(DATA_FORMAT_FILE)) return;
  const file = join(dataDir, DATA_FORMAT_FILE);
  const stored = parseDataFormat(await readFile(file, 'utf8'), file);
  const refusal = newerFormats(stored.formats, dataDir, stored.writtenBy);
  if (refusal) throw new DataFormatError(refusal);
}

/** Records the current versions: whole, fsynced, renamed into place, directory fsynced. */
export async function writeDataFormat(dataDir: string): Promise<void> {
  const file = join(dataDir, DATA_FORMAT_FILE);
  const body: DataFormatFile = {
    version: 1,
    writtenBy: controllerVersion(),
    formats: { ...CURRENT_FORMATS },
  };
  await writeDurably(`${file}.tmp`, Buffer.from(`${JSON.stringify(body, null, 2)}\n`));
  await rename(`${file}.tmp`, file);
  await fsyncDir(dataDir);
}
