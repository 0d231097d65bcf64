import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { DaySeries } from "../logic/usage.ts";

const PALETTE = ["#4f7cff", "#e0803a", "#35a36b", "#c74f8f", "#8a6cf0", "#c9a227", "#3aa7c4", "#d0524f"];

interface Props {
  title: string;
  data: DaySeries;
  format(value: number): string;
}

/** A uPlot chart of per-day values; sized to its container and redrawn when it resizes. */
export function UsageChart({ title, data, format }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
    const axisColor = dark ? "#c9ccd2" : "#3b4048";
    const gridColor = dark ? "#ffffff18" : "#00000014";
    const xs = data.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const opts: uPlot.Options = {
      title,
      width: Math.max(280, el.clientWidth),
      height: 240,
      scales: { x: { time: true } },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor } },
        { stroke: axisColor, grid: { stroke: gridColor }, values: (_u, splits) => splits.map(format), size: 70 },
      ],
      series: [
        {},
        ...data.series.map((s, i) => ({
          label: s.name,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          points: { show: data.days.length < 40 },
          value: (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)),
        })),
      ],
    };
    const chart = new uPlot(opts, [xs, ...data.series.map((s) => s.values)], el);
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(280, el.clientWidth), height: 240 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [data, title, format]);
  return <div class="chart" ref={box} role="img" aria-label={`${title} (chart; the table below has the same figures)`} />;
}
