/**
 * How many generated inputs each fuzz test runs: sized so a CI run feeds well over 100,000 inputs
 * in under a minute; `FUZZ_RUNS=<n>` (e.g. `FUZZ_RUNS=1000000 npx vitest run tests/fuzz`) multiplies
 * the work for a long manual run. Each test reports how many inputs it checked.
 */
export function fuzzRuns(ciDefault: number): number {
  const factor = Number(process.env.FUZZ_RUNS ?? 0) / 100_000;
  return factor > 0 ? Math.max(1, Math.round(ciDefault * factor)) : ciDefault;
}

/** Totals across the fuzz files of one run (each file prints its own). */
export function report(what: string, inputs: number): void {
  console.log(`fuzz: ${inputs.toLocaleString('en')} inputs — ${what}`);
}
