/** The release API's shapes (contract §3) and the agreement report (contract §4), as the pages use them. */

export type VersionState = "queued" | "building" | "ready" | "failed";

export interface VersionDiff {
  previous: string | null;
  items_added: Array<string | number>;
  items_removed: Array<string | number>;
  items_changed: Array<string | number>;
  label_changes: number;
  labels_added?: number;
  labels_removed?: number;
  summary: string;
}

export interface DatasetVersion {
  id: number;
  project: number;
  version: string;
  state: VersionState;
  progress: number;
  progress_message: string;
  error: string;
  notes: string;
  filters: Record<string, unknown>;
  include_media: string;
  seed: number;
  created_by: string | number | null;
  created_at: string;
  built_at: string | null;
  counts: { items: number; annotators: number; annotations: number } | null;
  files: Array<{ path: string; bytes: number; sha256: string }>;
  diff: VersionDiff | null;
  download_url: string;
  report_url: string;
}

export const ACTIVE_VERSION_STATES: ReadonlySet<VersionState> = new Set(["queued", "building"]);

export interface ConfidenceInterval {
  low: number | null;
  high: number | null;
  level: number;
  n_resamples: number;
  n_valid: number;
  seed: number | null;
  method: string;
}

export interface Measure {
  measure: string;
  value: number | null;
  undefined_reason: string | null;
  ci: ConfidenceInterval | null;
  ci_undefined_reason?: string | null;
  observed: number | null;
  expected: number | null;
  basis: string | null;
  n_items: number;
  n_annotators: number;
}

export interface AnnotatorAgreement {
  annotator: string;
  n_items: number;
  value: number | null;
  undefined_reason: string | null;
  measure: string;
}

export interface ItemAmbiguity {
  item_id: string;
  ambiguity: number | null;
  n_annotations: number;
}

export interface Confusion {
  classes: string[];
  matrix: number[][];
}

export interface TraceOverlay {
  item_id: string;
  times: number[];
  series: Record<string, Array<number | null>>;
  consensus: Array<number | null>;
}

export interface PrelabelQuality {
  prelabeler: string;
  version: string;
  measure: string;
  value: number | null;
  undefined_reason: string | null;
  n_items: number;
}

export interface ReportField {
  name: string;
  kind: string;
  label: string;
  level: string | null;
  measures: Measure[];
  per_annotator: AnnotatorAgreement[];
  per_item: ItemAmbiguity[];
  confusion: Confusion | null;
  trace_overlay: TraceOverlay | null;
  aggregation: { method: string; description: string } | null;
  prelabel_quality: PrelabelQuality[];
}

export interface AgreementReport {
  format: string;
  seed: number;
  n_resamples: number;
  counts: { items: number; annotators: number; annotations: number };
  notes: string[];
  fields: ReportField[];
}
