/**
 * The "ding-dong" before each call, made with oscillators (no sound file to ship): two bell-like
 * notes, each a sine with a quieter octave partial and a quick decay.
 */

const NOTES = [
  { hz: 659.25, at: 0 }, // E5
  { hz: 523.25, at: 0.55 }, // C5
];
const DECAY_S = 1.1;
/** When the speech may start, counted from the chime's start (it overlaps the last decay a little). */
export const CHIME_SPEECH_OFFSET_S = 1.45;

export function scheduleChime(ctx: BaseAudioContext, out: AudioNode, start: number): void {
  for (const note of NOTES) {
    const t = start + note.at;
    for (const [multiple, level] of [
      [1, 0.32],
      [2, 0.08],
    ] as const) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = note.hz * multiple;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(level, t + 0.012);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + DECAY_S);
      osc.connect(gain).connect(out);
      osc.start(t);
      osc.stop(t + DECAY_S + 0.05);
    }
  }
}
