/**
 * The layering check (`npm run layers`, .dependency-cruiser.cjs) passes on the tree and fails on
 * each kind of wrong arrow: fixtures laid out like the project in a temporary folder, each with
 * one deliberately wrong import, cruised with the project's own rules.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
/** The folders `npm run layers` cruises, from its script. */
const SCRIPTS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const LAYERED = (SCRIPTS.layers ?? '').split(' ').slice(3);

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

async function check(
  baseDir: string,
  paths: string[],
): Promise<{ rule: string; from: string; to: string }[]> {
  const options = await extractDepcruiseOptions(CONFIG);
  const result = await cruise(paths, { ...options, baseDir, tsConfig: undefined }, {}, {});
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

/** A fixture tree: files by path (relative to the root) and their text; node_modules from the project. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  temps.push(dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const all: Record<string, string> = {
    'controller/core/engine.ts':
      "import { z } from 'zod';\nimport type { C } from '../centre/schema.ts';\nexport const e = (c: C) => z.string().parse(c);\n",
    'controller/centre/schema.ts':
      "import { DEVICE_TYPES } from '../../devices/vocabulary.ts';\nexport type C = string;\nexport const t = DEVICE_TYPES;\n",
    'devices/vocabulary.ts': "export const DEVICE_TYPES = ['dispenser'] as const;\n",
    'controller/device-service/device-service.ts':
      "import { e } from '../core/engine.ts';\nexport const s = e;\n",
    'controller/transports/mqtt/mqtt-devices.ts':
      "import { s } from '../../device-service/device-service.ts';\nexport const m = s;\n",
    'controller/transports/serial/serial-devices.ts':
      "import { s } from '../../device-service/device-service.ts';\nexport const load = () => import('serialport');\nexport const x = s;\n",
    'controller/controller.ts':
      "import { m } from './transports/mqtt/mqtt-devices.ts';\nimport { x } from './transports/serial/serial-devices.ts';\nexport const c = [m, x];\n",
    'display/src/kiosk/refusals.ts':
      "import { DEVICE_TYPES } from '../../../devices/vocabulary.ts';\nimport type { C } from '../../../controller/centre/schema.ts';\nexport const r: C[] = [...DEVICE_TYPES];\n",
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const FIXTURE_ROOTS = ['controller', 'devices', 'display'];

describe('the layering check', () => {
  it('passes on the tree', async () => {
    expect(LAYERED).toEqual(expect.arrayContaining(['controller', 'devices', 'display/src']));
    expect(await check(ROOT, LAYERED)).toEqual([]);
  }, 120_000);

  it('passes on a fixture laid out right (so each failure below is the one wrong import)', async () => {
    expect(await check(tree({}), FIXTURE_ROOTS)).toEqual([]);
  });

  const wrong: [string, Record<string, string>, string][] = [
    [
      'devices/ importing the controller',
      {
        'devices/protocol/messages.ts':
          "import { t } from '../../controller/centre/schema.ts';\nexport const m = t;\n",
      },
      'devices-is-the-bottom-layer',
    ],
    [
      'the core importing an adapter',
      {
        'controller/core/decide.ts':
          "import { m } from '../transports/mqtt/mqtt-devices.ts';\nexport const d = m;\n",
      },
      'core-imports-only-core-schema-zod',
    ],
    [
      'the core importing a package other than zod',
      { 'controller/core/decide.ts': "import pino from 'pino';\nexport const d = pino;\n" },
      'core-imports-only-core-schema-zod',
    ],
    [
      'one transport importing another',
      {
        'controller/transports/hid/hid-devices.ts':
          "import { x } from '../serial/serial-devices.ts';\nexport const h = x;\n",
      },
      'transports-do-not-import-each-other',
    ],
    [
      'the device service importing a transport',
      {
        'controller/device-service/handlers/dispenser.ts':
          "import { m } from '../../transports/mqtt/mqtt-devices.ts';\nexport const p = m;\n",
      },
      'device-service-is-transport-agnostic',
    ],
    [
      'an HTTP route importing a transport',
      {
        'controller/http/kiosk-routes.ts':
          "import { m } from '../transports/mqtt/mqtt-devices.ts';\nexport const k = m;\n",
      },
      'only-the-composition-root-imports-transports',
    ],
    [
      'serialport imported statically',
      {
        'controller/transports/serial/serial-line.ts':
          "import { SerialPort } from 'serialport';\nexport const l = SerialPort;\n",
      },
      'native-modules-only-lazily',
    ],
    [
      'a screen bundling a controller module',
      {
        'display/src/kiosk/kiosk-api.ts':
          "import { s } from '../../../controller/device-service/device-service.ts';\nexport const a = s;\n",
      },
      'browser-code-imports-only-shared-vocabulary',
    ],
    [
      'a cycle',
      {
        'controller/queue/queue-service.ts': "import { v } from './views.ts';\nexport const q = () => v;\n",
        'controller/queue/views.ts': "import { q } from './queue-service.ts';\nexport const v = () => q;\n",
      },
      'no-cycles',
    ],
  ];
  it.each(wrong)('fails on %s', async (_what, files, rule) => {
    const violations = await check(tree(files), FIXTURE_ROOTS);
    expect(violations.map((v) => v.rule)).toContain(rule);
  });
});
