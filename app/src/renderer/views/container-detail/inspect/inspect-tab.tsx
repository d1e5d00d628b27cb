// Inspect tab: `docker inspect` as an accessible tree (react-json-view-lite renders role=tree with
// expandable treeitems), a filter box, and Copy JSON for the whole document.
import { useState } from 'react';
import { allExpanded, darkStyles, defaultStyles, JsonView } from 'react-json-view-lite';
import 'react-json-view-lite/dist/index.css';
import { toastError, useToasts } from '../../../store/toast-store.ts';
import { useColorScheme } from '../../../terminal/color-scheme.ts';
import { useDebouncedValue } from '../logs/use-debounced-value.ts';
import { filterJson } from './filter-json.ts';
import './inspect.css';

const firstLevels = (level: number) => level < 2;

export function InspectTab({ inspect }: { inspect: Record<string, unknown> }) {
  const [queryInput, setQueryInput] = useState('');
  const query = useDebouncedValue(queryInput, 150);
  const [expansion, setExpansion] = useState<'default' | 'all' | 'none'>('default');
  const dark = useColorScheme() === 'dark';
  const shown = filterJson(inspect, query);
  const empty = query !== '' && Object.keys(shown).length === 0;
  const shouldExpand = query !== '' || expansion === 'all' ? allExpanded : expansion === 'none' ? (level: number) => level < 1 : firstLevels;

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('the clipboard is not available to this page');
      await navigator.clipboard.writeText(JSON.stringify(inspect, null, 2));
      useToasts.getState().push({ kind: 'success', title: 'Copied the inspect JSON' });
    } catch (error) {
      toastError('Could not copy the JSON', error);
    }
  };

  return (
    <div className="inspect-tab">
      <div className="inspect-toolbar" role="toolbar" aria-label="Inspect options">
        <input type="search" aria-label="Filter inspect" placeholder="Filter keys and values" value={queryInput} onChange={(e) => setQueryInput(e.target.value)} />
        <button type="button" onClick={() => setExpansion('all')}>Expand all</button>
        <button type="button" onClick={() => setExpansion('none')}>Collapse all</button>
        <button type="button" onClick={() => void copy()}>Copy JSON</button>
      </div>
      {empty && <p>Nothing in the inspect data matches “{query}”.</p>}
      <div className="inspect-tree">
        <JsonView
          key={`${expansion}\n${query}`}
          data={shown}
          shouldExpandNode={shouldExpand}
          style={dark ? darkStyles : defaultStyles}
          aria-label="Inspect"
        />
      </div>
    </div>
  );
}
