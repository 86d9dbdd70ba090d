/**
 * The live centre configuration, kept in lowdb in the data folder. The configuration file seeds it
 * on first start; afterwards the data folder's copy is the one in force (managers' changes land
 * there), until `--import-config` replaces it with the file again. Both are validated on load.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Logger } from '../logger.ts';
import { FsyncJsonFile } from '../store/fsync-file-adapter.ts';
import { ConfigError, loadCentreConfigFile, parseCentreConfig } from './load.ts';
import type { CentreConfig } from './schema.ts';

interface StoredCentre {
  config: CentreConfig;
  importedFrom: string;
  importedAt: string;
}

export class CentreStore {
  readonly file: string;
  readonly #db: Low<StoredCentre | null>;

  private constructor(file: string) {
    this.file = file;
    // lowdb's JSONFilePreset would switch to memory under NODE_ENV=test and does not fsync; ours does.
    this.#db = new Low<StoredCentre | null>(new FsyncJsonFile<StoredCentre | null>(file), null);
  }

  static async open(options: {
    dataDir: string;
    seedFile: string;
    importConfig: boolean;
    logger: Logger;
  }): Promise<CentreStore> {
    await mkdir(options.dataDir, { recursive: true });
    const store = new CentreStore(join(options.dataDir, 'centre.json'));
    try {
      // Importing replaces the stored copy, so an unreadable one must not stop the import.
      if (!options.importConfig) await store.#db.read();
    } catch (error) {
      throw new ConfigError(store.file, [
        `cannot be read: ${(error as Error).message}`,
        'fix the file, or start with --import-config to replace it with the configuration file',
      ]);
    }
    if (!store.#db.data || options.importConfig) {
      const config = keepSecrets(
        await loadCentreConfigFile(options.seedFile),
        await store.#previous(options.importConfig),
      );
      await store.save(config, options.seedFile);
      options.logger.info({ from: options.seedFile, to: store.file }, 'centre configuration imported');
    } else {
      // The stored copy was valid when written; check it again in case it was edited by hand.
      store.#db.data.config = parseCentreConfig(store.#db.data.config, store.file);
    }
    return store;
  }

  /** The stored configuration before an import, if it can still be read. */
  async #previous(importing: boolean): Promise<CentreConfig | null> {
    if (!importing) return this.#db.data?.config ?? null;
    try {
      await this.#db.read();
      return this.#db.data?.config ?? null;
    } catch {
      return null;
    }
  }

  get config(): CentreConfig {
    if (!this.#db.data) throw new Error('centre store not loaded');
    return this.#db.data.config;
  }

  async save(config: CentreConfig, importedFrom = 'api'): Promise<void> {
    this.#db.data = { config, importedFrom, importedAt: new Date().toISOString() };
    await this.#db.write();
  }
}

/** A re-imported file keeps the secrets already given to devices that are still there. */
function keepSecrets(config: CentreConfig, previous: CentreConfig | null): CentreConfig {
  if (!previous) return config;
  const hashes = new Map(previous.devices.map((d) => [d.id, d.secretHash]));
  return {
    ...config,
    devices: config.devices.map((d) =>
      d.secretHash || !hashes.get(d.id) ? d : { ...d, secretHash: hashes.get(d.id) },
    ),
  };
}
