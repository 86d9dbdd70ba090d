/**
 * The called alert on a phone: a chime made with WebAudio (no sound file to fetch) and a vibration.
 * Phones only play sound after a touch, so the page offers a "turn the sound on" button, which
 * creates the audio context inside that touch.
 */
let audio: AudioContext | null = null;

/** Call from a touch or click: unlocks audio on this page and plays a short confirmation. */
export async function enableSound(): Promise<boolean> {
  try {
    audio ??= new AudioContext();
    await audio.resume();
    tones([[880, 0, 0.15]]);
    return true;
  } catch {
    return false;
  }
}

export function soundEnabled(): boolean {
  return audio !== null && audio.state === 'running';
}

/** Three rising chimes, twice: clear in a noisy hall, short enough not to annoy. */
export function chime(): void {
  if (!soundEnabled()) return;
  const notes: [number, number, number][] = [];
  for (const start of [0, 1.4])
    notes.push([660, start, 0.3], [880, start + 0.35, 0.3], [1100, start + 0.7, 0.5]);
  tones(notes);
}

export function vibrate(): void {
  // Not on every phone (iOS Safari has no vibration); where it exists it may still be refused.
  try {
    navigator.vibrate?.([400, 150, 400, 150, 800]);
  } catch {
    /* refused without a touch first: the notice and the sound are still there */
  }
}

function tones(notes: [frequency: number, startS: number, lengthS: number][]): void {
  const ctx = audio;
  if (!ctx) return;
  const t0 = ctx.currentTime + 0.02;
  for (const [frequency, start, length] of notes) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    // A soft attack and decay: a chime, not a click.
    gain.gain.setValueAtTime(0.0001, t0 + start);
    gain.gain.exponentialRampToValueAtTime(0.5, t0 + start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + start + length);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0 + start);
    osc.stop(t0 + start + length + 0.05);
  }
}
