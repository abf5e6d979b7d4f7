/** A project's review page: the queue, each annotator's values, and accept / reject / adjudicate. */

import "../review/review.css";

import { ReviewPage } from "../review/reviewPage";

export async function initReview(): Promise<void> {
  const projectId = document.body.dataset.projectId;
  if (!projectId || !/^\d+$/.test(projectId)) throw new Error("the page does not name a project");
  const page = new ReviewPage(projectId);
  try {
    await page.load();
  } catch (caught) {
    page.showFailure(caught);
  }
  document.body.dataset.reviewReady = "true";
}
