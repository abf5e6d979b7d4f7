/**
 * Annotation values as plain text lines, field by field, for a reviewer to read.
 *
 * Everything here produces strings that the page inserts with textContent, never markup: values
 * are whatever an annotator typed, so a label like `<img onerror=…>` must stay visible text.
 * Values that do not fit the expected shape (an older schema version, a field since removed)
 * fall back to their JSON, so nothing an annotator stored is hidden from review.
 */

import type { SchemaDefinition, SchemaField } from "./types";

export interface FieldText {
  name: string;
  label: string;
  lines: string[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

export function clockTime(seconds: unknown): string {
  if (!isNumber(seconds)) return "?";
  const sign = seconds < 0 ? "-" : "";
  const ms = Math.round(Math.abs(seconds) * 1000);
  const minutes = Math.floor(ms / 60000);
  const rest = ((ms % 60000) / 1000).toFixed(3).padStart(6, "0");
  return `${sign}${minutes}:${rest}`;
}

function number(value: unknown): string {
  if (!isNumber(value)) return JSON.stringify(value) ?? String(value);
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

function classLabel(field: SchemaField, id: unknown): string {
  const found = field.classes?.find((c) => c.id === id);
  if (found) return found.label || found.id;
  return typeof id === "string" ? id : JSON.stringify(id);
}

function intensity(value: unknown): string {
  return value === undefined || value === null ? "" : ` (intensity ${number(value)})`;
}

function categorical(field: SchemaField, value: unknown): string {
  if (!isObject(value)) return JSON.stringify(value);
  if ("distribution" in value && isObject(value.distribution)) {
    const shares = Object.entries(value.distribution)
      .filter(([, p]) => isNumber(p))
      .sort((a, b) => (b[1] as number) - (a[1] as number))
      .map(([id, p]) => `${classLabel(field, id)} ${Math.round((p as number) * 1000) / 10}%`);
    return shares.join(", ") || "no classes";
  }
  if ("classes" in value && Array.isArray(value.classes)) {
    const levels = isObject(value.intensity) ? value.intensity : {};
    const chosen = value.classes.map((id) => `${classLabel(field, id)}${intensity(levels[String(id)])}`);
    return chosen.join(", ") || "none";
  }
  if ("class" in value) return `${classLabel(field, value.class)}${intensity(value.intensity)}`;
  return JSON.stringify(value);
}

function dimensional(value: unknown): string {
  if (!isObject(value)) return JSON.stringify(value);
  return Object.entries(value)
    .map(([name, rating]) => `${name} ${number(rating)}`)
    .join(", ");
}

function facs(value: unknown): string {
  if (!isObject(value)) return JSON.stringify(value);
  const units = Object.entries(value).map(([code, level]) => (level === true ? code : `${code} ${String(level)}`));
  return units.join(", ") || "no action units";
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(String).join(", ");
  return JSON.stringify(value);
}

function itemValue(field: SchemaField, value: unknown): string {
  switch (field.kind) {
    case "categorical":
      return categorical(field, value);
    case "dimensional":
      return dimensional(value);
    case "facs":
      return facs(value);
    case "text":
      return text(value);
    default:
      return JSON.stringify(value);
  }
}

function segments(field: SchemaField, value: unknown): string[] {
  if (!Array.isArray(value)) return [JSON.stringify(value)];
  if (!value.length) return ["no segments"];
  return value.map((span) => {
    if (!isObject(span)) return JSON.stringify(span);
    return `${clockTime(span.start)}–${clockTime(span.end)} ${classLabel(field, span.class)}${intensity(span.intensity)}`;
  });
}

function trace(field: SchemaField, value: unknown): string[] {
  if (!Array.isArray(value)) return [JSON.stringify(value)];
  const samples = value.filter((s): s is number[] => Array.isArray(s) && s.every(isNumber));
  if (!samples.length) return ["no samples"];
  const first = samples[0] as number[];
  const last = samples[samples.length - 1] as number[];
  const lines = [`${samples.length} samples from ${clockTime(first[0])} to ${clockTime(last[0])}`];
  const dimensions = field.dimensions ?? [];
  for (let d = 1; d < first.length; d += 1) {
    const column = samples.map((s) => s[d] as number);
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    const name = dimensions[d - 1]?.name ?? `dimension ${d}`;
    lines.push(`${name}: mean ${number(mean)}, from ${number(Math.min(...column))} to ${number(Math.max(...column))}`);
  }
  return lines;
}

function timed(field: SchemaField, value: unknown): string[] {
  if (!Array.isArray(value)) return [JSON.stringify(value)];
  if (!value.length) return ["no spans"];
  return value.map((span) =>
    isObject(span)
      ? `${clockTime(span.start)}–${clockTime(span.end)} ${itemValue(field, span.value)}`
      : JSON.stringify(span),
  );
}

export function fieldLines(field: SchemaField, value: unknown): string[] {
  if (field.kind === "segments") return segments(field, value);
  if (field.kind === "trace") return trace(field, value);
  if (field.scope === "time") return timed(field, value);
  return [itemValue(field, value)];
}

/** Every field of the schema that has a value, in schema order, then any values it does not name. */
export function describeValues(definition: SchemaDefinition | null, values: unknown): FieldText[] {
  if (!isObject(values)) return [{ name: "", label: "Values", lines: [JSON.stringify(values)] }];
  const fields = definition?.fields ?? [];
  const shown: FieldText[] = [];
  for (const field of fields) {
    if (!(field.name in values)) continue;
    let lines: string[];
    try {
      lines = fieldLines(field, values[field.name]);
    } catch {
      lines = [JSON.stringify(values[field.name])];
    }
    shown.push({ name: field.name, label: field.label || field.name, lines });
  }
  const known = new Set(fields.map((f) => f.name));
  for (const [name, value] of Object.entries(values)) {
    if (!known.has(name)) shown.push({ name, label: name, lines: [JSON.stringify(value)] });
  }
  return shown;
}
