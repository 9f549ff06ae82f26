/**
 * The life of a translation. One table of legal moves, so that the worker, the API and
 * the editors' tools all refuse the same illegal transitions.
 */
export const TRANSLATION_STATES = [
  "queued",
  "translating",
  "in_review",
  "approved",
  "published",
  "rejected",
  "withdrawn",
  "failed",
] as const;
export type TranslationState = (typeof TRANSLATION_STATES)[number];

export const TRANSLATION_ACTIONS = [
  "start",
  "finish",
  "edit",
  "approve",
  "publish",
  "reject",
  "retranslate",
  "withdraw",
  "reinstate",
  "reinstate_unpublished",
  "fail",
] as const;
export type TranslationAction = (typeof TRANSLATION_ACTIONS)[number];

const MOVES: Record<TranslationAction, Partial<Record<TranslationState, TranslationState>>> = {
  start: { queued: "translating", failed: "translating", translating: "translating" },
  finish: { translating: "in_review" },
  // Editors correct a translation while it waits for review. A published one can be corrected
  // too: the correction is a new version that goes back through review, while partners keep
  // reading the published text (the live snapshot) until it is approved and published.
  edit: { in_review: "in_review", published: "in_review" },
  approve: { in_review: "approved" },
  publish: { approved: "published", published: "published" },
  reject: { in_review: "rejected" },
  retranslate: { rejected: "queued", failed: "queued", in_review: "queued", published: "queued", approved: "queued" },
  // The agency withdrew the original: every language version follows, whatever it was doing,
  // so nothing still in the pipeline can be published later.
  withdraw: {
    queued: "withdrawn",
    translating: "withdrawn",
    in_review: "withdrawn",
    approved: "withdrawn",
    published: "withdrawn",
    rejected: "withdrawn",
    failed: "withdrawn",
  },
  // Only an editor undoes a withdrawal: the last approved text goes live again as it was, and a
  // version that never went live starts over from the engine.
  reinstate: { withdrawn: "published" },
  reinstate_unpublished: { withdrawn: "queued" },
  fail: { translating: "failed", queued: "failed" },
};

/** The state after `action`, or undefined when the move is illegal from `from`. */
export function nextState(from: TranslationState, action: TranslationAction): TranslationState | undefined {
  return MOVES[action][from];
}

export function canTransition(from: TranslationState, action: TranslationAction): boolean {
  return nextState(from, action) !== undefined;
}
