/** UPSTREAM_URL and the centre configuration's `upstream` block: defaults, and clear messages naming the field. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseCentreConfig } from '../../controller/centre/load.ts';
import { silentLogger } from '../../controller/logger.ts';
import { readSettings, SettingsError } from '../../controller/settings.ts';
import { planUpstream } from '../../controller/upstream/upstream-setup.ts';
import { DEFAULT_TOPIC_PREFIX } from '../../upstream/protocol/topics.ts';
import { smallCentre } from '../helpers/centre.ts';

const base = {
  schemaVersion: 1,
  centre: { id: 'mot-cua-phu-ninh', name: 'Bộ phận Một cửa huyện Phú Ninh', level: 'district' },
  services: [{ id: 'dat-dai', name: 'Đất đai', prefix: '1' }],
  counters: [{ id: 'quay-1', number: 1, name: 'Quầy 1' }],
};

function problemsOf(upstream: unknown): string[] {
  try {
    parseCentreConfig({ ...base, upstream }, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('the upstream block of the centre configuration', () => {
  it('is optional, and fills in the defaults', () => {
    expect(parseCentreConfig(base, 't.json').upstream).toBeUndefined();
    expect(parseCentreConfig({ ...base, upstream: { provinceId: 'quang-nam' } }, 't.json').upstream).toEqual({
      provinceId: 'quang-nam',
      topicPrefix: DEFAULT_TOPIC_PREFIX,
      protocolVersion: 5,
      liveIntervalSeconds: 30,
      liveMinIntervalMs: 1000,
      backlogRatePerSecond: 200,
      maxInFlight: 50,
      backlogAlertMinutes: 60,
      backlogAlertMegabytes: 512,
    });
  });

  it('names the field of each problem', () => {
    expect(problemsOf({})).toEqual(['upstream.provinceId: is required']);
    expect(problemsOf({ provinceId: 'quang-nam', protocolVersion: 3 })).toEqual([
      'upstream.protocolVersion: must be 5 (MQTT 5) or 4 (MQTT 3.1.1)',
    ]);
    expect(problemsOf({ provinceId: 'quang-nam', liveIntervalSeconds: 60 })).toEqual([
      'upstream.liveIntervalSeconds: must be at most 30 (the province expects one every 30 s)',
    ]);
    expect(problemsOf({ provinceId: 'quang-nam', topicPrefix: 'a/b' })[0]).toMatch(
      /^upstream\.topicPrefix: must be 1-40 characters/,
    );
    expect(problemsOf({ provinceId: 'quang-nam', password: 'x' })[0]).toMatch(
      /^upstream\.password: unknown setting "password"/,
    );
    expect(problemsOf({ provinceId: 'quang-nam', maxInFlight: 0 })[0]).toMatch(/^upstream\.maxInFlight: /);
  });
});

describe('UPSTREAM_URL', () => {
  it('is not set by default, and comes from --upstream-url or the environment', () => {
    expect(readSettings([], {})).toMatchObject({ upstreamUrl: null });
    expect(readSettings(['--upstream-url', 'mqtts://broker.example.vn:8883'], {})).toMatchObject({
      upstreamUrl: 'mqtts://broker.example.vn:8883',
    });
    expect(readSettings([], { UPSTREAM_URL: 'mqtt://10.0.0.5:1883' })).toMatchObject({
      upstreamUrl: 'mqtt://10.0.0.5:1883',
    });
  });

  it('must be mqtt:// or mqtts://, without a password', () => {
    expect(() => readSettings(['--upstream-url', 'http://x'], {})).toThrow(SettingsError);
    expect(() => readSettings(['--upstream-url', 'http://x'], {})).toThrow(
      /UPSTREAM_URL .*mqtt:\/\/ or mqtts:\/\//,
    );
    expect(() => readSettings([], { UPSTREAM_URL: 'mqtt://u:secret@h' })).toThrow(/credentialsFile/);
  });
});

describe('whether the controller reports upstream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upstream-plan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const withBlock = (extra: Record<string, unknown> = {}) =>
    smallCentre({ upstream: { provinceId: 'quang-nam', ...extra } as never });

  it('says why not when something is missing or unreadable', async () => {
    expect(await planUpstream(null, withBlock(), dir, silentLogger)).toEqual({
      configured: false,
      reason: 'UPSTREAM_URL is not set',
    });
    expect(await planUpstream('mqtt://h', smallCentre(), dir, silentLogger)).toMatchObject({
      configured: false,
      reason: expect.stringContaining('no "upstream" block'),
    });
    const missing = await planUpstream(
      'mqtt://h',
      withBlock({ credentialsFile: 'nope.json' }),
      dir,
      silentLogger,
    );
    expect(missing).toMatchObject({ configured: false, reason: expect.stringContaining('nope.json') });
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ user: 'x' }));
    const bad = await planUpstream('mqtt://h', withBlock({ credentialsFile: 'bad.json' }), dir, silentLogger);
    expect(bad).toMatchObject({ configured: false, reason: expect.stringContaining('username') });
    const ca = await planUpstream('mqtt://h', withBlock({ ca: 'ca.pem' }), dir, silentLogger);
    expect(ca).toMatchObject({ configured: false, reason: expect.stringContaining('mqtts://') });
  });

  it('reads the credentials file from the data folder', async () => {
    writeFileSync(join(dir, 'upstream-credentials.json'), JSON.stringify({ username: 'c1', password: 'p' }));
    const plan = await planUpstream(
      'mqtt://127.0.0.1:1',
      withBlock({ credentialsFile: 'upstream-credentials.json' }),
      dir,
      silentLogger,
    );
    expect(plan.configured).toBe(true);
  });
});
