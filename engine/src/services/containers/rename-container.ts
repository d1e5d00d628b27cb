// `docker rename`.
import { invalid } from '../../core/errors.ts';
import { VALID_CONTAINER_NAME } from '../../core/ids.ts';
import type { ContainerContext } from './context.ts';

export async function renameContainer(ctx: ContainerContext, ref: string, newName: string): Promise<void> {
  if (!newName) throw invalid('Neither old nor new names may be empty');
  // The container first, then the new name, as dockerd checks them (daemon/rename.go).
  const record = ctx.store.get(ref);
  if (!VALID_CONTAINER_NAME.test(newName)) throw invalid(`Invalid container name (${newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  const name = newName.replace(/^\//, '');
  const oldName = record.Name.slice(1);
  if (name === oldName) throw invalid('Renaming a container with the same name as its current name');
  await ctx.withLock(record.Id, async () => {
    ctx.store.reserveName(name, record.Id);
    record.Name = `/${name}`;
    try {
      await ctx.store.save(record);
    } catch (error) {
      record.Name = `/${oldName}`;
      ctx.store.releaseName(name, record.Id);
      throw error;
    }
    ctx.store.releaseName(oldName, record.Id);
    ctx.publish(record, 'rename', { oldName: `/${oldName}` });
  });
}
