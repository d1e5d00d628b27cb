// Making one engine current: the backend re-targets, and every list is someone else's now.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';

export function useSelectEngine() {
  const api = useDesktopApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.selectEndpoint(id),
    onSuccess: (status) => {
      client.setQueryData(queryKeys.engine, status);
      void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'engine' || query.queryKey[1] !== undefined });
      toastSuccess(`Connected to ${status.endpoint}`);
    },
    onError: (error, id) => toastError(`Could not connect to ${id}`, error),
  });
}
