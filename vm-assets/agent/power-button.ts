// The power button (QEMU's system_powerdown: an ACPI button on x86, a GPIO key on arm64 virt)
// arrives as KEY_POWER on an evdev device. No acpid in the guest: the agent watches for it.
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';

const EV_KEY = 1;
const KEY_POWER = 116;
/** struct input_event on 64-bit Linux: timeval (16 bytes), type u16, code u16, value s32. */
const EVENT_SIZE = 24;

/** True when the chunk holds a KEY_POWER press (value 1). */
export function hasPowerPress(events: Buffer): boolean {
  for (let at = 0; at + EVENT_SIZE <= events.length; at += EVENT_SIZE) {
    if (events.readUInt16LE(at + 16) === EV_KEY && events.readUInt16LE(at + 18) === KEY_POWER && events.readInt32LE(at + 20) === 1) return true;
  }
  return false;
}

export function watchPowerButton(onPress: () => void, dir = '/dev/input'): void {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith('event'));
  } catch {
    return; // no input devices: only the agent's poweroff request can stop the guest
  }
  for (const name of names) {
    // Events are whole 24-byte records per read; highWaterMark a multiple keeps them aligned.
    const stream = createReadStream(join(dir, name), { highWaterMark: EVENT_SIZE * 64 });
    stream.on('data', (chunk) => {
      if (hasPowerPress(chunk as Buffer)) onPress();
    });
    stream.on('error', () => {});
  }
}
