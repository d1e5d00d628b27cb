import { describe, expect, test } from 'vitest';
import { queryKeys, rootsForEvent } from './query-keys.ts';

describe('rootsForEvent', () => {
  test('a container commit makes the image list stale too (dockerd sends no image event for it)', () => {
    expect(rootsForEvent('container', 'commit')).toContainEqual(queryKeys.images);
    expect(rootsForEvent('container', 'start')).not.toContainEqual(queryKeys.images);
    expect(rootsForEvent('image', 'tag')).toEqual([queryKeys.images]);
  });
});
