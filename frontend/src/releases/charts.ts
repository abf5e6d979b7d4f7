/**
 * The report's plots, drawn as plain SVG: agreement per measure with bootstrap whiskers,
 * leave-one-out agreement per annotator, pooled confusion matrices and a trace overlay.
 * A figure the report leaves undefined is drawn as the word "undefined" (the reason is
 * printed beside the plot), never as a number.
 */

import { finite, formatFigure } from "./numbers";
import { linearScale, svgEl, svgRoot, svgText, svgTitle, ticks } from "./svg";
import type { AnnotatorAgreement, Confusion, Measure, TraceOverlay } from "./types";

const PALETTE = ["#4f46e5", "#0e9f6e", "#d97706", "#db2777", "#0891b2", "#7c3aed", "#65a30d", "#dc2626"];
const CONSENSUS_COLOUR = "#1b2130";
const CHAR_WIDTH = 7;
const VALUE_WIDTH = 70;
const ROW = 26;
const WIDTH = 640;

export const seriesColour = (index: number): string => PALETTE[index % PALETTE.length] ?? CONSENSUS_COLOUR;

/** Room for the longest row label at the plots' 12px font, within sensible bounds. */
function labelWidth(labels: string[]): number {
  return Math.min(260, Math.max(80, Math.max(0, ...labels.map((label) => label.length)) * CHAR_WIDTH + 16));
}

/** The x domain of an agreement axis: always [0, 1], widened to show negative values or wide intervals. */
function agreementDomain(values: number[]): [number, number] {
  const low = Math.min(0, ...values);
  const high = Math.max(1, ...values);
  return [low < 0 ? Math.max(-1, Math.floor(low * 10) / 10) : 0, high];
}

function xAxis(scale: (v: number) => number, domain: [number, number], y: number, top: number): SVGGElement {
  const axis = svgEl("g", { class: "axis" });
  for (const tick of ticks(domain[0], domain[1], 5)) {
    const x = scale(tick);
    axis.append(
      svgEl("line", { x1: x, x2: x, y1: top, y2: y, class: tick === 0 ? "grid zero" : "grid" }),
      svgText(formatFigure(tick, 1), { x, y: y + 14, "text-anchor": "middle", class: "tick" }),
    );
  }
  return axis;
}

/** One dot per measure with its confidence interval as a whisker. */
export function measureChart(fieldLabel: string, measures: Measure[]): SVGSVGElement {
  const rows = Math.max(1, measures.length);
  const height = rows * ROW + 34;
  const svg = svgRoot(WIDTH, height, `Agreement measures for ${fieldLabel}`, "measure-chart");
  const labelRoom = labelWidth(measures.map((m) => m.measure));
  const numbers = measures.flatMap((m) => [m.value, m.ci?.low, m.ci?.high].filter(finite));
  const domain = agreementDomain(numbers);
  const scale = linearScale(domain, [labelRoom, WIDTH - VALUE_WIDTH]);
  svg.append(xAxis(scale, domain, rows * ROW + 8, 4));
  if (!measures.length) {
    svg.append(svgText("no measures", { x: labelRoom, y: ROW / 2 + 8, class: "undefined-mark" }));
  }
  measures.forEach((measure, index) => {
    const y = index * ROW + ROW / 2 + 4;
    const row = svgEl("g", { class: "measure-row", "data-measure": measure.measure });
    row.append(svgText(measure.measure, { x: labelRoom - 8, y: y + 4, "text-anchor": "end", class: "row-label" }));
    if (!finite(measure.value)) {
      row.append(svgText("undefined", { x: labelRoom + 4, y: y + 4, class: "undefined-mark" }));
      row.dataset.defined = "false";
    } else {
      const ci = measure.ci;
      if (ci && finite(ci.low) && finite(ci.high)) {
        const [x1, x2] = [scale(ci.low), scale(ci.high)];
        row.append(
          svgEl("line", { x1, x2, y1: y, y2: y, class: "whisker" }),
          svgEl("line", { x1, x2: x1, y1: y - 5, y2: y + 5, class: "whisker" }),
          svgEl("line", { x1: x2, x2, y1: y - 5, y2: y + 5, class: "whisker" }),
        );
      }
      const dot = svgEl("circle", { cx: scale(measure.value), cy: y, r: 5, class: "dot" });
      const interval = ci && finite(ci.low) && finite(ci.high) ? ` [${formatFigure(ci.low)}, ${formatFigure(ci.high)}]` : "";
      dot.append(svgTitle(`${measure.measure} = ${formatFigure(measure.value)}${interval}`));
      row.append(dot, svgText(formatFigure(measure.value), { x: WIDTH - VALUE_WIDTH + 8, y: y + 4, class: "row-value" }));
      row.dataset.defined = "true";
    }
    svg.append(row);
  });
  return svg;
}

/** Leave-one-out agreement of each annotator with the others, as horizontal bars from zero. */
export function annotatorBars(fieldLabel: string, rows: AnnotatorAgreement[]): SVGSVGElement {
  const height = Math.max(1, rows.length) * ROW + 34;
  const svg = svgRoot(WIDTH, height, `Agreement per annotator for ${fieldLabel}`, "annotator-chart");
  const labelRoom = labelWidth(rows.map((r) => r.annotator));
  const domain = agreementDomain(rows.map((r) => r.value).filter(finite));
  const scale = linearScale(domain, [labelRoom, WIDTH - VALUE_WIDTH]);
  svg.append(xAxis(scale, domain, Math.max(1, rows.length) * ROW + 8, 4));
  rows.forEach((row, index) => {
    const y = index * ROW + 6;
    const group = svgEl("g", { class: "annotator-row", "data-annotator": row.annotator });
    group.append(svgText(row.annotator, { x: labelRoom - 8, y: y + 13, "text-anchor": "end", class: "row-label" }));
    if (!finite(row.value)) {
      group.append(svgText("undefined", { x: labelRoom + 4, y: y + 13, class: "undefined-mark" }));
    } else {
      const [a, b] = [scale(0), scale(row.value)];
      const bar = svgEl("rect", { x: Math.min(a, b), y, width: Math.max(1, Math.abs(b - a)), height: ROW - 10, class: "bar" });
      bar.append(svgTitle(`${row.annotator}: ${row.measure} = ${formatFigure(row.value)} over ${row.n_items} items`));
      group.append(bar, svgText(formatFigure(row.value), { x: WIDTH - VALUE_WIDTH + 8, y: y + 13, class: "row-value" }));
    }
    svg.append(group);
  });
  return svg;
}

/** Pairwise confusion counts as a heatmap; every cell also prints its count. */
export function confusionHeatmap(fieldLabel: string, confusion: Confusion): SVGSVGElement {
  const n = confusion.classes.length;
  const cell = Math.max(28, Math.min(56, Math.floor(420 / Math.max(1, n))));
  const left = 130;
  const top = 110;
  const size = n * cell;
  const svg = svgRoot(left + size + 20, top + size + 30, `Confusion matrix for ${fieldLabel}`, "confusion-chart");
  const max = Math.max(1, ...confusion.matrix.flat().filter(finite));
  svg.append(
    svgText("one annotator ↓ / another →", { x: 4, y: 14, class: "axis-title" }),
  );
  confusion.classes.forEach((name, i) => {
    svg.append(
      svgText(name, { x: left - 6, y: top + i * cell + cell / 2 + 4, "text-anchor": "end", class: "row-label" }),
      svgText(name, {
        x: 0,
        y: 0,
        transform: `translate(${left + i * cell + cell / 2 + 4} ${top - 6}) rotate(-55)`,
        class: "row-label",
      }),
    );
  });
  confusion.matrix.forEach((row, i) => {
    row.forEach((count, j) => {
      const share = finite(count) ? count / max : 0;
      const x = left + j * cell;
      const y = top + i * cell;
      const rect = svgEl("rect", {
        x,
        y,
        width: cell - 1,
        height: cell - 1,
        class: i === j ? "cell diagonal" : "cell",
        "fill-opacity": (0.06 + 0.94 * share).toFixed(3),
      });
      rect.append(svgTitle(`${confusion.classes[i]} vs ${confusion.classes[j]}: ${count}`));
      svg.append(
        rect,
        svgText(String(count), {
          x: x + cell / 2,
          y: y + cell / 2 + 4,
          "text-anchor": "middle",
          class: share > 0.55 ? "cell-count dark" : "cell-count",
        }),
      );
    });
  });
  return svg;
}

/** Polyline points for a series, broken into runs wherever a value is missing. */
function runs(times: number[], values: Array<number | null>, x: (t: number) => number, y: (v: number) => number): string[] {
  const result: string[] = [];
  let current: string[] = [];
  times.forEach((time, index) => {
    const value = values[index];
    if (finite(value) && finite(time)) {
      current.push(`${x(time).toFixed(1)},${y(value).toFixed(1)}`);
    } else if (current.length) {
      result.push(current.join(" "));
      current = [];
    }
  });
  if (current.length) result.push(current.join(" "));
  return result;
}

/** Each annotator's trace over one item, with the consensus drawn on top. */
export function traceOverlay(fieldLabel: string, overlay: TraceOverlay): SVGSVGElement {
  const [left, right, top, bottom] = [48, 130, 10, 34];
  const height = 260;
  const svg = svgRoot(WIDTH, height, `Traces of ${fieldLabel} for item ${overlay.item_id}`, "trace-chart");
  const names = Object.keys(overlay.series).sort();
  const all = [...names.flatMap((name) => overlay.series[name] ?? []), ...overlay.consensus].filter(finite);
  const times = overlay.times.filter(finite);
  const tDomain: [number, number] = times.length ? [Math.min(...times), Math.max(...times)] : [0, 1];
  const vDomain: [number, number] = all.length ? [Math.min(...all), Math.max(...all)] : [0, 1];
  const x = linearScale(tDomain, [left, WIDTH - right]);
  const y = linearScale(vDomain, [height - bottom, top]);
  const axis = svgEl("g", { class: "axis" });
  for (const tick of ticks(tDomain[0], tDomain[1], 6)) {
    axis.append(
      svgEl("line", { x1: x(tick), x2: x(tick), y1: top, y2: height - bottom, class: "grid" }),
      svgText(`${Number(tick.toFixed(2))} s`, { x: x(tick), y: height - bottom + 14, "text-anchor": "middle", class: "tick" }),
    );
  }
  for (const tick of ticks(vDomain[0], vDomain[1], 4)) {
    axis.append(
      svgEl("line", { x1: left, x2: WIDTH - right, y1: y(tick), y2: y(tick), class: "grid" }),
      svgText(String(Number(tick.toFixed(3))), { x: left - 6, y: y(tick) + 4, "text-anchor": "end", class: "tick" }),
    );
  }
  svg.append(axis);
  const legend = svgEl("g", { class: "legend" });
  const draw = (values: Array<number | null>, colour: string, name: string, className: string, index: number) => {
    const group = svgEl("g", { class: className, "data-series": name });
    for (const points of runs(overlay.times, values, x, y)) {
      group.append(svgEl("polyline", { points, fill: "none", stroke: colour, class: "trace-line" }));
    }
    svg.append(group);
    const ly = top + 6 + index * 18;
    legend.append(
      svgEl("line", { x1: WIDTH - right + 12, x2: WIDTH - right + 32, y1: ly, y2: ly, stroke: colour, class: className === "consensus" ? "trace-line consensus-line" : "trace-line" }),
      svgText(name, { x: WIDTH - right + 38, y: ly + 4, class: "legend-label" }),
    );
  };
  names.forEach((name, index) => draw(overlay.series[name] ?? [], seriesColour(index), name, "series", index));
  draw(overlay.consensus, CONSENSUS_COLOUR, "consensus", "consensus", names.length);
  svg.append(legend);
  return svg;
}
