import { describe, expect, test } from 'vitest';
import { queryKeys, rootsForEvent } from './query-keys.ts';

describe('rootsForEvent', () => {
  test('a container commit makes the image list stale too (dockerd sends no image event for it)', () => {
    expect(rootsForEvent('container', 'commit')).toContainEqual(queryKeys.images);
    expect(rootsForEvent('container', 'start')).not.toContainEqual(queryKeys.images);
    expect(rootsForEvent('image', 'tag')).toEqual([queryKeys.images]);
  });

  test('an exec or an archive read makes nothing stale (the Files tab causes both when it lists a folder)', () => {
    for (const action of ['exec_create: find /etc -maxdepth 1', 'exec_start: find /etc -maxdepth 1', 'exec_die', 'archive-path']) {
      expect(rootsForEvent('container', action), action).toEqual([]);
    }
    expect(rootsForEvent('container', 'die')).toContainEqual(queryKeys.containers);
    expect(rootsForEvent('container', 'extract-to-dir')).toContainEqual(queryKeys.containers);
  });
});
