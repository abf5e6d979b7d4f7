/**
 * Continuous traces: press R (or Record) and the media plays while the pointer over the pad (a 1-D
 * slider or a 2-D valence × arousal square) or the arrow keys set the value; stopping resamples the
 * stretch to the schema's rate and replaces only that stretch. The trace is drawn as a curve in a
 * lane under the waveform.
 */

import { h } from "../../dom";
import type { Lane } from "../player";
import type { TraceField } from "../types";
import { fieldShell } from "./common";
import type { FieldContext } from "./context";
import { merge, resample, type Sample } from "./traceMath";

const claimed = new WeakSet<object>();
const SVG = "http://www.w3.org/2000/svg";
const KEY_STEP = 0.05;

export function renderTrace(field: TraceField, ctx: FieldContext): HTMLElement {
  const player = ctx.player;
  if (!player) return fieldShell(field, h("p", { className: "alert", text: "Traces need a video or audio item; this item has no media." }));
  const owner = !claimed.has(player);
  claimed.add(player);
  const dims = field.dimensions;
  const two = dims.length === 2;
  const title = field.label || field.name;
  const stored = ctx.state.get(field.name);
  let samples: Sample[] = Array.isArray(stored) ? (stored as Sample[]) : [];
  let current = dims.map((d) => (d.min + d.max) / 2);
  let recording = false;
  let raw: Sample[] = [];
  let lastDraw = 0;

  const dot = h("span", { className: "trace-dot", attrs: { "aria-hidden": "true" } });
  const pad = h(
    "div",
    {
      className: `trace-pad ${two ? "two" : "one"}`,
      attrs: { role: "slider", tabindex: "0", "aria-label": `${title}: move the pointer here while recording` },
      data: { field: field.name },
    },
    dot,
    h("span", { className: "trace-axis x", text: `${dims[0].label || dims[0].name} →` }),
    two ? h("span", { className: "trace-axis y", text: `${dims[1].label || dims[1].name} ↑` }) : null,
  );
  const readout = h("output", { className: "trace-readout" });
  const recordButton = h("button", { className: "button small record", attrs: { type: "button", "aria-pressed": "false" } });
  const clearButton = h("button", { className: "button ghost small", text: "Clear trace", attrs: { type: "button" } });
  const info = h("p", { className: "muted trace-info" });
  recordButton.disabled = clearButton.disabled = !ctx.editable;
  const lane: Lane = player.addLane(title, "trace-lane");
  lane.element.dataset.field = field.name;

  const paintPad = (): void => {
    const fx = (current[0] - dims[0].min) / (dims[0].max - dims[0].min);
    dot.style.left = `${fx * 100}%`;
    if (two) dot.style.top = `${(1 - (current[1] - dims[1].min) / (dims[1].max - dims[1].min)) * 100}%`;
    readout.value = dims.map((d, i) => `${d.label || d.name} ${current[i].toFixed(2)}`).join(" · ");
    pad.setAttribute("aria-valuetext", readout.value);
  };

  const draw = (): void => {
    const shown = recording ? merge(samples, resample(raw, field.rate_hz, player.duration), field.rate_hz) : samples;
    lane.svg.replaceChildren();
    dims.forEach((dim, i) => {
      const line = document.createElementNS(SVG, "polyline");
      line.setAttribute("class", `trace-line dim-${i}`);
      line.setAttribute("points", shown.map((s) => `${s[0]},${(100 - ((s[i + 1] - dim.min) / (dim.max - dim.min)) * 100).toFixed(2)}`).join(" "));
      line.setAttribute("vector-effect", "non-scaling-stroke");
      lane.svg.append(line);
    });
    const span = samples.length ? `${samples[0][0].toFixed(2)}–${samples[samples.length - 1][0].toFixed(2)} s` : "nothing yet";
    info.textContent = `${samples.length} samples at ${field.rate_hz} Hz (${span}). Gaps between recorded stretches are bridged by a straight line.`;
  };

  const paintRecord = (): void => {
    recordButton.textContent = recording ? "■ Stop recording (R)" : "● Record (R)";
    recordButton.setAttribute("aria-pressed", String(recording));
    pad.classList.toggle("recording", recording);
  };

  const flushRaw = (): void => {
    if (!raw.length) return;
    samples = merge(samples, resample(raw, field.rate_hz, player.duration), field.rate_hz);
    raw = [];
    ctx.state.set(field.name, samples.length ? samples : undefined);
  };

  const start = (): void => {
    if (!ctx.editable || recording) return;
    recording = true;
    raw = [];
    paintRecord();
    player.play();
  };
  const stop = (): void => {
    if (!recording) return;
    recording = false;
    flushRaw();
    paintRecord();
    draw();
  };
  const toggle = (): void => (recording ? stop() : start());

  player.onTime((time) => {
    if (!recording || !player.playing) return;
    const previous = raw[raw.length - 1];
    if (previous && time < previous[0] - 0.001) flushRaw(); // a seek backwards starts a new stretch
    else if (previous && time <= previous[0]) return;
    raw.push([time, ...current]);
    if (performance.now() - lastDraw > 200) {
      lastDraw = performance.now();
      draw();
    }
  });
  player.media.addEventListener("pause", stop);
  player.media.addEventListener("ended", stop);

  const fromPointer = (event: PointerEvent): void => {
    const box = pad.getBoundingClientRect();
    const fx = Math.max(0, Math.min(1, (event.clientX - box.left) / box.width));
    current[0] = dims[0].min + fx * (dims[0].max - dims[0].min);
    if (two) {
      const fy = Math.max(0, Math.min(1, (event.clientY - box.top) / box.height));
      current[1] = dims[1].min + (1 - fy) * (dims[1].max - dims[1].min);
    }
    paintPad();
  };
  pad.addEventListener("pointermove", fromPointer);
  pad.addEventListener("pointerdown", fromPointer);

  const nudge = (index: number, direction: 1 | -1): boolean => {
    if (!recording || index >= dims.length) return false;
    const dim = dims[index];
    current[index] = Math.max(dim.min, Math.min(dim.max, current[index] + direction * KEY_STEP * (dim.max - dim.min)));
    paintPad();
    return true;
  };
  recordButton.addEventListener("click", toggle);
  clearButton.addEventListener("click", () => {
    stop();
    samples = [];
    ctx.state.set(field.name, undefined);
    draw();
  });

  if (owner) {
    const group = "Trace";
    ctx.shortcuts.add({ keys: "R", label: `Start or stop recording “${title}” (the media plays)`, group, run: () => (ctx.editable ? toggle() : false) });
    const valueAxis = two ? 1 : 0;
    ctx.shortcuts.add({ keys: "ArrowUp", label: `While recording: raise ${dims[valueAxis].label || dims[valueAxis].name}`, group, priority: 20, run: () => nudge(valueAxis, 1) });
    ctx.shortcuts.add({ keys: "ArrowDown", label: `While recording: lower ${dims[valueAxis].label || dims[valueAxis].name}`, group, priority: 20, run: () => nudge(valueAxis, -1) });
    if (two) {
      ctx.shortcuts.add({ keys: "ArrowRight", label: `While recording: raise ${dims[0].label || dims[0].name}`, group, priority: 20, run: () => nudge(0, 1) });
      ctx.shortcuts.add({ keys: "ArrowLeft", label: `While recording: lower ${dims[0].label || dims[0].name}`, group, priority: 20, run: () => nudge(0, -1) });
    }
  }

  paintPad();
  paintRecord();
  draw();
  return fieldShell(field, pad, readout, h("div", { className: "trace-tools" }, recordButton, clearButton), info);
}
