import { describe, expect, it } from "vitest";
import { chooseStory, storyPrint } from "./assign-story.ts";

const copy = "The central bank raised interest rates by half a point on Thursday, citing persistent inflation.";

describe("chooseStory", () => {
  it("joins the story of the first candidate near enough, and starts its own otherwise", () => {
    const print = storyPrint(copy);
    if (!print) throw new Error("no print");
    const far = {
      id: "b",
      storyId: null,
      simhash: print.simhash.replace(/./g, (digit) => (digit === "0" ? "f" : "0")),
    };
    const near = { id: "c", storyId: "story-1", simhash: print.simhash };
    expect(chooseStory("a", print.simhash, [far, near, { id: "d", storyId: null, simhash: print.simhash }])).toBe(
      "story-1",
    );
    expect(chooseStory("a", print.simhash, [far])).toBe("a");
  });

  it("gives no print for text with no words", () => {
    expect(storyPrint("  ")).toBeUndefined();
  });
});
