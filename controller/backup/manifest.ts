/**
 * A backup folder: a copy of the data folder's files plus `manifest.json` (what was copied, the
 * size and SHA-256 of each file, the centre, the formats, and the journal's point) and
 * `SHA256SUMS` (the same checksums for `sha256sum -c`). The manifest is written last: a folder
 * without one is a backup that did not finish.
 */
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';
export const SUMS_FILE = 'SHA256SUMS';
/** A backup being written; renamed to its final name once complete. */
export const PARTIAL_SUFFIX = '.partial';

const fileEntry = z.strictObject({
  /** Relative to the data folder, with "/" separators. */
  path: z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must stay inside the data folder'),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ManifestFile = z.output<typeof fileEntry>;

export const manifestSchema = z.strictObject({
  kind: z.literal('hall-controller-backup'),
  /** The layout of this manifest. */
  version: z.number().int().min(1),
  createdAt: z.string(),
  createdBy: z.string(),
  /** The data folder that was copied (for the operator; a restore goes wherever DATA_DIR says). */
  source: z.string(),
  centre: z.strictObject({ id: z.string().min(1), name: z.string() }),
  /** data-format.json's versions; all 0 for a folder written before versions existed. */
  formats: z.record(z.string(), z.number().int().min(0)),
  /** The backup's point: the journal holds every event up to `lastSeq` and none after. */
  journal: z.strictObject({
    snapshotSeq: z.number().int().min(0),
    lastSeq: z.number().int().min(0),
    segments: z.number().int().min(0),
  }),
  files: z.array(fileEntry),
});
export type Manifest = z.output<typeof manifestSchema>;
export const MANIFEST_VERSION = 1;

export class BackupError extends Error {
  override name = 'BackupError';
}

/** `backup-<centre id>-20261123T101503Z`: sorts by time; the centre is in the name for shared disks. */
export function backupName(centreId: string, at: Date): string {
  return `backup-${centreId}-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
}

/** A message for a failed write into the backup folder, naming the usual causes. */
export function writeProblem(error: unknown, folder: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'the disk is full'
      : code === 'EROFS'
        ? 'the file system is read-only'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (error as Error).message;
  return `cannot write the backup into ${folder}: ${why} (${code ?? 'error'}). Nothing in the data folder was changed; the incomplete copy was removed.`;
}
