/**
 * Whether and how the controller reports upstream: `UPSTREAM_URL` (the broker) and the centre
 * configuration's `upstream` block (province, topics, rates), the credentials file and the CA file.
 * Anything missing or unreadable leaves reporting off with the reason (shown on the dashboard and in
 * /healthz), and the hall runs as without it.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { CentreConfig, UpstreamConfig } from '../centre/schema.ts';
import type { Logger } from '../logger.ts';
import type { MqttTransport } from './mqtt-transport.ts';

const credentialsSchema = z.strictObject({
  username: z.string().min(1, 'username must not be empty'),
  password: z.string(),
});

export type UpstreamPlan =
  | { configured: false; reason: string }
  | { configured: true; url: string; upstream: UpstreamConfig; transport: MqttTransport };

export async function planUpstream(
  url: string | null,
  config: CentreConfig,
  dataDir: string,
  logger: Logger,
): Promise<UpstreamPlan> {
  if (!url) return { configured: false, reason: 'UPSTREAM_URL is not set' };
  const upstream = config.upstream;
  if (!upstream)
    return {
      configured: false,
      reason: 'UPSTREAM_URL is set but the centre configuration has no "upstream" block (provinceId)',
    };
  const inData = (file: string) => (isAbsolute(file) ? file : join(dataDir, file));
  let credentials: z.infer<typeof credentialsSchema> | undefined;
  if (upstream.credentialsFile) {
    const file = inData(upstream.credentialsFile);
    try {
      const parsed = credentialsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (!parsed.success)
        return {
          configured: false,
          reason: `upstream.credentialsFile ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ')} (expected {"username": "…", "password": "…"})`,
        };
      credentials = parsed.data;
    } catch (error) {
      return { configured: false, reason: `upstream.credentialsFile ${file}: ${(error as Error).message}` };
    }
  }
  let ca: Buffer | undefined;
  if (upstream.ca) {
    if (!url.startsWith('mqtts:'))
      return { configured: false, reason: 'upstream.ca is set but UPSTREAM_URL is not mqtts://' };
    try {
      ca = await readFile(inData(upstream.ca));
    } catch (error) {
      return { configured: false, reason: `upstream.ca: ${(error as Error).message}` };
    }
  }
  // mqtt.js is loaded only by a centre that reports (about 20 MB of a controller's memory otherwise).
  const { MqttTransport } = await import('./mqtt-transport.ts');
  const transport = new MqttTransport({
    url,
    clientId: `qms-${upstream.provinceId}-${config.centre.id}`.slice(0, 64),
    protocolVersion: upstream.protocolVersion,
    ...(credentials ? { username: credentials.username, password: credentials.password } : {}),
    ...(ca ? { ca } : {}),
    logger,
  });
  return { configured: true, url, upstream, transport };
}
