import type { AudioDevice, AudioDeviceSelection } from '../telephony.js';

export const defaultSelection: AudioDeviceSelection = { microphoneId: null, speakerId: null, ringerId: null };

/** The audio inputs and outputs the browser reports now (labels are empty until the microphone is allowed). */
export async function listAudioDevices(mediaDevices: MediaDevices): Promise<readonly AudioDevice[]> {
  const devices = await mediaDevices.enumerateDevices();
  return devices
    .filter((device): device is MediaDeviceInfo & { kind: AudioDevice['kind'] } => device.kind === 'audioinput' || device.kind === 'audiooutput')
    .map((device) => ({ id: device.deviceId, kind: device.kind, label: device.label }));
}

/** The selection with every device that is no longer present replaced by `null` (the system default). */
export function withoutMissingDevices(selection: AudioDeviceSelection, devices: readonly AudioDevice[]): AudioDeviceSelection {
  const present = (id: string | null, kind: AudioDevice['kind']) =>
    id === null || devices.some((device) => device.kind === kind && device.id === id) ? id : null;
  return {
    microphoneId: present(selection.microphoneId, 'audioinput'),
    speakerId: present(selection.speakerId, 'audiooutput'),
    ringerId: present(selection.ringerId, 'audiooutput'),
  };
}

/** getUserMedia constraints for the chosen microphone (`null`: the system default). */
export function microphoneConstraints(microphoneId: string | null): MediaStreamConstraints {
  return { audio: microphoneId === null ? true : { deviceId: { exact: microphoneId } }, video: false };
}
