/**
 * Worker thread of the staffing advisor (staffing-advisor.ts): checks the scenario of the coming
 * hours (staffing-scenario.ts) and runs the simulator's correction of Erlang C on it
 * (simulation/staffing.ts, seconds of simulation), off the controller's event loop.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { parseScenario } from '../../simulation/scenario.ts';
import { adviseStaffing } from '../../simulation/staffing.ts';

export interface CorrectionJob {
  id: number;
  scenario: Record<string, unknown>;
  seed: number;
}

export type CorrectionReply =
  | {
      id: number;
      byHour: Record<string, number[]>;
      erlang: Record<string, number[]>;
      met: boolean;
      corrections: number;
      hourlyWithin: (number | null)[];
      threadId: number;
    }
  | { id: number; error: string; threadId: number };

export function correct(job: CorrectionJob): CorrectionReply {
  try {
    const scenario = parseScenario(job.scenario, 'coming hours');
    const advice = adviseStaffing(scenario, { seed: job.seed });
    return {
      id: job.id,
      byHour: advice.byHour,
      erlang: advice.erlang,
      met: advice.met,
      corrections: advice.corrections,
      hourlyWithin: advice.hourlyWithin,
      threadId,
    };
  } catch (err) {
    return { id: job.id, error: (err as Error).message, threadId };
  }
}

parentPort?.on('message', (job: CorrectionJob) => {
  parentPort?.postMessage(correct(job));
});
