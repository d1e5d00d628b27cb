// One live chart: a <figure> named by the title in its <figcaption>, the current values as text (what a screen
// reader or a glance needs), and a uPlot line chart that follows its box's width. Series colours
// are read from the legend swatches' computed colour, which the theme sets in stats.css, so the
// chart follows light and dark like the rest of the page.
import { useEffect, useId, useLayoutEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useColorScheme } from '../../../terminal/color-scheme.ts';

export interface ChartSeries {
  label: string;
  values: readonly number[];
  /** The current value, formatted. */
  current: string;
  /** False: shown as text only (e.g. a memory limit that would flatten the usage line). */
  plotted?: boolean;
}

export interface StatsChartProps {
  title: string;
  time: readonly number[];
  series: readonly ChartSeries[];
  /** Formats an axis tick. */
  formatTick(value: number): string;
  /** Smallest y range to show (e.g. 0–1 % for an idle CPU instead of a flat line at the top). */
  minMax?: number;
}

const HEIGHT = 160;

export function StatsChart({ title, time, series, formatTick, minMax = 1 }: StatsChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const swatches = useRef<(HTMLSpanElement | null)[]>([]);
  const chart = useRef<uPlot | null>(null);
  const scheme = useColorScheme();
  const format = useRef(formatTick);
  format.current = formatTick;
  const plotted = series.filter((s) => s.plotted !== false);
  const labels = plotted.map((s) => s.label).join('\n');
  const titleId = useId();

  // (Re)create the chart when its series or the colour scheme change.
  useLayoutEffect(() => {
    const element = box.current!;
    const style = getComputedStyle(element);
    const text = style.color;
    const grid = style.getPropertyValue('border-top-color') || 'rgba(128,128,128,0.2)';
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: true, drag: { x: false, y: false } },
      // With one sample uPlot would stretch min..max (equal) into years; show the last minute instead.
      scales: { x: { time: true, range: (_u, min, max) => (max - min < 1 ? [max - 60, max] : [min, max]) }, y: { range: (_u, min, max) => [0, Math.max(minMax, max, min)] } },
      axes: [
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 70, values: (_u, ticks) => ticks.map((v) => format.current(v)) },
      ],
      series: [
        {},
        ...labels.split('\n').map((label, i) => ({
          label,
          stroke: swatches.current[i] ? getComputedStyle(swatches.current[i]!).color : text,
          width: 1.5,
          points: { show: false },
        })),
      ],
    };
    const plot = new uPlot(options, [[], ...labels.split('\n').map(() => [])], element);
    chart.current = plot;
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [labels, scheme, minMax]);

  useEffect(() => {
    chart.current?.setData([time as number[], ...plotted.map((s) => s.values as number[])]);
  });

  return (
    // Named by the title alone (the caption also carries the changing values).
    <figure className="stats-chart" aria-labelledby={titleId}>
      <figcaption>
        <span id={titleId} className="stats-title">{title}</span>
        <span className="stats-values">
          {series.map((s) => (
            <span key={s.label} className="stats-value">
              {s.plotted !== false && (
                <span
                  ref={(el) => { swatches.current[plotted.indexOf(s)] = el; }}
                  className={`stats-swatch stats-swatch-${plotted.indexOf(s)}`}
                  aria-hidden="true"
                >■</span>
              )}
              {series.length > 1 ? `${s.label} ` : ''}{s.current}
            </span>
          ))}
        </span>
      </figcaption>
      <div ref={box} className="stats-plot" aria-hidden="true" />
    </figure>
  );
}
