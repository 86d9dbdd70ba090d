import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Low } from 'lowdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsyncJsonFile } from '../../controller/store/fsync-file-adapter.ts';

type Data = { counters: string[]; version: number };

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fsync-adapter-test-'));
  file = path.join(dir, 'db.json');
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('FsyncJsonFile', () => {
  it('reads null when the file does not exist', async () => {
    expect(await new FsyncJsonFile<Data>(file).read()).toBeNull();
    const db = new Low<Data>(new FsyncJsonFile(file), { counters: [], version: 0 });
    await db.read();
    expect(db.data).toEqual({ counters: [], version: 0 });
  });

  it('round-trips through Low and leaves no tmp file', async () => {
    const db = new Low<Data>(new FsyncJsonFile(file), { counters: [], version: 0 });
    await db.read();
    await db.update((data) => {
      data.counters.push('C1', 'C2');
      data.version = 1;
    });
    expect(fs.readdirSync(dir)).toEqual(['db.json']);

    const again = new Low<Data>(new FsyncJsonFile(file), { counters: [], version: 0 });
    await again.read();
    expect(again.data).toEqual({ counters: ['C1', 'C2'], version: 1 });
  });

  it('serializes concurrent writes: the last call wins and the file is never interleaved', async () => {
    const adapter = new FsyncJsonFile<Data>(file);
    const writes = Array.from({ length: 25 }, (_, i) =>
      adapter.write({ counters: Array.from({ length: 200 - i }, (_, c) => `C${c}`), version: i }),
    );
    await Promise.all(writes);
    const data = await adapter.read();
    expect(data?.version).toBe(24);
    expect(data?.counters).toHaveLength(176);
    expect(fs.readdirSync(dir)).toEqual(['db.json']);
  });

  it('writes the data as it was when write was called', async () => {
    const adapter = new FsyncJsonFile<Data>(file);
    const data: Data = { counters: ['C1'], version: 1 };
    const written = adapter.write(data);
    data.version = 2;
    await written;
    expect(await adapter.read()).toEqual({ counters: ['C1'], version: 1 });
  });

  it('throws an error naming the file when it holds invalid JSON', async () => {
    fs.writeFileSync(file, '{"counters": [');
    await expect(new FsyncJsonFile<Data>(file).read()).rejects.toThrow(file);
  });

  it('rejects a failed write without breaking later writes', async () => {
    const adapter = new FsyncJsonFile<Data>(file);
    fs.mkdirSync(`${file}.tmp`); // open(tmp, 'w') fails with EISDIR, even as root
    await expect(adapter.write({ counters: [], version: 1 })).rejects.toThrow(/EISDIR/);
    fs.rmdirSync(`${file}.tmp`);
    await adapter.write({ counters: [], version: 2 });
    expect(await adapter.read()).toEqual({ counters: [], version: 2 });
  });
});
