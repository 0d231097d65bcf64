import { useMemo } from "preact/hooks";
import type { DaySeries } from "../logic/usage.ts";
import { TimeChart } from "./time-chart.tsx";

interface Props {
  title: string;
  data: DaySeries;
  format(value: number): string;
}

/** Per-day values (UTC days) as a chart. */
export function UsageChart({ title, data, format }: Props) {
  const xs = useMemo(() => data.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000), [data]);
  return <TimeChart title={title} xs={xs} series={data.series} format={format} />;
}
