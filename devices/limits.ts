/**
 * The numbers that bound how devices may behave and how the controller treats them: one place,
 * read by the code that enforces them and by docs/protocol.md.
 */
export const DEVICE_LIMITS = {
  /** Messages per second per device (token bucket), and the burst allowed on top. */
  ratePerSecond: 10,
  rateBurst: 30,
  /** Wrong secrets in a row (within `failureMemoryMs`) before a device is locked out. */
  failuresBeforeLockout: 5,
  lockoutMs: 30_000,
  failureMemoryMs: 10 * 60_000,
  /** More connects than this within the window hold the device off for one window. */
  connectsPerWindow: 10,
  connectWindowMs: 10_000,
  keepaliveLimitSeconds: 600,
  clientIdMaxLength: 80,
  /** Exactly-once window of event sequence numbers, and how many answers are kept to repeat. */
  dedupeWindow: 256,
  rememberedAnswers: 64,
  commandTimeoutMs: 10_000,
  ratePromptTimeoutMs: 5_000,
  timeBroadcastMs: 60_000,
  hallCalls: 8,
  /** How long an ID card scanned at a kiosk waits for a button press. */
  kioskHoldMs: 60_000,
  offlineAlertMs: 30_000,
  /** Errors within a minute that raise the "misbehaving" alert (repeats of QoS 1 messages do not count). */
  misbehavingPerMinute: 30,
} as const;
