/** Shapes of the workspace endpoint and of label-schema fields, as the backend defines them. */

export interface ScaleLabel {
  value: number;
  label: string;
}

export interface Scale {
  min: number;
  max: number;
  step?: number | null;
  labels?: ScaleLabel[];
}

export interface ClassDef {
  id: string;
  label?: string;
  description?: string;
  key?: string;
  intensity?: Scale | null;
}

interface FieldCommon {
  name: string;
  scope: "item" | "time";
  label?: string;
  description?: string;
  required?: boolean;
  window_s?: number;
}

export interface CategoricalField extends FieldCommon {
  kind: "categorical";
  mode: "hard" | "multi" | "soft";
  classes: ClassDef[];
  intensity?: Scale | null;
}

export interface Rating extends Scale {
  name: string;
  label?: string;
  description?: string;
}

export interface DimensionalField extends FieldCommon {
  kind: "dimensional";
  ratings: Rating[];
}

export interface SegmentsField extends FieldCommon {
  kind: "segments";
  classes: ClassDef[];
  intensity?: Scale | null;
  overlap?: boolean;
  min_duration_s?: number;
}

export interface TraceDimension {
  name: string;
  min: number;
  max: number;
  label?: string;
  description?: string;
}

export interface TraceField extends FieldCommon {
  kind: "trace";
  rate_hz: number;
  dimensions: TraceDimension[];
}

export interface FacsUnit {
  code: string;
  label?: string;
  description?: string;
  intensity?: boolean;
}

export interface FacsField extends FieldCommon {
  kind: "facs";
  units: FacsUnit[];
}

export interface TextField extends FieldCommon {
  kind: "text";
  format?: "free" | "tags";
  min_length?: number;
  max_length?: number;
  min_tags?: number;
  max_tags?: number;
}

export type Field = CategoricalField | DimensionalField | SegmentsField | TraceField | FacsField | TextField;

export interface SchemaDefinition {
  title?: string;
  description?: string;
  fields: Field[];
  context?: { dialogue_turns_before?: number; show_speaker?: boolean; show_metadata?: string[] };
}

export type Values = Record<string, unknown>;

export interface Revision {
  number: number;
  values: Values;
  submitted: boolean;
}

export interface TrackSummary {
  id: number;
  kind: string;
  prelabeler: string;
  version: string;
  sample_rate: number | null;
  duration_seconds: number | null;
  columns: { name: string; type: string }[];
  row_count: number;
}

export interface WorkspaceItem {
  id: number;
  kind: "video" | "audio" | "text" | "unknown";
  original_name: string;
  duration_seconds: number | null;
  text: string;
  speaker: string;
  dialogue_id: string;
  turn: number | null;
  start_seconds: number | null;
  end_seconds: number | null;
  metadata: Record<string, unknown>;
  files: { proxy?: string; audio?: string; peaks?: string; poster?: string };
  fps: number | null;
}

export interface Workspace {
  assignment: { id: number; project: number; annotator: string; state: string; review_comment: string };
  editable: boolean;
  item: WorkspaceItem;
  context: { id: number; turn: number | null; speaker: string; text: string }[];
  schema: { version: number; definition: SchemaDefinition } | null;
  latest: Revision | null;
  progress: { done: number; total: number };
  previous: number | null;
  next: number | null;
  tracks: TrackSummary[];
}

export interface TrackWindow {
  track: number;
  start: number | null;
  end: number | null;
  total_rows: number;
  stride: number;
  columns: string[];
  rows: Record<string, unknown>[];
}

export function fieldTitle(field: { name: string; label?: string }): string {
  return field.label || field.name;
}

export function classTitle(cls: ClassDef): string {
  return cls.label || cls.id;
}
