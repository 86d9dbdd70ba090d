/**
 * The screens, built by Vite into display/dist and served by the controller (controller/http/pages.ts).
 * One HTML entry per screen; Preact for the components; shared code under src/shared.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const SCREENS = ['index', 'hall', 'kiosk', 'staff', 'manager', 'reports', 'ticket'] as const;

export default defineConfig({
  root: here('.'),
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      input: Object.fromEntries(SCREENS.map((s) => [s, here(`./${s}.html`)])),
    },
  },
});
