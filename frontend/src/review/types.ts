/** The shapes of the assignment, annotation and schema APIs as the review page uses them. */

export type AssignmentState = "assigned" | "submitted" | "accepted" | "rejected" | "adjudicated";

export interface ReviewItem {
  id: number;
  kind: "unknown" | "video" | "audio" | "text";
  original_name: string;
  duration_seconds: number | null;
  text: string;
  speaker: string;
  dialogue_id: string;
  turn: number | null;
}

export interface ReviewAssignment {
  id: number;
  project: number;
  item: ReviewItem;
  annotator: string;
  state: AssignmentState;
  review_comment: string;
  created_at: string;
  submitted_at: string | null;
  reviewed_at: string | null;
}

export interface Revision {
  number: number;
  values: unknown;
  submitted: boolean;
  author: string;
  created_at: string;
}

export interface AnnotationState {
  assignment: ReviewAssignment;
  schema_version: number | null;
  latest: Revision | null;
}

export interface SchemaClass {
  id: string;
  label?: string;
}

export interface SchemaField {
  name: string;
  label?: string;
  kind: string;
  scope?: string;
  mode?: string;
  format?: string;
  classes?: SchemaClass[];
  ratings?: { name: string; label?: string }[];
  dimensions?: { name: string; label?: string }[];
  units?: { code: string; label?: string }[];
}

export interface SchemaDefinition {
  title?: string;
  fields?: SchemaField[];
}

export interface AnnotatorProgress {
  annotator: string;
  total: number;
  done: number;
  assigned: number;
  submitted: number;
  accepted: number;
  rejected: number;
  adjudicated: number;
}

/** Which verdicts the server accepts from each state (annotation/services/reviews.py). */
export const ALLOWED: Record<"accept" | "reject" | "adjudicate", ReadonlySet<AssignmentState>> = {
  accept: new Set(["submitted", "adjudicated"]),
  reject: new Set(["submitted", "accepted", "adjudicated"]),
  adjudicate: new Set(["assigned", "submitted", "accepted", "rejected", "adjudicated"]),
};

export const STATE_LABELS: Record<AssignmentState, string> = {
  assigned: "Assigned",
  submitted: "Submitted",
  accepted: "Accepted",
  rejected: "Rejected",
  adjudicated: "Adjudicated",
};
