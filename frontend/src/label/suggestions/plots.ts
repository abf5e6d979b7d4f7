/**
 * Pre-label tracks as small plots in lanes under the waveform: an overview of the whole item (a few
 * thousand points at most) plus, when zoomed in, a finer read of just the visible window. The first
 * overview read is started as soon as the workspace is known (`prefetchAuPlot`), so it runs while
 * the waveform and the fields are being built rather than after them.
 */

import { h } from "../../dom";
import type { Lane, MediaPlayer } from "../player";
import type { TrackSummary, TrackWindow } from "../types";
import { num, prefetchWindow, readWindow } from "./trackData";

const SVG = "http://www.w3.org/2000/svg";
const OVERVIEW_POINTS = 1500;
const DETAIL_POINTS = 1000;
const SKIP = new Set(["time", "end", "frame", "identity", "sources", "frames", "coverage"]);

export interface PlotSeries {
  column: string;
  min: number;
  max: number;
}

function polyline(rows: Record<string, unknown>[], series: PlotSeries, className: string): SVGPolylineElement {
  const line = document.createElementNS(SVG, "polyline");
  const points: string[] = [];
  for (const row of rows) {
    const time = num(row.time);
    const value = num(row[series.column]);
    if (time === null || value === null) continue;
    const y = 100 - ((value - series.min) / (series.max - series.min)) * 100;
    points.push(`${time},${Math.max(0, Math.min(100, y)).toFixed(2)}`);
  }
  line.setAttribute("points", points.join(" "));
  line.setAttribute("class", className);
  line.setAttribute("vector-effect", "non-scaling-stroke");
  return line;
}

export class TrackPlot {
  private overview: TrackWindow | null = null;
  private detail: TrackWindow | null = null;
  /** Overviews read so far, by the columns asked for (a narrow plot reads one per series chosen). */
  private readonly overviews = new Map<string, TrackWindow>();
  private generation = 0;
  private timer: number | undefined;
  readonly lane: Lane;

  /**
   * `narrow` plots read only the columns they draw (and time): an hour of a 19-AU track then
   * costs two decoded columns instead of twenty-one, and another AU is read when it is chosen.
   */
  constructor(
    private readonly player: MediaPlayer,
    readonly track: TrackSummary,
    label: string,
    private series: PlotSeries[],
    private readonly narrow = false,
  ) {
    this.lane = player.addLane(label, "plot-lane");
    this.lane.element.dataset.track = String(track.id);
    player.onView(() => this.scheduleDetail());
  }

  async load(): Promise<TrackWindow | null> {
    const generation = ++this.generation;
    const columns = this.columns();
    const key = columns?.join(",") ?? "";
    let overview = this.overviews.get(key);
    if (!overview) {
      if (this.overview) {
        // Another series was chosen: show nothing rather than the previous one under its label.
        this.overview = null;
        this.detail = null;
        this.draw();
      }
      try {
        overview = await overviewRead(this.track, columns);
      } catch {
        if (generation === this.generation) this.lane.element.append(h("span", { className: "lane-error", text: "could not be read" }));
        return null;
      }
      this.overviews.set(key, overview);
    }
    if (generation !== this.generation) return overview;
    this.lane.element.querySelector(".lane-error")?.remove();
    this.overview = overview;
    this.detail = null;
    this.draw();
    if (this.overview.stride > 1 && this.zoomedIn()) void this.loadDetail();
    return this.overview;
  }

  setSeries(series: PlotSeries[]): void {
    this.series = series;
    if (this.narrow) void this.load();
    else this.draw();
  }

  private columns(): string[] | undefined {
    return this.narrow ? this.series.map((s) => s.column) : undefined;
  }

  private zoomedIn(): boolean {
    const [start, end] = this.player.visibleWindow();
    return end - start < this.player.duration * 0.9;
  }

  private scheduleDetail(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.loadDetail(), 300);
  }

  private async loadDetail(): Promise<void> {
    if (!this.overview || this.overview.stride <= 1) return;
    const generation = this.generation;
    if (!this.zoomedIn()) {
      if (this.detail) {
        this.detail = null;
        this.draw();
      }
      return;
    }
    const [start, end] = this.player.visibleWindow();
    try {
      const detail = await readWindow(this.track.id, start, end, DETAIL_POINTS, this.columns());
      if (generation !== this.generation) return;
      this.detail = detail;
      this.draw();
    } catch {
      // the overview stays
    }
  }

  private draw(): void {
    const svg = this.lane.svg;
    svg.replaceChildren();
    if (!this.overview) return;
    this.series.forEach((series, i) => {
      svg.append(polyline(this.overview!.rows, series, `plot-line s${i}${this.detail ? " faint" : ""}`));
      if (this.detail) svg.append(polyline(this.detail.rows, series, `plot-line s${i}`));
    });
  }
}

/** The whole item, thinned: what a lane shows before any zoom (the first screen). */
function overviewRead(track: TrackSummary, columns?: string[]): Promise<TrackWindow> {
  return readWindow(track.id, null, null, OVERVIEW_POINTS, columns);
}

export function valueColumns(track: TrackSummary): string[] {
  return track.columns.map((c) => c.name).filter((name) => !SKIP.has(name) && !/^(is_|crop|text|word|au$)/.test(name));
}

function firstAu(track: TrackSummary): string {
  const columns = valueColumns(track);
  return columns.includes("AU12") ? "AU12" : columns[0] ?? "";
}

/** AU intensities: one lane, the AU shown chosen in a select (AU12 first when present). */
export function auPlot(player: MediaPlayer, track: TrackSummary): { plot: TrackPlot; control: HTMLElement } {
  const columns = valueColumns(track);
  const first = firstAu(track);
  const plot = new TrackPlot(player, track, `${first} (pre-label)`, first ? [{ column: first, min: 0, max: 1 }] : [], true);
  const select = h("select", { attrs: { "aria-label": "Action unit to plot", id: "au-choice" } });
  for (const column of columns) {
    const option = h("option", { text: column, attrs: { value: column } });
    if (column === first) option.selected = true;
    select.append(option);
  }
  select.addEventListener("change", () => {
    plot.setSeries([{ column: select.value, min: 0, max: 1 }]);
    const label = plot.lane.element.querySelector(".lane-label");
    if (label) label.textContent = `${select.value} (pre-label)`;
  });
  void plot.load();
  return { plot, control: h("label", { className: "suggestion-toggle" }, "Action unit lane ", select) };
}

/** Valence (and arousal) estimates on the 1–9 scale. */
export function vadPlot(player: MediaPlayer, track: TrackSummary): TrackPlot {
  const names = track.columns.map((c) => c.name);
  const series = ["valence", "arousal"].filter((n) => names.includes(n)).map((column) => ({ column, min: 1, max: 9 }));
  return new TrackPlot(player, track, `V/A estimate (${track.kind})`, series);
}

/** Start the first reads of `auPlot` and `vadPlot` before their lanes exist (see `prefetchWindow`). */
export function prefetchAuPlot(track: TrackSummary): void {
  const first = firstAu(track);
  prefetchWindow(track.id, null, null, OVERVIEW_POINTS, first ? [first] : undefined);
}

export function prefetchVadPlot(track: TrackSummary): void {
  prefetchWindow(track.id, null, null, OVERVIEW_POINTS);
}
