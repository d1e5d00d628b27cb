// Whether the renderer still reaches its backend (the dashboard's WebSocket can drop when
// `berth dashboard` stops). The app shell shows a banner while it is gone.
import { create } from 'zustand';

interface ConnectionState {
  /** Why the backend connection closed; null while it is up. */
  lostReason: string | null;
  setLost(reason: string): void;
}

export const useConnection = create<ConnectionState>((set) => ({
  lostReason: null,
  setLost: (reason) => set({ lostReason: reason }),
}));
