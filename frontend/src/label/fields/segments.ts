/**
 * Segments on the timeline. Create by dragging on the waveform, by S at the playhead (press once for
 * the start, again for the end) or with "Add at playhead"; edit by dragging a region or its edges,
 * or with I/O (start/end to the playhead); the class by click or key; N/P jump between segments,
 * L loops the selected one, Delete removes it.
 */

import { h } from "../../dom";
import type { Region } from "wavesurfer.js/dist/plugins/regions.esm.js";
import { formatClock, ms } from "../time";
import type { ClassDef, SegmentsField } from "../types";
import { classTitle } from "../types";
import { classColour, fieldShell } from "./common";
import { DIGITS, type FieldContext } from "./context";
import { nextSegmentIndex, segmentProblem, sortSegments, type Segment } from "./segmentMath";

const claimedPlayers = new WeakSet<object>();

export function renderSegments(field: SegmentsField, ctx: FieldContext): HTMLElement {
  const player = ctx.player;
  if (!player) {
    return fieldShell(field, h("p", { className: "alert", text: "Segments need a video or audio item; this item has no media." }));
  }
  const owner = !claimedPlayers.has(player);
  claimedPlayers.add(player);
  const title = field.label || field.name;
  const stored = ctx.state.get(field.name);
  let segments: Segment[] = Array.isArray(stored) ? sortSegments(stored as Segment[]) : [];
  let selected: number | null = null;
  let currentClass = field.classes[0]?.id ?? "";
  let markIn: number | null = null;
  let looping = false;
  let syncing = false;
  let ours: Region[] = [];
  const regionIndex = new Map<Region, number>();
  const classIndex = (id: string): number => Math.max(0, field.classes.findIndex((c) => c.id === id));
  const classOf = (id: string): ClassDef | undefined => field.classes.find((c) => c.id === id);
  const rules = { overlap: field.overlap ?? false, minDuration: field.min_duration_s, duration: player.duration };

  const table = h("table", { className: "segment-table" });
  const palette = h("div", { className: "class-buttons", attrs: { role: "group", "aria-label": `${title} classes` } });
  const markNote = h("p", { className: "muted mark-note", attrs: { "aria-live": "polite" } });

  const save = (next: Segment[], select: Segment | null = null): void => {
    segments = sortSegments(next);
    selected = select ? segments.indexOf(select) : null;
    ctx.state.set(field.name, segments.length ? segments.map((s) => ({ ...s })) : undefined);
    sync();
  };

  const tryPut = (candidate: Segment, replacing: number | null): boolean => {
    const others = segments.filter((_, i) => i !== replacing);
    const problem = segmentProblem(candidate, others, rules);
    if (problem) {
      ctx.notify(problem, "error");
      sync();
      return false;
    }
    save([...others, candidate], candidate);
    return true;
  };

  const sync = (): void => {
    syncing = true;
    for (const region of ours) region.remove();
    ours = [];
    regionIndex.clear();
    segments.forEach((segment, index) => {
      const cls = classOf(segment.class);
      const region = player.regions.addRegion({
        id: `${field.name}-${index}`,
        start: segment.start,
        end: segment.end,
        color: classColour(classIndex(segment.class), index === selected ? 0.55 : 0.25),
        content: cls ? classTitle(cls) : segment.class,
        drag: ctx.editable,
        resize: ctx.editable,
      });
      ours.push(region);
      regionIndex.set(region, index);
    });
    syncing = false;
    paintTable();
    paintPalette();
  };

  const select = (index: number | null, seek = false): void => {
    selected = index;
    if (index !== null && seek) player.seek(segments[index].start);
    sync();
  };

  const setClass = (id: string): void => {
    currentClass = id;
    if (selected !== null && ctx.editable) {
      const segment = segments[selected];
      const next = { ...segment, class: id };
      delete next.intensity;
      save(segments.map((s) => (s === segment ? next : s)), next);
    } else paintPalette();
  };

  const remove = (index: number): void => {
    if (!ctx.editable) return;
    looping = false;
    save(segments.filter((_, i) => i !== index));
  };

  const setEdge = (edge: "start" | "end"): boolean => {
    if (selected === null || !ctx.editable) return false;
    const candidate = { ...segments[selected], [edge]: ms(player.time) };
    tryPut(candidate, selected);
    return true;
  };

  const addAt = (start: number, end: number): void => {
    if (!ctx.editable) return;
    tryPut({ start: ms(start), end: ms(end), class: currentClass }, null);
  };

  const mark = (): void => {
    if (!ctx.editable) return;
    const now = player.time;
    if (markIn === null) {
      markIn = now;
      markNote.textContent = `Start marked at ${formatClock(now)}; press S again at the end.`;
      return;
    }
    const [start, end] = markIn < now ? [markIn, now] : [now, markIn];
    markIn = null;
    markNote.textContent = "";
    addAt(start, end);
  };

  const toggleLoop = (): boolean => {
    if (selected === null) return false;
    looping = !looping;
    if (looping) {
      player.seek(segments[selected].start);
      player.play();
    }
    paintTable();
    return true;
  };

  player.onTime((time) => {
    if (!looping || selected === null) return;
    const segment = segments[selected];
    if (segment && time >= segment.end) player.seek(segment.start);
  });

  player.regions.on("region-created", (region) => {
    if (syncing || ours.includes(region) || !owner) return;
    if (!region.id.startsWith("region-")) return; // another field's region, not a drag on the waveform
    const start = region.start;
    const end = region.end;
    region.remove();
    addAt(start, end);
  });
  player.regions.on("region-updated", (region) => {
    const index = regionIndex.get(region);
    if (index === undefined) return;
    tryPut({ ...segments[index], start: ms(region.start), end: ms(region.end) }, index);
  });
  player.regions.on("region-clicked", (region) => {
    const index = regionIndex.get(region);
    if (index !== undefined && index !== selected) {
      selected = index;
      window.setTimeout(sync, 0);
    }
  });
  if (owner && ctx.editable) player.regions.enableDragSelection({ color: "rgba(79, 70, 229, 0.2)" }, 4);

  const paintPalette = (): void => {
    palette.replaceChildren();
    field.classes.forEach((cls, index) => {
      const active = selected !== null ? segments[selected]?.class === cls.id : cls.id === currentClass;
      const button = h(
        "button",
        { className: "class-button", attrs: { type: "button", "aria-pressed": String(active) }, data: { class: cls.id } },
        h("span", { className: "swatch", attrs: { "aria-hidden": "true" } }),
        classTitle(cls),
        owner && index < 9 ? h("span", { className: "key-hint", text: cls.key ?? DIGITS[index] }) : null,
      );
      button.querySelector<HTMLElement>(".swatch")!.style.background = classColour(index, 1);
      button.disabled = !ctx.editable;
      button.addEventListener("click", () => setClass(cls.id));
      palette.append(button);
    });
  };

  const paintTable = (): void => {
    table.replaceChildren(
      h("thead", {}, h("tr", {}, ...["#", "Start", "End", "Class", ""].map((text) => h("th", { text, attrs: { scope: "col" } })))),
    );
    const body = h("tbody");
    segments.forEach((segment, index) => {
      const cls = classOf(segment.class);
      const loop = h("button", {
        className: "button ghost small",
        text: looping && index === selected ? "Stop loop" : "Loop",
        attrs: { type: "button" },
      });
      loop.addEventListener("click", (event) => {
        event.stopPropagation();
        if (selected !== index) select(index);
        toggleLoop();
      });
      const del = h("button", { className: "button ghost small", text: "Delete", attrs: { type: "button", "aria-label": `Delete segment ${index + 1}` } });
      del.disabled = !ctx.editable;
      del.addEventListener("click", (event) => {
        event.stopPropagation();
        remove(index);
      });
      const row = h(
        "tr",
        { className: index === selected ? "selected" : "", data: { index: String(index) } },
        h("td", { text: String(index + 1) }),
        h("td", { className: "num seg-start", text: formatClock(segment.start) }),
        h("td", { className: "num seg-end", text: formatClock(segment.end) }),
        h("td", { className: "seg-class", text: cls ? classTitle(cls) : segment.class }),
        h("td", { className: "seg-actions" }, loop, del),
      );
      row.addEventListener("click", () => select(index, true));
      body.append(row);
    });
    table.append(body);
    if (!segments.length) {
      table.append(h("tbody", {}, h("tr", {}, h("td", { className: "muted", text: "No segments yet: drag on the waveform, or press S at the start and again at the end.", attrs: { colspan: "5" } }))));
    }
  };

  const addButton = h("button", { className: "button ghost small", text: "Add at playhead", attrs: { type: "button" } });
  addButton.disabled = !ctx.editable;
  addButton.addEventListener("click", () => addAt(player.time, Math.min(player.duration || player.time + 1, player.time + 1)));

  if (owner) {
    const group = "Segments";
    const add = (keys: string, label: string, run: () => boolean | void, priority = 5): void =>
      ctx.shortcuts.add({ keys, label, group, run, priority });
    add("S", "Mark a segment's start, then its end, at the playhead", () => (ctx.editable ? mark() : false));
    add("I", "Move the selected segment's start to the playhead", () => setEdge("start"));
    add("O", "Move the selected segment's end to the playhead", () => setEdge("end"));
    add("N", "Jump to the next segment", () => {
      const index = nextSegmentIndex(segments, player.time, 1);
      if (index === null) return false;
      select(index, true);
    });
    add("P", "Jump to the previous segment", () => {
      const index = nextSegmentIndex(segments, player.time, -1);
      if (index === null) return false;
      select(index, true);
    });
    add("L", "Loop the selected segment (again to stop)", toggleLoop);
    add("Delete", "Delete the selected segment", () => (selected === null ? false : remove(selected)));
    add("Backspace", "Delete the selected segment", () => (selected === null ? false : remove(selected)));
    add("Escape", "Deselect the segment, cancel a mark", () => {
      if (selected === null && markIn === null) return false;
      markIn = null;
      markNote.textContent = "";
      looping = false;
      select(null);
    });
    field.classes.forEach((cls, index) => {
      const keys = cls.key ?? (index < 9 ? DIGITS[index] : "");
      if (!keys) return;
      ctx.shortcuts.add({
        keys,
        label: `With a segment selected: class “${classTitle(cls)}”`,
        group,
        priority: 10,
        run: () => (selected === null || !ctx.editable ? false : setClass(cls.id)),
      });
    });
  }

  sync();
  player.ws.on("ready", () => sync());
  return fieldShell(field, palette, h("div", { className: "segment-tools" }, addButton, markNote), table);
}
