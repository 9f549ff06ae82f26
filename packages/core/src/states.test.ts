import { describe, expect, it } from "vitest";
import {
  nextState,
  TRANSLATION_ACTIONS,
  TRANSLATION_STATES,
  type TranslationAction,
  type TranslationState,
} from "./states.ts";

/** The legal moves, written out independently of the implementation's table. */
const LEGAL: Array<[TranslationState, TranslationAction, TranslationState]> = [
  ["queued", "start", "translating"],
  ["failed", "start", "translating"],
  ["translating", "start", "translating"],
  ["translating", "finish", "in_review"],
  ["in_review", "edit", "in_review"],
  ["published", "edit", "in_review"],
  ["in_review", "approve", "approved"],
  ["approved", "publish", "published"],
  ["published", "publish", "published"],
  ["in_review", "reject", "rejected"],
  ["rejected", "retranslate", "queued"],
  ["failed", "retranslate", "queued"],
  ["in_review", "retranslate", "queued"],
  ["approved", "retranslate", "queued"],
  ["published", "retranslate", "queued"],
  ["queued", "withdraw", "withdrawn"],
  ["translating", "withdraw", "withdrawn"],
  ["in_review", "withdraw", "withdrawn"],
  ["approved", "withdraw", "withdrawn"],
  ["published", "withdraw", "withdrawn"],
  ["rejected", "withdraw", "withdrawn"],
  ["failed", "withdraw", "withdrawn"],
  ["withdrawn", "reinstate", "published"],
  ["withdrawn", "reinstate_unpublished", "queued"],
  ["translating", "fail", "failed"],
  ["queued", "fail", "failed"],
];

describe("translation state machine", () => {
  for (const from of TRANSLATION_STATES) {
    for (const action of TRANSLATION_ACTIONS) {
      const expected = LEGAL.find(([f, a]) => f === from && a === action)?.[2];
      it(`${action} from ${from} → ${expected ?? "refused"}`, () => {
        expect(nextState(from, action)).toBe(expected);
      });
    }
  }
});
