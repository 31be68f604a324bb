import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * A ticking clock for countdowns (SLA timers, offer expiry). It re-renders its host once per interval while
 * the host is connected and the page is visible, and not at all otherwise, so a hidden tab costs nothing.
 */
export class ClockController implements ReactiveController {
  /** The time of the last tick, in epoch milliseconds. */
  now: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly intervalMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {
    this.now = clock();
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    this.onVisibilityChange();
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    this.stop();
  }

  private readonly onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') {
      this.stop();
      return;
    }
    this.tick();
    this.timer ??= setInterval(this.tick, this.intervalMs);
  };

  private readonly tick = (): void => {
    this.now = this.clock();
    this.host.requestUpdate();
  };

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
