// Stats tab: CPU, memory, network and disk of a running container, live from the `stats` stream
// (about one sample a second), over a rolling window of the last STATS_WINDOW samples.
import { useState } from 'react';
import type { StatsSample } from '../../../../common/desktop-api.ts';
import { useStream } from '../../../api/use-stream.ts';
import { StatsChart } from './stats-chart.tsx';
import { formatBytes, formatPercent } from '../../../components/format.ts';
import { pushSample, statsSeries } from './stats-series.ts';

const formatRate = (bytesPerSecond: number) => `${formatBytes(bytesPerSecond)}/s`;
import './stats.css';

export function StatsTab({ id, running, startedAt }: { id: string; running: boolean; startedAt: string | undefined }) {
  const [samples, setSamples] = useState<StatsSample[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  useStream('stats', [id], `${id}\n${startedAt ?? ''}`, {
    next(sample) {
      setFailure(null);
      setSamples((previous) => pushSample(previous, sample));
    },
    error(error) { setFailure(error.message); },
  }, running);

  if (!running) {
    return <p className="stats-message">The container is not running. Start it to see its CPU, memory, network and disk use live.</p>;
  }
  const series = statsSeries(samples);
  const at = series.time.length - 1;
  const last = (values: number[]) => (at >= 0 ? values[at] : NaN);
  const waiting = at < 0;
  const show = (text: string) => (waiting ? '…' : text);
  const limit = last(series.memoryLimit);
  return (
    <div className="stats-tab">
      {failure && <p role="alert">Stats could not be read: {failure}</p>}
      <StatsChart
        title="CPU"
        time={series.time}
        series={[{ label: 'CPU', values: series.cpu, current: show(formatPercent(last(series.cpu))) }]}
        formatTick={(v) => `${+v.toFixed(1)}%`}
      />
      <StatsChart
        title="Memory"
        time={series.time}
        series={[
          { label: 'Usage', values: series.memoryUsage, current: show(formatBytes(last(series.memoryUsage))) },
          // Without a limit the engine reports the host's memory, which would flatten the usage line.
          { label: 'Limit', values: series.memoryLimit, current: show(limit > 0 ? formatBytes(limit) : 'none'), plotted: false },
        ]}
        formatTick={formatBytes}
        minMax={1024 * 1024}
      />
      <StatsChart
        title="Network"
        time={series.time}
        series={[
          { label: 'Received', values: series.networkRx, current: show(formatRate(last(series.networkRx))) },
          { label: 'Sent', values: series.networkTx, current: show(formatRate(last(series.networkTx))) },
        ]}
        formatTick={formatRate}
        minMax={1024}
      />
      <StatsChart
        title="Disk"
        time={series.time}
        series={[
          { label: 'Read', values: series.diskRead, current: show(formatRate(last(series.diskRead))) },
          { label: 'Write', values: series.diskWrite, current: show(formatRate(last(series.diskWrite))) },
        ]}
        formatTick={formatRate}
        minMax={1024}
      />
    </div>
  );
}
