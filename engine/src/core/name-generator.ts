// Random container names in Docker's adjective_surname shape, so `docker ps` looks familiar.
// The word lists are our own.
import { randomInt } from 'node:crypto';

const adjectives = [
  'brave', 'calm', 'clever', 'eager', 'fancy', 'gentle', 'happy', 'jolly', 'keen', 'kind',
  'lively', 'lucid', 'merry', 'nifty', 'polite', 'proud', 'quick', 'quiet', 'sharp', 'silly',
  'sleepy', 'steady', 'sunny', 'swift', 'tender', 'tidy', 'upbeat', 'vivid', 'wise', 'zesty',
];
const harbours = [
  'anchor', 'beacon', 'bollard', 'buoy', 'capstan', 'cleat', 'dock', 'ferry', 'galley', 'harbor',
  'hawser', 'jetty', 'keel', 'lantern', 'lighthouse', 'marina', 'mooring', 'pier', 'pilot', 'quay',
  'rudder', 'sail', 'schooner', 'skiff', 'slipway', 'stern', 'tugboat', 'wharf', 'windlass', 'yacht',
];

export function generateName(taken: (name: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${adjectives[randomInt(adjectives.length)]}_${harbours[randomInt(harbours.length)]}`;
    const name = attempt < 10 ? base : `${base}${randomInt(10)}`;
    if (!taken(name)) return name;
  }
}
