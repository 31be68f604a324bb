/** `blocked`: the browser refused to play sound before the agent interacted with the page (autoplay policy). */
export type RingerState = 'silent' | 'ringing' | 'blocked';

/** The parts of an audio element the ringer uses; tests pass one whose `play()` rejects. */
export interface RingerAudio {
  srcObject: MediaProvider | null;
  play(): Promise<void>;
  pause(): void;
  setSinkId?: (sinkId: string) => Promise<void>;
}

export interface RingerOptions {
  /** Default: a new `AudioContext`. */
  readonly createContext?: () => AudioContext;
  /** Default: a new `Audio` element (not attached to the page). */
  readonly createAudio?: () => RingerAudio;
  /** How long a suspended context may take to resume before the ringer counts as blocked; default 400 ms. */
  readonly resumeTimeoutMs?: number;
}

/** The ring cadence: 2 s of tone, 4 s of silence (the North American ring), a 440 + 480 Hz pair. */
const TONE_MS = 2000;
const CYCLE_MS = 6000;
const FREQUENCIES = [440, 480] as const;
const VOLUME = 0.15;

/**
 * The ringtone, generated with Web Audio (no asset to download) and played through an audio element so it can go
 * to a device of its own (`setSinkId`): a headset user hears the phone ring on the loudspeaker. When the browser
 * blocks it (`play()` rejects with `NotAllowedError`, or the audio context stays suspended) the state is
 * `blocked`, and the softphone shows the call some other way; `unlock()`, called from a click, tries again.
 */
export class Ringer {
  private readonly options: RingerOptions;
  private context: AudioContext | null = null;
  private audio: RingerAudio | null = null;
  private gain: GainNode | null = null;
  private cadence: ReturnType<typeof setInterval> | undefined;
  private current: RingerState = 'silent';
  private sinkId: string | null = null;
  private readonly listeners = new Set<(state: RingerState) => void>();

  constructor(options: RingerOptions = {}) {
    this.options = options;
  }

  get state(): RingerState {
    return this.current;
  }

  /** Calls `listener` on every change of state; returns the function that stops it. */
  onChange(listener: (state: RingerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rings on `sinkId` (null: the default output) until `stop()`. Resolves with the state it reached. */
  async start(sinkId: string | null): Promise<RingerState> {
    this.sinkId = sinkId;
    if (this.current === 'ringing') {
      await this.routeTo(sinkId);
      return this.current;
    }
    try {
      const context = this.ensureContext();
      if (context.state === 'suspended' && !(await this.resume(context))) return this.setState('blocked');
      const audio = this.ensureAudio(context);
      if (audio) {
        await this.routeTo(sinkId);
        await audio.play();
      }
      this.startCadence();
      return this.setState('ringing');
    } catch (error) {
      // NotAllowedError is the autoplay policy; anything else (no audio device, say) also means nobody hears it.
      this.stopCadence();
      return this.setState(error instanceof DOMException && error.name === 'AbortError' ? 'silent' : 'blocked');
    }
  }

  /** Tries again after the agent interacted with the page (call it from a click or key handler). */
  unlock(): Promise<RingerState> {
    if (this.current !== 'blocked') return Promise.resolve(this.current);
    this.current = 'silent';
    return this.start(this.sinkId);
  }

  stop(): void {
    this.stopCadence();
    this.audio?.pause();
    this.setState('silent');
  }

  /** Releases the audio context; the ringer can start again later. */
  close(): void {
    this.stop();
    void this.context?.close().catch(() => undefined);
    this.context = null;
    this.audio = null;
    this.gain = null;
  }

  protected setState(state: RingerState): RingerState {
    if (state !== this.current) {
      this.current = state;
      for (const listener of this.listeners) listener(state);
    }
    return state;
  }

  private ensureContext(): AudioContext {
    if (this.context) return this.context;
    const context = this.options.createContext?.() ?? new AudioContext();
    const gain = context.createGain();
    gain.gain.value = 0;
    for (const frequency of FREQUENCIES) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start();
    }
    this.context = context;
    this.gain = gain;
    return context;
  }

  /** The element that carries the tone to a chosen device; without `setSinkId` the context's own output is used. */
  private ensureAudio(context: AudioContext): RingerAudio | null {
    if (this.audio) return this.audio;
    const gain = this.gain;
    if (!gain) return null;
    const audio = this.options.createAudio?.() ?? (typeof Audio === 'function' ? new Audio() : null);
    if (!audio || typeof context.createMediaStreamDestination !== 'function') {
      gain.connect(context.destination);
      return null;
    }
    const destination = context.createMediaStreamDestination();
    gain.connect(destination);
    audio.srcObject = destination.stream;
    this.audio = audio;
    return audio;
  }

  private async routeTo(sinkId: string | null): Promise<void> {
    const audio = this.audio;
    if (!audio?.setSinkId) return;
    try {
      await audio.setSinkId(sinkId ?? '');
    } catch {
      // A ringer device that went away: the default output rings instead (the softphone shows the fallback).
      await audio.setSinkId('').catch(() => undefined);
    }
  }

  private resume(context: AudioContext): Promise<boolean> {
    // Without a user gesture, Chromium keeps the promise pending rather than rejecting it: a timeout decides.
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.options.resumeTimeoutMs ?? 400);
      context.resume().then(
        () => {
          clearTimeout(timer);
          resolve(context.state === 'running');
        },
        () => {
          clearTimeout(timer);
          resolve(false);
        },
      );
    });
  }

  private startCadence(): void {
    const ring = (): void => {
      const { context, gain } = this;
      if (!context || !gain) return;
      const at = context.currentTime;
      gain.gain.setTargetAtTime(VOLUME, at, 0.01);
      gain.gain.setTargetAtTime(0, at + TONE_MS / 1000, 0.01);
    };
    this.stopCadence();
    ring();
    this.cadence = setInterval(ring, CYCLE_MS);
  }

  private stopCadence(): void {
    if (this.cadence !== undefined) clearInterval(this.cadence);
    this.cadence = undefined;
    const { context, gain } = this;
    if (context && gain) {
      gain.gain.cancelScheduledValues(context.currentTime);
      gain.gain.setValueAtTime(0, context.currentTime);
    }
  }
}
