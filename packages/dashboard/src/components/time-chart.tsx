import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const PALETTE = ["#4f7cff", "#e0803a", "#35a36b", "#c74f8f", "#8a6cf0", "#c9a227", "#3aa7c4", "#d0524f"];

export interface TimeChartProps {
  title: string;
  /** Unix seconds, ascending. */
  xs: number[];
  series: { name: string; values: number[] }[];
  format(value: number): string;
}

/** A uPlot chart of values over time; sized to its container and redrawn when it resizes. */
export function TimeChart({ title, xs, series, format }: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
    const axisColor = dark ? "#c9ccd2" : "#3b4048";
    const gridColor = dark ? "#ffffff18" : "#00000014";
    const first = xs[0];
    const last = xs.at(-1) ?? 0;
    const opts: uPlot.Options = {
      title,
      width: Math.max(280, el.clientWidth),
      height: 240,
      // uPlot widens a single instant by 86400 / 1e-3 s (years): an hour either side instead.
      scales: { x: { time: true, range: (_u, min, max) => (first !== undefined && last - first < 3600 ? [first - 3600, last + 3600] : [min, max]) } },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor } },
        { stroke: axisColor, grid: { stroke: gridColor }, values: (_u, splits) => splits.map(format), size: 70 },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.name,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          points: { show: xs.length < 40 },
          value: (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)),
        })),
      ],
    };
    const chart = new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(280, el.clientWidth), height: 240 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [xs, series, title, format]);
  return <div class="chart" ref={box} role="img" aria-label={`${title} (chart; the table below has the same figures)`} />;
}
