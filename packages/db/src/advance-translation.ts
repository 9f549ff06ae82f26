import {
  CodedError,
  type MachineTranslation,
  newId,
  nextState,
  TRANSLATION_STATES,
  type TranslationState,
} from "@babelwire/core";
import { type ExpressionBuilder, sql } from "kysely";
import type { Db } from "./connect.ts";
import type { Schema } from "./schema.ts";
import { machineColumns, type TranslationRow } from "./translations.ts";

/** One move the pipeline makes on its own; editors' moves go through transitionTranslation. */
export interface PipelineStep {
  action: "start" | "finish" | "approve" | "publish";
  detail?: Record<string, unknown> | undefined;
  /** What the engine produced, stored by `finish`. */
  machine?: MachineTranslation | undefined;
}

const SYSTEM = "system";

/** The states a run may start from, as @babelwire/core's table of moves says. */
const STARTABLE = TRANSLATION_STATES.filter((state) => nextState(state, "start") !== undefined);

/**
 * The pipeline's moves (by `system`) from the state the caller last read, in ONE statement:
 * the row's update and one history row per step, all or nothing, so a crash leaves the row as
 * it was before or after every step, never between two. `finish` then `approve` under an `auto`
 * policy is one round trip instead of two transactions of five statements each.
 *
 * The row changes only while it is still in `from` (the update locks it and checks again), so
 * running the same steps twice moves it once. Returns undefined when the row has left `from`
 * (another run or an editor moved it): the caller decides, as on `illegal_transition`.
 * The result is what transitionTranslation would leave after the same steps, one by one.
 */
export async function advanceTranslation(
  db: Db,
  id: string,
  from: TranslationState,
  steps: readonly PipelineStep[],
): Promise<TranslationRow | undefined> {
  const now = new Date();
  let set: Record<string, unknown> = {};
  let state = from;
  let publishes = false;
  const events = steps.map((step, index) => {
    const to = nextState(state, step.action);
    if (!to) throw new CodedError("illegal_transition", `Cannot ${step.action} a translation that is ${state}.`);
    if (step.machine) set = { ...set, ...machineColumns(step.machine) };
    if (to === "in_review" && state !== "in_review") set.review_since = now;
    if (to === "published" && state !== "published") publishes = true;
    const event = { index, action: step.action, from: state, to, detail: step.detail ?? {} };
    state = to;
    return event;
  });
  const row = await db
    .with("moved", (qb) =>
      qb
        .updateTable("translations")
        .set((eb) => ({
          ...set,
          status: state,
          updated_at: now,
          version: eb("version", "+", steps.length),
          ...(publishes && liveSnapshot(eb, set, now)),
        }))
        .where("id", "=", id)
        .where("status", "=", from)
        .returningAll(),
    )
    .with("history", (qb) => {
      // Each step's row stamped one microsecond after the one before, so the history reads in
      // the order the steps were taken (its order is `at`, then a random id).
      const [first, ...rest] = events.map((event) =>
        qb
          .selectFrom("moved")
          .select([
            sql<string>`${newId()}::uuid`.as("id"),
            "moved.id as translation_id",
            sql<Date>`now() + ${event.index}::int * interval '1 microsecond'`.as("at"),
            sql<string>`${SYSTEM}::text`.as("actor"),
            sql<string>`${event.action}::text`.as("action"),
            sql<string>`${event.from}::text`.as("from_status"),
            sql<string>`${event.to}::text`.as("to_status"),
            sql<string>`${JSON.stringify(event.detail)}::jsonb`.as("detail"),
          ]),
      );
      if (!first) throw new Error("advanceTranslation needs at least one step");
      return qb
        .insertInto("translation_events")
        .columns(["id", "translation_id", "at", "actor", "action", "from_status", "to_status", "detail"])
        .expression(rest.reduce((union, next) => union.unionAll(next), first));
    })
    .selectFrom("moved")
    .selectAll()
    .executeTakeFirst();
  return row as TranslationRow | undefined;
}

/**
 * The snapshot partners read, taken on publication as transitionTranslation takes it: the text
 * stored by these steps, else the row's own (the update's right-hand side reads the old row).
 */
function liveSnapshot(eb: ExpressionBuilder<Schema, "translations">, set: Record<string, unknown>, now: Date) {
  return {
    published_at: sql<Date>`coalesce(published_at, ${now}::timestamptz)`,
    live_title: (set.title as string | undefined) ?? eb.ref("title"),
    live_summary: (set.summary as string | undefined) ?? eb.ref("summary"),
    live_content_html: (set.content_html as string | undefined) ?? eb.ref("content_html"),
    live_version: sql<number>`coalesce(live_version, 0) + 1`,
    live_at: now,
    // Its place in the `changes` order is this transaction's (see listPublished).
    change_xid: sql<string>`pg_current_xact_id()`,
  };
}

/**
 * A translate job's claim in one statement: this article version's `lang` row moves to
 * `translating` from whichever state a run may start from (queued, failed, or translating when
 * a run before died), with its `start` history row. Undefined when there is no such row (not
 * yet ensured, another version, or past translating): the caller goes the long way, through
 * ensureTranslation and transitionTranslation.
 */
export async function claimTranslation(
  db: Db,
  target: { articleId: string; lang: string; articleVersion: number },
  detail: Record<string, unknown>,
): Promise<TranslationRow | undefined> {
  const row = await db
    .with("claimed", (qb) =>
      qb
        .selectFrom("translations")
        .select(["id", "status"])
        .where("article_id", "=", target.articleId)
        .where("lang", "=", target.lang)
        .where("article_version", "=", target.articleVersion)
        .where("status", "in", STARTABLE)
        .forUpdate(),
    )
    .with("moved", (qb) =>
      qb
        .updateTable("translations")
        .from("claimed")
        .set((eb) => ({ status: "translating", updated_at: new Date(), version: eb("translations.version", "+", 1) }))
        .whereRef("translations.id", "=", "claimed.id")
        .returningAll("translations")
        .returning("claimed.status as from_status"),
    )
    .with("history", (qb) =>
      qb
        .insertInto("translation_events")
        .columns(["id", "translation_id", "actor", "action", "from_status", "to_status", "detail"])
        .expression(
          qb
            .selectFrom("moved")
            .select([
              sql<string>`${newId()}::uuid`.as("id"),
              "moved.id as translation_id",
              sql<string>`${SYSTEM}::text`.as("actor"),
              sql<string>`'start'::text`.as("action"),
              "moved.from_status",
              sql<string>`'translating'::text`.as("to_status"),
              sql<string>`${JSON.stringify(detail)}::jsonb`.as("detail"),
            ]),
        ),
    )
    .selectFrom("moved")
    .selectAll()
    .executeTakeFirst();
  if (!row) return undefined;
  const { from_status: _from, ...claimed } = row;
  return claimed as TranslationRow;
}
