import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Screens follow live state over socket.io: give expect.poll() room on a busy 2-core machine.
    expect: { poll: { timeout: 8_000, interval: 50 } },
  },
});
