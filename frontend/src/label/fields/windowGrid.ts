/**
 * Hard categorical labels on a fixed window grid ("scope": "time" with "window_s"), the way
 * CALMED-style corpora are coded: the media is cut into windows, shown as a strip of cells in a
 * lane under the waveform (so it zooms and scrolls with it), and the window under the playhead is
 * the current one. A class key labels it, while the media plays (hold the key to label every
 * window that passes) or paused (then the grid steps on to the next window); A/D step window by
 * window, U jumps to the next unlabeled one; dragging on the strip paints the chosen class (or the
 * eraser) over a range, a click goes to that window.
 *
 * The strip is one canvas as wide as the visible part of the timeline and draws only the windows
 * in view, joined into runs, so an hour of 200 ms windows (18,000 cells) costs no more than a
 * minute of them.
 */

import { h } from "../../dom";
import { formatClock } from "../time";
import type { CategoricalField } from "../types";
import { classTitle } from "../types";
import { classColour, fieldShell } from "./common";
import { DIGITS, type FieldContext } from "./context";
import { UNLABELED, WindowCells } from "./windowMath";

const claimedPlayers = new WeakSet<object>();
const UNLABELED_FILL = "#eef0f5";
const GAP_MARK = "rgba(192, 54, 44, 0.7)";
const DRAG_PX = 3;
const MIN_CELL_LINES_PX = 6;

export type WindowedField = CategoricalField & { window_s: number };

/** The window grid handles hard labels on a declared window; other time-scoped fields do not. */
export function isWindowGrid(field: CategoricalField): field is WindowedField {
  return field.mode === "hard" && typeof field.window_s === "number" && field.window_s > 0;
}

interface Drag {
  pointer: number;
  x0: number;
  from: number;
  to: number;
  moved: boolean;
}

export function renderWindowGrid(field: WindowedField, ctx: FieldContext, fallback: () => HTMLElement): HTMLElement {
  const player = ctx.player;
  if (!player || !(player.duration > 0)) return fallback();
  const owner = !claimedPlayers.has(player);
  claimedPlayers.add(player);
  const title = field.label || field.name;
  const cells = new WindowCells(field.window_s, player.duration);
  cells.load(ctx.state.get(field.name));
  const classCodes = field.classes.map((cls) => cells.code({ class: cls.id }));
  // Digits are a shared resource: claim them only when some class has no key of its own.
  const digits = field.classes.some((cls) => !cls.key) && ctx.claimDigits();
  let brush = classCodes[0] ?? UNLABELED;
  let current = cells.indexAt(player.time);
  let drag: Drag | null = null;
  let frame = 0;
  let lastPlayheadPx = -1;
  let view = { t0: 0, pxPerSec: 0 };

  // --- the strip ---------------------------------------------------------------------------------
  const lane = player.addLane(title, "window-lane");
  lane.svg.remove();
  const canvas = h("canvas", {
    className: "window-canvas",
    attrs: { role: "img", "aria-label": `${title}: one cell per ${field.window_s} s window` },
  });
  lane.element.append(canvas);
  lane.element.dataset.field = field.name;
  lane.element.dataset.windows = String(cells.count);

  const colourOf = (code: number): string => {
    const value = cells.valueOf(code) as { class?: string } | undefined;
    const index = field.classes.findIndex((cls) => cls.id === value?.class);
    return index < 0 ? "#64748b" : classColour(index, 0.85);
  };

  const schedule = (): void => {
    if (!frame) frame = requestAnimationFrame(draw);
  };

  function draw(): void {
    frame = 0;
    const wrapper = player!.ws.getWrapper();
    const total = wrapper.scrollWidth || wrapper.clientWidth || lane.element.clientWidth;
    const scroll = Math.max(0, player!.ws.getScroll());
    const width = Math.max(0, Math.min(player!.ws.getWidth() || total, total - scroll));
    const height = lane.element.clientHeight;
    if (!total || !width || !height) return;
    const pxPerSec = total / cells.duration;
    view = { t0: scroll / pxPerSec, pxPerSec };
    canvas.style.left = `${scroll}px`;
    canvas.style.width = `${width}px`;
    const ratio = window.devicePixelRatio || 1;
    const pixelWidth = Math.round(width * ratio);
    const pixelHeight = Math.round(height * ratio);
    if (canvas.width !== pixelWidth) canvas.width = pixelWidth;
    if (canvas.height !== pixelHeight) canvas.height = pixelHeight;
    const g = canvas.getContext("2d");
    if (!g) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const first = cells.indexAt(view.t0);
    const last = cells.indexAt(view.t0 + width / pxPerSec);
    const x = (time: number): number => (time - view.t0) * pxPerSec;
    const top = 14;
    const body = height - top - 2;
    const gaps: number[] = [];

    for (let i = first; i <= last; ) {
      const code = cells.codes[i];
      let j = i + 1;
      while (j <= last && cells.codes[j] === code) j++;
      const left = x(cells.start(i));
      const right = x(cells.end(j - 1));
      g.fillStyle = code === UNLABELED ? UNLABELED_FILL : colourOf(code);
      g.fillRect(left, top, right - left, body);
      if (code === UNLABELED) gaps.push(left, right);
      i = j;
    }
    // Gaps are marked after the runs, at least a pixel wide, so a single unlabeled window stays
    // visible on a zoomed-out hour.
    g.fillStyle = GAP_MARK;
    for (let k = 0; k < gaps.length; k += 2) {
      const left = gaps[k];
      const wide = Math.max(1, gaps[k + 1] - left);
      g.fillRect(left, top + body - 4, wide, 4);
      if (wide < 2) g.fillRect(left, top, 1, body);
    }
    if (field.window_s * pxPerSec >= MIN_CELL_LINES_PX) {
      g.fillStyle = "rgba(255, 255, 255, 0.9)";
      for (let i = first + 1; i <= last; i++) g.fillRect(Math.round(x(cells.start(i))), top, 1, body);
    }
    if (drag && drag.moved) {
      const low = Math.min(drag.from, drag.to);
      const high = Math.max(drag.from, drag.to);
      const left = x(cells.start(low));
      const right = x(cells.end(high));
      g.fillStyle = brush === UNLABELED ? UNLABELED_FILL : colourOf(brush);
      g.fillRect(left, top, right - left, body);
      g.strokeStyle = "#1b2130";
      g.setLineDash([4, 3]);
      g.strokeRect(left + 0.5, top + 0.5, right - left - 1, body - 1);
      g.setLineDash([]);
    }
    const curLeft = x(cells.start(current));
    const curWidth = Math.max(3, x(cells.end(current)) - curLeft);
    g.strokeStyle = "#1b2130";
    g.lineWidth = 2;
    g.strokeRect(curLeft + 1, top + 1, curWidth - 2, body - 2);
    g.lineWidth = 1;
    const playhead = x(player!.time);
    g.fillStyle = "#c0362c";
    g.fillRect(Math.round(playhead) - 1, 0, 2, height);
    lastPlayheadPx = Math.round(playhead);
    lane.element.dataset.firstVisible = String(first);
    lane.element.dataset.lastVisible = String(last);
  }

  const indexAtPointer = (event: PointerEvent): number => {
    const box = canvas.getBoundingClientRect();
    const px = Math.max(0, Math.min(box.width - 0.01, event.clientX - box.left));
    return cells.indexAt(view.t0 + px / (view.pxPerSec || 1));
  };

  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !view.pxPerSec) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    const index = indexAtPointer(event);
    drag = { pointer: event.pointerId, x0: event.clientX, from: index, to: index, moved: false };
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    if (!drag.moved && Math.abs(event.clientX - drag.x0) < DRAG_PX) return;
    if (!ctx.editable) return;
    drag.moved = true;
    drag.to = indexAtPointer(event);
    schedule();
  });
  const endDrag = (event: PointerEvent, cancelled: boolean): void => {
    if (!drag || event.pointerId !== drag.pointer) return;
    const done = drag;
    drag = null;
    if (cancelled) return schedule();
    if (done.moved && ctx.editable) {
      cells.fill(brush, done.from, indexAtPointer(event));
      commit();
    } else goTo(done.from);
  };
  canvas.addEventListener("pointerup", (event) => endDrag(event, false));
  canvas.addEventListener("pointercancel", (event) => endDrag(event, true));

  // --- the panel in the form ---------------------------------------------------------------------
  const info = h("p", { className: "window-info" });
  const counts = h("p", { className: "muted window-counts" });
  const misfit = h("p", { className: "alert", attrs: { hidden: "" } });
  const palette = h("div", { className: "class-buttons", attrs: { role: "group", "aria-label": `${title} classes` } });
  const brushButtons = new Map<number, HTMLButtonElement>();

  const keyOf = (index: number): string => field.classes[index].key ?? (digits && index < 9 ? DIGITS[index] : "");

  field.classes.forEach((cls, index) => {
    const hint = keyOf(index);
    const button = h(
      "button",
      { className: "class-button", attrs: { type: "button", "aria-pressed": "false", title: cls.description ?? "" }, data: { class: cls.id } },
      h("span", { className: "swatch", attrs: { "aria-hidden": "true" } }),
      classTitle(cls),
      hint ? h("span", { className: "key-hint", text: hint }) : null,
    );
    button.querySelector<HTMLElement>(".swatch")!.style.background = classColour(index, 1);
    button.disabled = !ctx.editable;
    button.addEventListener("click", () => labelCurrent(classCodes[index]));
    brushButtons.set(classCodes[index], button);
    palette.append(button);
  });
  const eraser = h(
    "button",
    { className: "class-button eraser", attrs: { type: "button", "aria-pressed": "false", title: "Clear the current window; drag to clear a range" }, data: { class: "" } },
    h("span", { className: "swatch unlabeled", attrs: { "aria-hidden": "true" } }),
    "Unlabeled",
  );
  eraser.disabled = !ctx.editable;
  eraser.addEventListener("click", () => labelCurrent(UNLABELED));
  brushButtons.set(UNLABELED, eraser);
  palette.append(eraser);

  const navButton = (text: string, label: string, run: () => void): HTMLButtonElement => {
    const button = h("button", { className: "button ghost small", text, attrs: { type: "button", "aria-label": label } });
    button.addEventListener("click", run);
    return button;
  };
  const nav = h(
    "div",
    { className: "window-nav" },
    navButton("◀ Window", "Previous window", () => step(-1)),
    navButton("Window ▶", "Next window", () => step(1)),
    navButton("Next unlabeled", "Next unlabeled window", () => nextUnlabeled()),
  );

  const paintPanel = (): void => {
    const value = cells.at(current) as { class?: string } | undefined;
    const cls = field.classes.find((c) => c.id === value?.class);
    const what = value === undefined ? "unlabeled" : cls ? classTitle(cls) : String(value.class);
    info.textContent = `Window ${(current + 1).toLocaleString("en")} of ${cells.count.toLocaleString("en")} (${formatClock(cells.start(current))}–${formatClock(cells.end(current))}): ${what}`;
    const open = cells.unlabeledCount();
    counts.textContent = open ? `${open.toLocaleString("en")} of ${cells.count.toLocaleString("en")} windows unlabeled` : `All ${cells.count.toLocaleString("en")} windows labeled`;
    for (const [code, button] of brushButtons) button.setAttribute("aria-pressed", String(code === brush));
    lane.element.dataset.current = String(current);
    lane.element.dataset.unlabeled = String(open);
    if (cells.misfits.length) {
      misfit.hidden = false;
      misfit.textContent = `${cells.misfits.length} saved span(s) do not fit this ${field.window_s} s grid; they are not shown and are replaced at the next edit.`;
    }
  };

  const commit = (): void => {
    const spans = cells.spans();
    cells.misfits.length = 0;
    misfit.hidden = true;
    ctx.state.set(field.name, spans.length ? spans : undefined);
    paintPanel();
    schedule();
  };

  const setCurrent = (index: number): void => {
    current = index;
    paintPanel();
    schedule();
  };

  function goTo(index: number): void {
    const target = Math.max(0, Math.min(cells.count - 1, index));
    player!.seek(cells.start(target));
    setCurrent(target);
  }

  function step(direction: 1 | -1): void {
    player!.media.pause();
    goTo(current + direction);
  }

  function nextUnlabeled(): boolean {
    const index = cells.nextUnlabeled(current);
    if (index === null) {
      ctx.notify(`Every window of “${title}” has a label.`);
      return false;
    }
    player!.media.pause();
    goTo(index);
    return true;
  }

  function labelCurrent(code: number): boolean {
    if (!ctx.editable) return false;
    brush = code;
    const index = player!.playing ? cells.indexAt(player!.time) : current;
    cells.fill(code, index, index);
    commit();
    if (code !== UNLABELED && !player!.playing && index < cells.count - 1) goTo(index + 1);
    return true;
  }

  player.onTime((time) => {
    const index = cells.indexAt(time);
    if (index !== current) setCurrent(index);
    else if (view.pxPerSec && Math.round((time - view.t0) * view.pxPerSec) !== lastPlayheadPx) schedule();
  });
  player.onView(schedule);
  player.ws.on("redraw", schedule);
  new ResizeObserver(schedule).observe(lane.element);

  // --- keys --------------------------------------------------------------------------------------
  const group = `Windows (${title})`;
  field.classes.forEach((cls, index) => {
    const keys = keyOf(index);
    if (!keys) return;
    ctx.shortcuts.add({
      keys,
      label: `Label the current window “${classTitle(cls)}” (when paused, then go to the next)`,
      group,
      run: () => labelCurrent(classCodes[index]),
    });
  });
  if (owner) {
    ctx.shortcuts.add({ keys: "A", label: "Previous window (pauses)", group, run: () => step(-1) });
    ctx.shortcuts.add({ keys: "D", label: "Next window (pauses)", group, run: () => step(1) });
    ctx.shortcuts.add({ keys: "U", label: "Next unlabeled window", group, run: () => nextUnlabeled() });
    for (const keys of ["Delete", "Backspace"]) {
      ctx.shortcuts.add({ keys, label: "Clear the current window's label", group, run: () => labelCurrent(UNLABELED) });
    }
  }

  paintPanel();
  schedule();
  player.ws.on("ready", schedule);
  return fieldShell(
    field,
    palette,
    nav,
    info,
    counts,
    misfit,
    h("p", { className: "muted window-help", text: "Drag on the strip under the waveform to paint the chosen class over a range; click a cell to go to it." }),
  );
}
