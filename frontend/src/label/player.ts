/**
 * The media player: a <video>/<audio> element of the proxy, driven together with a wavesurfer.js
 * waveform (precomputed peaks), a time ruler, wheel/keyboard zoom and a region layer. "Lanes" under
 * the waveform (trace curves, pre-label plots) follow its zoom and scroll, so every strip shares one
 * time axis.
 */

import WaveSurfer from "wavesurfer.js";
import RegionsPlugin from "wavesurfer.js/dist/plugins/regions.esm.js";
import TimelinePlugin from "wavesurfer.js/dist/plugins/timeline.esm.js";
import ZoomPlugin from "wavesurfer.js/dist/plugins/zoom.esm.js";

import { h } from "../dom";
import type { WaveformPeaks } from "./peaks";
import { formatClock } from "./time";
import type { WorkspaceItem } from "./types";

export const RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2];
const DEFAULT_FPS = 25;
const MIN_PX_PER_SEC = 1;

type TimeListener = (time: number) => void;

export interface Lane {
  element: HTMLElement;
  /** Content drawn in time units: x from 0 to duration, y from 0 (top) to 100 (bottom). */
  svg: SVGSVGElement;
}

export class MediaPlayer {
  readonly media: HTMLVideoElement | HTMLAudioElement;
  readonly ws: WaveSurfer;
  readonly regions: RegionsPlugin;
  readonly duration: number;
  readonly fps: number;
  readonly stage: HTMLElement;
  readonly overlay: HTMLElement;
  private readonly laneInner: HTMLElement;
  private readonly clock: HTMLElement;
  private readonly rateSelect: HTMLSelectElement;
  private readonly playButton: HTMLButtonElement;
  private readonly listeners = new Set<TimeListener>();
  private frame = 0;
  private readonly peaks: WaveformPeaks | null;
  /** The peaks wavesurfer draws now: a level of `peaks` fit to the drawn width. */
  private drawnPeaks: Float32Array | null = null;

  constructor(host: HTMLElement, item: WorkspaceItem, nonce: string, peaks: WaveformPeaks | null) {
    this.duration = item.duration_seconds ?? 0;
    this.fps = item.fps ?? DEFAULT_FPS;
    const isVideo = item.kind === "video";
    this.media = isVideo
      ? h("video", { className: "label-video", attrs: { playsinline: "", preload: "auto" } })
      : h("audio", { attrs: { preload: "auto" } });
    if (isVideo && item.files.poster) (this.media as HTMLVideoElement).poster = item.files.poster;
    this.media.src = item.files.proxy ?? "";
    this.overlay = h("div", { className: "face-overlay", attrs: { "aria-hidden": "true" } });
    this.stage = h("div", { className: isVideo ? "video-stage" : "audio-stage" }, this.media, this.overlay);

    this.playButton = h("button", { className: "button small", text: "Play", attrs: { type: "button", id: "play-toggle" } });
    this.playButton.addEventListener("click", () => this.togglePlay());
    this.clock = h("span", { className: "clock", attrs: { id: "clock", "aria-live": "off" } });
    this.rateSelect = h("select", { attrs: { id: "rate", "aria-label": "Playback rate" } });
    for (const rate of RATES) {
      const option = h("option", { text: `${rate}×`, attrs: { value: String(rate) } });
      if (rate === 1) option.selected = true;
      this.rateSelect.append(option);
    }
    this.rateSelect.addEventListener("change", () => this.setRate(Number(this.rateSelect.value)));
    const back = h("button", { className: "button ghost small", text: "◀ frame", attrs: { type: "button", title: "Previous frame (,)" } });
    const fwd = h("button", { className: "button ghost small", text: "frame ▶", attrs: { type: "button", title: "Next frame (.)" } });
    back.addEventListener("click", () => this.stepFrame(-1));
    fwd.addEventListener("click", () => this.stepFrame(1));
    const zoomIn = h("button", { className: "button ghost small", text: "Zoom +", attrs: { type: "button", title: "Zoom in (+)" } });
    const zoomOut = h("button", { className: "button ghost small", text: "Zoom −", attrs: { type: "button", title: "Zoom out (-)" } });
    zoomIn.addEventListener("click", () => this.zoomBy(2));
    zoomOut.addEventListener("click", () => this.zoomBy(0.5));
    const controls = h(
      "div",
      { className: "transport" },
      this.playButton,
      this.clock,
      h("label", { className: "rate-label" }, "Rate ", this.rateSelect),
      isVideo ? back : null,
      isVideo ? fwd : null,
      zoomOut,
      zoomIn,
    );

    const waveHost = h("div", { className: "waveform", attrs: { id: "waveform" } });
    const rulerHost = h("div", { className: "ruler" });
    this.laneInner = h("div", { className: "lanes-inner" });
    const lanes = h("div", { className: "lanes", attrs: { id: "lanes" } }, this.laneInner);
    host.append(this.stage, controls, rulerHost, waveHost, lanes);
    this.peaks = peaks;
    // An item of unknown duration cannot be zoomed by its length, so it gets the full resolution.
    this.drawnPeaks = peaks && this.duration ? peaks.forPixels(this.drawnPixels(waveHost.clientWidth, 0)) : peaks?.full ?? null;

    this.regions = RegionsPlugin.create();
    this.ws = WaveSurfer.create({
      container: waveHost,
      media: this.media,
      height: 72,
      waveColor: "#a5b4fc",
      progressColor: "#4f46e5",
      cursorColor: "#c0362c",
      cursorWidth: 2,
      normalize: true,
      peaks: [this.drawnPeaks ?? new Float32Array([0, 0])],
      duration: this.duration || undefined,
      cspNonce: nonce,
      autoScroll: true,
      autoCenter: true,
      dragToSeek: false,
      plugins: [
        this.regions,
        TimelinePlugin.create({ container: rulerHost, height: 18 }),
        ZoomPlugin.create({ scale: 0.25, maxZoom: 2000 }),
      ],
    });
    for (const event of ["zoom", "scroll", "redraw", "ready"] as const) {
      this.ws.on(event, () => this.syncLanes());
    }
    this.ws.on("zoom", () => this.refinePeaks());
    this.ws.on("resize", () => this.refinePeaks());
    window.addEventListener("resize", () => this.syncLanes());

    this.media.addEventListener("play", () => this.loop());
    this.media.addEventListener("pause", () => this.tick());
    this.media.addEventListener("seeked", () => this.tick());
    this.media.addEventListener("loadedmetadata", () => this.tick());
    this.media.addEventListener("play", () => (this.playButton.textContent = "Pause"));
    this.media.addEventListener("pause", () => (this.playButton.textContent = "Play"));
    this.tick();
  }

  get time(): number {
    return this.media.currentTime;
  }

  get playing(): boolean {
    return !this.media.paused && !this.media.ended;
  }

  onTime(listener: TimeListener): void {
    this.listeners.add(listener);
  }

  seek(time: number): void {
    this.media.currentTime = Math.max(0, Math.min(this.duration || Infinity, time));
    this.tick();
  }

  togglePlay(): void {
    if (this.playing) this.media.pause();
    else void this.media.play().catch(() => undefined);
  }

  play(): void {
    if (!this.playing) void this.media.play().catch(() => undefined);
  }

  setRate(rate: number): void {
    const clamped = Math.max(RATES[0], Math.min(RATES[RATES.length - 1], rate));
    this.media.playbackRate = clamped;
    this.rateSelect.value = String(clamped);
  }

  stepRate(direction: 1 | -1): void {
    const index = RATES.indexOf(this.media.playbackRate);
    const next = RATES[Math.max(0, Math.min(RATES.length - 1, (index < 0 ? 3 : index) + direction))];
    this.setRate(next);
  }

  stepFrame(direction: 1 | -1): void {
    this.media.pause();
    const frame = Math.round(this.media.currentTime * this.fps) + direction;
    this.seek(frame / this.fps + 0.0001);
  }

  zoomBy(factor: number): void {
    // The wheel (Zoom plugin) also changes the zoom, so start from what wavesurfer shows now.
    const wrapper = this.ws.getWrapper();
    const fitted = this.duration ? wrapper.clientWidth / this.duration : 50;
    const current = Math.max(this.ws.options.minPxPerSec || 0, fitted);
    const next = Math.max(MIN_PX_PER_SEC, Math.min(2000, current * factor));
    this.ws.zoom(next);
  }

  /** A strip under the waveform that scrolls and zooms with it. */
  addLane(label: string, className = ""): Lane {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", `0 0 ${Math.max(this.duration, 0.001)} 100`);
    svg.setAttribute("preserveAspectRatio", "none");
    svg.classList.add("lane-svg");
    const element = h("div", { className: `lane ${className}`.trim() }, h("span", { className: "lane-label", text: label }));
    element.append(svg);
    this.laneInner.append(element);
    this.syncLanes();
    return { element, svg };
  }

  /** The visible time window of the waveform, for windowed track reads. */
  visibleWindow(): [number, number] {
    const wrapper = this.ws.getWrapper();
    const width = wrapper.scrollWidth || 1;
    const view = this.ws.getWidth() || width;
    const start = (this.ws.getScroll() / width) * this.duration;
    const end = ((this.ws.getScroll() + view) / width) * this.duration;
    return [Math.max(0, start), Math.min(this.duration, end)];
  }

  onView(listener: () => void): void {
    for (const event of ["zoom", "scroll", "ready"] as const) this.ws.on(event, listener);
  }

  /** Device pixels the waveform is drawn across (the whole item) at a zoom, as wavesurfer lays it out. */
  private drawnPixels(viewWidth: number, minPxPerSec: number): number {
    return Math.max(viewWidth, minPxPerSec * this.duration) * (window.devicePixelRatio || 1);
  }

  /**
   * After a zoom or a resize, draw from a finer level of peaks if the one drawn has too few for
   * the new width (zooming out keeps the finer one: it draws the same envelope).
   */
  private refinePeaks(): void {
    if (!this.peaks || !this.drawnPeaks || !this.duration) return;
    const pixels = this.drawnPixels(this.ws.getWidth(), this.ws.options.minPxPerSec || 0);
    const wanted = this.peaks.forPixels(pixels);
    if (wanted.length <= this.drawnPeaks.length) return;
    this.drawnPeaks = wanted;
    // Same media source, so wavesurfer only swaps the peaks it draws (the element keeps playing).
    void this.ws.load(this.media.currentSrc || this.media.src, [wanted], this.duration).catch(() => undefined);
  }

  private syncLanes(): void {
    const wrapper = this.ws.getWrapper();
    this.laneInner.style.width = `${wrapper.scrollWidth || wrapper.clientWidth}px`;
    this.laneInner.style.transform = `translateX(${-this.ws.getScroll()}px)`;
  }

  private loop(): void {
    cancelAnimationFrame(this.frame);
    const step = (): void => {
      this.tick();
      if (this.playing) this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  private tick(): void {
    const time = this.media.currentTime;
    this.clock.textContent = `${formatClock(time)} / ${formatClock(this.duration)}`;
    for (const listener of this.listeners) listener(time);
  }
}
