// Runs staffing-worker.ts from the TypeScript sources (tests, `npm start` without a build): a worker
// thread does not inherit the main thread's tsx loader, so it registers its own.
import { tsImport } from 'tsx/esm/api';

await tsImport('./staffing-worker.ts', import.meta.url);
