/**
 * The time the queue engine is given. Mini PCs without a good RTC battery boot with wrong clocks
 * and NTP corrects them later; an operator may also set the date by mistake. A jump of the wall
 * clock must not expire the hall's queue or skip days on its own. So the guard compares the wall
 * clock with a monotonic one (which no one can set): while they agree to within `boundMs`, the
 * engine gets the wall clock; when the wall clock jumps further (forward or back), the engine keeps
 * getting the time continued from before the jump, the jump is reported once (`onChange`), and it
 * stays so until the wall clock comes back or a manager confirms the new time (`accept()`).
 *
 * At start there is no monotonic reference from before, but time cannot be earlier than the
 * journal's last event (or snapshot): a wall clock behind it by more than the bound is held at that
 * moment, until the wall clock is set to it or later (NTP after a boot with a flat RTC battery).
 */
export interface ClockJump {
  /** Wall clock minus the time the engine gets, when the jump was seen (ms; negative: back). */
  byMs: number;
  /** Engine time when it was seen. */
  at: number;
  /** The wall clock then. */
  wallAt: number;
}

export interface ClockGuardOptions {
  wall?: () => number;
  mono?: () => number;
  boundMs: number;
  /** Time of the last recorded event (ms), if any. */
  lastRecordedAt?: number;
  /** Called when a jump is first seen (with it) and when it ends (with null). */
  onChange?: (jump: ClockJump | null) => void;
}

export class ClockGuard {
  readonly #wall: () => number;
  readonly #mono: () => number;
  readonly #bound: number;
  readonly #onChange: (jump: ClockJump | null) => void;
  /** Engine time = refTime + (mono - refMono). */
  #refTime: number;
  #refMono: number;
  #jump: ClockJump | null = null;
  /**
   * Held at start because the wall clock was behind the journal: across a stop time may well have
   * moved on, so the first wall time not earlier than the held one is taken (NTP has set it).
   */
  #heldAtStart = false;

  constructor(options: ClockGuardOptions) {
    this.#wall = options.wall ?? (() => Date.now());
    this.#mono = options.mono ?? (() => performance.now());
    this.#bound = options.boundMs;
    this.#onChange = options.onChange ?? (() => {});
    const wall = this.#wall();
    this.#refMono = this.#mono();
    const last = options.lastRecordedAt;
    if (last !== undefined && wall < last - this.#bound) {
      this.#refTime = last;
      this.#jump = { byMs: wall - last, at: last, wallAt: wall };
      this.#heldAtStart = true;
    } else this.#refTime = wall;
  }

  /** The unconfirmed jump in force, if any. */
  get jump(): ClockJump | null {
    return this.#jump;
  }

  now(): number {
    const wall = this.#wall();
    const mono = this.#mono();
    const expected = this.#refTime + (mono - this.#refMono);
    const off = wall - expected;
    const setRightAfterStart = this.#heldAtStart && off >= -this.#bound;
    if (Math.abs(off) <= this.#bound || setRightAfterStart) {
      this.#heldAtStart = false;
      // Small corrections (NTP slewing, a minute set right) are followed.
      this.#refTime = wall;
      this.#refMono = mono;
      if (this.#jump) {
        this.#jump = null;
        this.#onChange(null);
      }
      return wall;
    }
    if (!this.#jump) {
      this.#jump = { byMs: off, at: expected, wallAt: wall };
      this.#onChange(this.#jump);
    }
    return expected;
  }

  /** A manager confirms the wall clock is right: the engine follows it from now on. */
  accept(): void {
    this.#heldAtStart = false;
    this.#refTime = this.#wall();
    this.#refMono = this.#mono();
    if (this.#jump) {
      this.#jump = null;
      this.#onChange(null);
    }
  }
}
