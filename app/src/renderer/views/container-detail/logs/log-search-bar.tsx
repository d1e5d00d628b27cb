// The Logs tab's search: a searchbox, the "3 of 120" position among matching lines, and previous /
// next (also Enter / Shift+Enter in the box, Escape clears).
export interface LogSearchBarProps {
  value: string;
  onChange(value: string): void;
  /** 1-based position of the current match, or 0. */
  position: number;
  count: number;
  scanning: boolean;
  onStep(direction: 1 | -1): void;
}

export function LogSearchBar({ value, onChange, position, count, scanning, onStep }: LogSearchBarProps) {
  let summary = '';
  if (value !== '') {
    if (count === 0) summary = scanning ? 'Searching…' : 'No matches';
    else summary = `${position > 0 ? `${position.toLocaleString()} of ` : ''}${count.toLocaleString()}${scanning ? '+' : ''}`;
  }
  return (
    <div className="log-search">
      <input
        type="search"
        aria-label="Search logs"
        placeholder="Search logs"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            onStep(event.shiftKey ? -1 : 1);
          } else if (event.key === 'Escape' && value !== '') {
            event.preventDefault();
            onChange('');
          }
        }}
      />
      <output className="log-search-count" aria-live="polite" title="matching lines">{summary}</output>
      <button type="button" aria-label="Previous match" title="Previous match (Shift+Enter)" disabled={count === 0} onClick={() => onStep(-1)}>↑</button>
      <button type="button" aria-label="Next match" title="Next match (Enter)" disabled={count === 0} onClick={() => onStep(1)}>↓</button>
    </div>
  );
}
