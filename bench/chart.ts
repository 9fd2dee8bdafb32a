// The ladder as an SVG bar chart: vega-lite compiles the spec, vega renders it headless (no browser, no canvas).
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export type ChartRow = { step: string; requestsPerSecond: number; p99: number };

export async function ladderChart(rows: ChartRow[], subtitle: string): Promise<string> {
  const order = rows.map((row) => row.step);
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Requests per second, each step adding one layer", subtitle },
    data: { values: rows },
    hconcat: [
      {
        width: 360,
        encoding: {
          y: { field: "step", type: "nominal", sort: order, title: null },
          x: {
            field: "requestsPerSecond",
            type: "quantitative",
            title: "req/s (median of runs), log scale",
            scale: { type: "log", domain: [100, 100_000] },
          },
        },
        layer: [
          // A log scale has no zero: the bars start at the left edge of the axis.
          { mark: { type: "bar", color: "#4c78a8" }, encoding: { x2: { datum: 100 } } },
          {
            mark: { type: "text", align: "left", dx: 3 },
            encoding: { text: { field: "requestsPerSecond", format: ",.0f" } },
          },
        ],
      },
      {
        width: 200,
        encoding: {
          y: { field: "step", type: "nominal", sort: order, axis: null },
          x: { field: "p99", type: "quantitative", title: "p99 latency (ms)" },
        },
        layer: [
          { mark: { type: "bar", color: "#f58518" } },
          { mark: { type: "text", align: "left", dx: 3 }, encoding: { text: { field: "p99", format: ",.0f" } } },
        ],
      },
    ],
  };
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
