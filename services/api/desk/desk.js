// The editors' desk: the review queue and one translation beside its source. Plain script, no
// build step. Everything it shows or changes goes through the public /v1 API with the session
// cookie; text from the API is only ever put in the page as text (textContent), never as markup.
(() => {
  const t = (key, options) => window.i18next.t(key, options);
  const main = document.getElementById("main");
  const statusBox = document.getElementById("status");
  const POLL_MS = 5000;

  const state = {
    queue: [],
    seen: null,
    selected: 0,
    filters: { lang: "", source: "", qa: "" },
    item: null,
    etag: null,
    showDiff: false,
    poller: null,
    lastEdited: null,
    lastSelection: null,
  };

  // ---------- small helpers ----------

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function say(message, kind = "info") {
    statusBox.textContent = message;
    statusBox.dataset.kind = kind;
    statusBox.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(() => {
      statusBox.hidden = true;
    }, 6000);
  }

  async function api(path, { method = "GET", body, ifMatch } = {}) {
    const headers = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (ifMatch) headers["if-match"] = ifMatch;
    const response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) {
      location.assign("/desk");
      throw new Error("logged out");
    }
    const json = await response.json().catch(() => null);
    return { status: response.status, etag: response.headers.get("etag"), json };
  }

  function problem(result) {
    return result.json?.error?.message ?? `HTTP ${result.status}`;
  }

  /** An HTML block from the API as the text an editor edits. */
  function toText(html) {
    const doc = new DOMParser().parseFromString(`<body>${html ?? ""}</body>`, "text/html");
    return (doc.body.textContent ?? "").replace(/\s+/g, " ").trim();
  }

  /** Edited text back into the block's own element (`<p>`, `<h2>` …); the API sanitizes it again. */
  function toHtml(text, original) {
    const match = /^\s*<(p|h[1-6]|li|blockquote|pre|figcaption|div)\b/i.exec(original ?? "");
    const node = document.createElement(match ? match[1].toLowerCase() : "p");
    node.textContent = text;
    return node.outerHTML;
  }

  function waitingText(seconds) {
    if (seconds < 60) return t("seconds", { count: seconds });
    if (seconds < 3600) return t("minutes", { count: Math.round(seconds / 60) });
    if (seconds < 86400) return t("hours", { count: Math.round(seconds / 3600) });
    return t("days", { count: Math.round(seconds / 86400) });
  }

  function typing(target) {
    return (
      target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    );
  }

  // ---------- word diff (what the editor changed in the machine draft) ----------

  function words(text) {
    return text.split(/\s+/).filter(Boolean);
  }

  function diffWords(before, after) {
    const a = words(before);
    const b = words(after);
    const table = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    const parts = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        parts.push(["same", a[i++]]);
        j++;
      } else if (j < b.length && (i === a.length || table[i][j + 1] >= table[i + 1][j])) parts.push(["ins", b[j++]]);
      else parts.push(["del", a[i++]]);
    }
    return parts;
  }

  function diffNode(before, after) {
    const box = el("p", { class: "diff" });
    for (const [kind, word] of diffWords(before, after)) {
      box.append(kind === "same" ? `${word} ` : el(kind, {}, word), kind === "same" ? "" : " ");
    }
    return box;
  }

  // ---------- drafts: typed text survives errors, conflicts and reloads ----------

  const draftKey = (id) => `desk:draft:${id}`;

  function readDraft(id) {
    try {
      return JSON.parse(localStorage.getItem(draftKey(id)) ?? "null");
    } catch {
      return null;
    }
  }

  function writeDraft(id, draft) {
    if (Object.keys(draft.fields).length === 0) localStorage.removeItem(draftKey(id));
    else localStorage.setItem(draftKey(id), JSON.stringify(draft));
  }

  // ---------- the queue ----------

  async function loadQueue() {
    const query = new URLSearchParams({ status: "in_review", limit: "100" });
    for (const [name, value] of Object.entries(state.filters)) if (value) query.set(name, value);
    const result = await api(`/v1/review?${query}`);
    if (result.status !== 200) throw new Error(problem(result));
    return result.json.items;
  }

  function queueFilters(items) {
    const langs = [...new Set(items.map((item) => item.lang).concat(state.filters.lang || []))].sort();
    const sources = new Map(items.map((item) => [item.source.id, item.source.name]));
    const codes = [
      ...new Set(items.flatMap((item) => item.qa.map((flag) => flag.code)).concat(state.filters.qa || [])),
    ];
    const select = (name, label, options) =>
      el(
        "label",
        { class: "filter" },
        el("span", { text: label }),
        el(
          "select",
          {
            "data-filter": name,
            onchange: (event) => {
              state.filters[name] = event.target.value;
              state.selected = 0;
              renderQueue();
            },
          },
          el("option", { value: "", text: t("all") }),
          options.map(([value, text]) => el("option", { value, text, selected: state.filters[name] === value })),
        ),
      );
    if (state.filters.source && !sources.has(state.filters.source)) sources.set(state.filters.source, "…");
    return el(
      "form",
      { class: "filters", role: "search", onsubmit: (event) => event.preventDefault() },
      select(
        "lang",
        t("filterLanguage"),
        langs.map((lang) => [lang, lang]),
      ),
      select("source", t("filterSource"), [...sources]),
      select(
        "qa",
        t("filterQa"),
        codes.map((code) => [code, code.replaceAll("_", " ")]),
      ),
    );
  }

  function flagChips(flags) {
    if (flags.length === 0) return el("span", { class: "chip ok", text: t("noFlags") });
    return flags.map((flag) =>
      el(
        "span",
        { class: `chip ${flag.severity === "error" ? "error" : "warning"}`, title: flag.message },
        flag.code.replaceAll("_", " "),
      ),
    );
  }

  function queueRow(item, index, fresh) {
    return el(
      "li",
      { class: `row${index === state.selected ? " selected" : ""}${fresh ? " new" : ""}`, "data-id": item.id },
      el(
        "a",
        { href: `#/t/${item.id}`, class: "row-link", "aria-current": index === state.selected ? "true" : undefined },
        el("span", { class: "row-title", lang: item.lang, text: item.title ?? item.article.title }),
        el("span", { class: "row-original", lang: item.article.language, text: item.article.title }),
      ),
      el(
        "span",
        { class: "row-meta" },
        el("span", { class: "pair", text: `${item.article.language} → ${item.lang}` }),
        el("span", { class: "source", text: item.source.name }),
        el("span", { class: "age", text: t("waiting", { time: waitingText(item.waitingSeconds) }) }),
      ),
      el("span", { class: "row-flags" }, flagChips(item.qa)),
    );
  }

  async function renderQueue() {
    stopItem();
    let items;
    try {
      items = await loadQueue();
    } catch (error) {
      say(t("error", { message: error.message }), "error");
      return;
    }
    const known = state.seen;
    state.seen = new Set(items.map((item) => item.id));
    state.queue = items;
    state.selected = Math.min(state.selected, Math.max(items.length - 1, 0));
    const list = el(
      "ol",
      { class: "queue", "aria-label": t("queueTitle") },
      items.map((item, index) => queueRow(item, index, known !== null && !known.has(item.id))),
    );
    main.replaceChildren(
      el(
        "div",
        { class: "queue-head" },
        el("h1", { text: t("queueTitle") }),
        el("p", { class: "count", text: t("queueCount", { count: items.length }) }),
      ),
      queueFilters(items),
      items.length === 0 ? el("p", { class: "empty", text: t("queueEmpty") }) : list,
    );
    document.title = `${t("queueTitle")} · Babelwire`;
    if (known !== null) {
      const fresh = items.filter((item) => !known.has(item.id)).length;
      if (fresh > 0) say(t("newItems", { count: fresh }));
    }
    clearTimeout(state.poller);
    state.poller = setTimeout(() => {
      if (route().view === "queue" && !typing(document.activeElement)) refreshQueue();
      else if (route().view === "queue") state.poller = setTimeout(() => refreshQueue(), POLL_MS);
    }, POLL_MS);
  }

  /** The queue again, with the focus where it was: on a filter, or on the selected item. */
  async function refreshQueue() {
    const focusedFilter = document.activeElement?.dataset?.filter;
    const onRow = document.activeElement?.classList?.contains("row-link");
    await renderQueue();
    if (focusedFilter) main.querySelector(`[data-filter="${focusedFilter}"]`)?.focus();
    else if (onRow) main.querySelector(".queue .row.selected a")?.focus();
  }

  function moveSelection(step) {
    if (state.queue.length === 0) return;
    state.selected = Math.max(0, Math.min(state.queue.length - 1, state.selected + step));
    main.querySelectorAll(".queue .row").forEach((row, index) => {
      row.classList.toggle("selected", index === state.selected);
      const link = row.querySelector("a");
      if (index === state.selected) {
        link.setAttribute("aria-current", "true");
        link.focus();
      } else link.removeAttribute("aria-current");
    });
  }

  // ---------- one translation ----------

  function stopItem() {
    clearTimeout(state.poller);
  }

  function fieldsOf(item) {
    const fields = [
      { key: "title", label: t("title"), source: item.source?.title ?? "", html: null, target: item.title ?? "" },
      {
        key: "summary",
        label: t("summary"),
        source: item.source?.summary ?? "",
        html: null,
        target: item.summary ?? "",
      },
    ];
    item.segments.forEach((segment, index) => {
      fields.push({
        key: segment.id,
        label: t("segment", { n: index + 1 }),
        source: toText(segment.source),
        html: segment.target,
        target: toText(segment.target),
        memory: segment.memory,
      });
    });
    return fields;
  }

  function machineText(item, key) {
    const draft = item.machineDraft;
    if (!draft) return null;
    if (key === "title") return draft.title;
    if (key === "summary") return draft.summary;
    const segment = draft.segments.find((entry) => entry.id === key);
    return segment ? toText(segment.target) : null;
  }

  /** Source text with the glossary terms forced in this segment marked. */
  function withTerms(text, terms) {
    const box = el("div", { class: "text" });
    if (terms.length === 0) {
      box.textContent = text;
      return box;
    }
    const escaped = terms.map((term) => term.term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const pattern = new RegExp(`(${escaped.join("|")})`, "giu");
    for (const part of text.split(pattern)) {
      const term = terms.find((entry) => entry.term.toLowerCase() === part.toLowerCase());
      box.append(term ? el("mark", { class: "term", title: t("glossaryForced", term) }, part) : part);
    }
    return box;
  }

  function autosize(area) {
    area.style.height = "auto";
    area.style.height = `${area.scrollHeight + 2}px`;
  }

  function segmentRow(item, field, draft) {
    const flags = item.qa.filter((flag) => (flag.segments ?? []).includes(field.key));
    const terms = (item.glossaryTerms ?? []).filter((entry) => entry.segments.includes(field.key));
    const sourceLang = item.source?.language ?? "en";
    const typed = draft.fields[field.key];
    const area = el("textarea", {
      class: "target",
      lang: item.lang,
      "data-field": field.key,
      "aria-label": `${t("translation")}: ${field.label}`,
      rows: field.key === "title" ? 1 : 2,
      spellcheck: "true",
      oninput: (event) => {
        autosize(event.target);
        remember(field.key, event.target.value);
      },
    });
    area.value = typed ? typed.mine : field.target;
    const machine = machineText(item, field.key);
    const marks = el(
      "div",
      { class: "marks" },
      field.memory &&
        el("span", { class: "chip memory", text: field.memory === "human" ? t("memoryHuman") : t("memoryMachine") }),
      terms.map((term) => el("span", { class: "chip term", text: t("glossaryForced", term) })),
      flags.map((flag) =>
        el("span", { class: `chip ${flag.severity === "error" ? "error" : "warning"}`, role: "note" }, flag.message),
      ),
    );
    const row = el(
      "section",
      {
        class: `seg${flags.length ? " flagged" : ""}${field.memory ? " from-memory" : ""}${typed ? " dirty" : ""}`,
        "data-segment": field.key,
        "aria-label": field.label,
      },
      el("h2", { class: "seg-label", text: field.label }),
      el("div", { class: "src", lang: sourceLang }, withTerms(field.source, terms)),
      el("div", { class: "tgt" }, area, el("div", { class: "conflict-slot" })),
      marks.childNodes.length ? marks : null,
      // Only where the text differs from the engine's: the rest would repeat the box above.
      state.showDiff && machine !== null && machine !== area.value
        ? el("div", { class: "diff-box" }, diffNode(machine, area.value))
        : null,
    );
    queueMicrotask(() => autosize(area));
    return row;
  }

  function currentDraft() {
    const item = state.item;
    return readDraft(item.id) ?? { version: item.version, fields: {} };
  }

  function serverValue(item, key) {
    if (key === "title") return item.title ?? "";
    if (key === "summary") return item.summary ?? "";
    return toText(item.segments.find((segment) => segment.id === key)?.target ?? "");
  }

  /** Typed text goes to localStorage at once, with the server's text it started from. */
  function remember(key, value) {
    const item = state.item;
    const draft = currentDraft();
    const base = draft.fields[key]?.base ?? serverValue(item, key);
    if (value === base) delete draft.fields[key];
    else draft.fields[key] = { base, mine: value };
    writeDraft(item.id, draft);
    main.querySelector(`[data-segment="${key}"]`)?.classList.toggle("dirty", Boolean(draft.fields[key]));
    main.querySelector(".unsaved").hidden = Object.keys(draft.fields).length === 0;
  }

  function historyList(item) {
    return el(
      "details",
      { class: "history" },
      el("summary", {}, `${t("history")} (${item.history.length})`),
      el(
        "ol",
        {},
        item.history.map((event) =>
          el(
            "li",
            {},
            el("time", { datetime: event.at, text: new Date(event.at).toLocaleString(window.i18next.language) }),
            " ",
            el("strong", { text: event.action }),
            ` ${event.from ?? ""} → ${event.to ?? ""} · ${event.actor}`,
            event.detail?.reason ? ` · “${event.detail.reason}”` : "",
          ),
        ),
      ),
    );
  }

  function toolbar() {
    // Only a translation in review is approved or rejected; a published one is corrected by editing.
    const deciding = state.item?.status === "in_review";
    const button = (id, label, key, handler, extra = {}) =>
      el(
        "button",
        { type: "button", id, "aria-keyshortcuts": key, onclick: handler, ...extra },
        label,
        el("kbd", { "aria-hidden": "true", text: key }),
      );
    return el(
      "div",
      { class: "toolbar", role: "toolbar", "aria-label": t("translation") },
      button("save", t("save"), "s", () => save()),
      button("diff", state.showDiff ? t("hideChanges") : t("showChanges"), "d", () => toggleDiff(), {
        "aria-pressed": String(state.showDiff),
      }),
      button("glossary-add", t("addGlossary"), "g", () => openGlossary()),
      button("reject-open", t("reject"), "r", () => openReject(), { class: "danger", disabled: !deciding }),
      button("approve", t("approve"), "a", () => approve(), { class: "primary", disabled: !deciding }),
    );
  }

  async function renderItem(id, { keepScroll = false } = {}) {
    stopItem();
    const result = await api(`/v1/translations/${encodeURIComponent(id)}`);
    if (result.status !== 200) {
      say(t("error", { message: problem(result) }), "error");
      return;
    }
    state.item = result.json;
    state.etag = result.etag;
    drawItem({ keepScroll });
  }

  function drawItem({ keepScroll = false, conflicts = [] } = {}) {
    const item = state.item;
    const scroll = window.scrollY;
    const draft = currentDraft();
    const position = state.queue.findIndex((entry) => entry.id === item.id);
    const general = item.qa.filter((flag) => !(flag.segments ?? []).length);
    const fields = fieldsOf(item);
    const parts = [
      el(
        "nav",
        { class: "crumbs", "aria-label": t("backToQueue") },
        el("a", { href: "#/" }, `← ${t("backToQueue")}`),
        position >= 0
          ? el("span", { text: t("position", { position: position + 1, total: state.queue.length }) })
          : null,
      ),
      el(
        "header",
        { class: "item-head" },
        el("h1", { lang: item.source?.language ?? "en", text: item.source?.title ?? item.title ?? "" }),
        el(
          "dl",
          { class: "facts" },
          el(
            "div",
            {},
            el("dt", { text: t("status") }),
            el("dd", { text: t(`state.${item.status}`, { defaultValue: item.status }) }),
          ),
          el(
            "div",
            {},
            el("dt", { text: t("filterLanguage") }),
            el("dd", { text: `${item.source?.language ?? "?"} → ${item.lang}` }),
          ),
          el("div", {}, el("dt", { text: t("engine") }), el("dd", { text: item.engine ?? "—" })),
          el("div", {}, el("dt", { text: t("version") }), el("dd", { text: String(item.version) })),
          el("div", {}, el("dt", { text: t("memory") }), el("dd", { text: String(item.memoryHits) })),
          item.editRate !== null && item.editRate !== undefined
            ? el(
                "div",
                {},
                el("dt", { text: t("editRate") }),
                el("dd", { text: `${Math.round(item.editRate * 100)} %` }),
              )
            : null,
        ),
        item.status === "in_review" && item.publishedAt ? el("p", { class: "note", text: t("correction") }) : null,
        item.status === "published" ? el("p", { class: "note", text: t("publishedNote") }) : null,
        item.error
          ? el("p", { class: "chip error", text: t("failed", { message: item.error.message ?? item.error.code }) })
          : null,
        toolbar(),
        el("p", { class: "unsaved", hidden: Object.keys(draft.fields).length === 0, text: t("unsaved") }),
      ),
      general.length
        ? el(
            "section",
            { class: "general-flags", "aria-label": t("generalFlags") },
            general.map((flag) =>
              el("p", { class: `chip ${flag.severity === "error" ? "error" : "warning"}`, text: flag.message }),
            ),
          )
        : null,
      el(
        "div",
        { class: "columns", "aria-hidden": "true" },
        el("span", { text: t("source") }),
        el("span", { text: t("translation") }),
      ),
      el(
        "div",
        { class: "segments" },
        fields.map((field) => segmentRow(item, field, draft)),
      ),
      historyList(item),
    ];
    main.replaceChildren(...parts.filter(Boolean));
    for (const conflict of conflicts) showConflict(conflict);
    document.title = `${item.title ?? ""} · Babelwire`;
    if (keepScroll) window.scrollTo(0, scroll);
  }

  function showConflict({ key, theirs }) {
    const slot = main.querySelector(`[data-segment="${key}"] .conflict-slot`);
    if (!slot) return;
    const area = main.querySelector(`textarea[data-field="${key}"]`);
    slot.replaceChildren(
      el(
        "div",
        { class: "conflict", role: "alert" },
        el("strong", { text: t("conflictTitle") }),
        el("p", { text: t("conflictText") }),
        el("p", { class: "theirs" }, el("span", { class: "label", text: `${t("theirs")}: ` }), theirs),
        el(
          "div",
          { class: "conflict-actions" },
          el("button", {
            type: "button",
            text: t("keepMine"),
            onclick: () => {
              // Mine now stands against their text: the next save replaces theirs.
              const draft = currentDraft();
              if (draft.fields[key]) draft.fields[key].base = theirs;
              writeDraft(state.item.id, draft);
              slot.replaceChildren();
              area.focus();
            },
          }),
          el("button", {
            type: "button",
            text: t("useTheirs"),
            onclick: () => {
              area.value = theirs;
              const draft = currentDraft();
              delete draft.fields[key];
              writeDraft(state.item.id, draft);
              slot.replaceChildren();
              autosize(area);
              area.focus();
            },
          }),
        ),
      ),
    );
  }

  /** Fields whose server text moved on since the editor started typing, and is not what they typed. */
  function conflictsWith(item, draft) {
    return Object.entries(draft.fields)
      .filter(([key, field]) => serverValue(item, key) !== field.base && serverValue(item, key) !== field.mine)
      .map(([key]) => ({ key, theirs: serverValue(item, key) }));
  }

  async function save() {
    const item = state.item;
    if (!item) return true;
    const draft = currentDraft();
    const keys = Object.keys(draft.fields);
    if (keys.length === 0) return true;
    const body = {};
    const segments = [];
    for (const key of keys) {
      const mine = draft.fields[key].mine;
      if (key === "title" || key === "summary") body[key] = mine;
      else
        segments.push({ id: key, target: toHtml(mine, item.segments.find((segment) => segment.id === key)?.target) });
    }
    if (segments.length) body.segments = segments;
    const result = await api(`/v1/translations/${item.id}`, { method: "PATCH", body, ifMatch: state.etag });
    if (result.status === 200) {
      localStorage.removeItem(draftKey(item.id));
      state.item = result.json;
      state.etag = result.etag;
      drawItem({ keepScroll: true });
      say(t("saved", { version: result.json.version }));
      return true;
    }
    if (result.status === 412) {
      await reloadKeepingDraft();
      return false;
    }
    say(t("error", { message: problem(result) }), "error");
    return false;
  }

  /** Someone saved meanwhile: take their version, keep what this editor typed, show each clash. */
  async function reloadKeepingDraft() {
    const item = state.item;
    const fresh = await api(`/v1/translations/${item.id}`);
    if (fresh.status !== 200) return;
    state.item = fresh.json;
    state.etag = fresh.etag;
    const draft = currentDraft();
    const conflicts = conflictsWith(fresh.json, draft);
    drawItem({ keepScroll: true, conflicts });
    say(t("conflictTitle"), "warning");
    main.querySelector(".conflict button")?.focus();
  }

  async function approve() {
    const item = state.item;
    if (!item) return;
    if (!(await save())) return;
    const result = await api(`/v1/translations/${item.id}/approve`, { method: "POST", ifMatch: state.etag });
    if (result.status === 200) {
      say(t("approved"));
      goNext(item.id);
      return;
    }
    if (result.status === 412) {
      await renderItem(item.id, { keepScroll: true });
      say(t("staleTitle"), "warning");
      return;
    }
    say(t("error", { message: problem(result) }), "error");
  }

  function goNext(doneId) {
    const index = state.queue.findIndex((entry) => entry.id === doneId);
    state.queue = state.queue.filter((entry) => entry.id !== doneId);
    const next = state.queue[Math.max(0, index)] ?? null;
    location.hash = next ? `#/t/${next.id}` : "#/";
  }

  // ---------- dialogs ----------

  function openDialog(dialog, ...content) {
    dialog.replaceChildren(...content);
    dialog.showModal();
    dialog.querySelector("textarea, input, button")?.focus();
  }

  function openReject() {
    const item = state.item;
    if (!item) return;
    const dialog = document.getElementById("reject");
    const reason = el("textarea", { id: "reject-reason", required: true, rows: 3, maxlength: 2000 });
    const again = el("input", { type: "checkbox", id: "reject-again", checked: true });
    openDialog(
      dialog,
      el(
        "form",
        {
          method: "dialog",
          onsubmit: async (event) => {
            event.preventDefault();
            if (!reason.value.trim()) return reason.focus();
            const result = await api(`/v1/translations/${item.id}/reject`, {
              method: "POST",
              ifMatch: state.etag,
              body: { reason: reason.value.trim(), retranslate: again.checked },
            });
            dialog.close();
            if (result.status === 200) {
              say(t("rejected"));
              goNext(item.id);
            } else if (result.status === 412) {
              await reloadKeepingDraft();
              say(t("staleTitle"), "warning");
            } else say(t("error", { message: problem(result) }), "error");
          },
        },
        el("h2", { id: "reject-title", text: t("rejectTitle") }),
        el("label", { for: "reject-reason", text: t("reason") }),
        reason,
        el("label", { class: "check" }, again, ` ${t("translateAgain")}`),
        el(
          "div",
          { class: "dialog-actions" },
          el("button", { type: "button", text: t("cancel"), onclick: () => dialog.close() }),
          el("button", { type: "submit", class: "danger", id: "reject-confirm", text: t("reject") }),
        ),
      ),
    );
  }

  /**
   * The phrase last selected, in a source (the term) or in a translation box (its rendering).
   * Remembered as it is selected: clicking the toolbar's button moves the focus and can lose it.
   */
  function selectedPhrase() {
    const active = document.activeElement;
    if (active instanceof HTMLTextAreaElement && active.selectionEnd > active.selectionStart) {
      return { text: active.value.slice(active.selectionStart, active.selectionEnd), inTarget: true };
    }
    const text = String(window.getSelection() ?? "").trim();
    if (text) return { text, inTarget: !window.getSelection()?.anchorNode?.parentElement?.closest(".src") };
    return state.lastSelection ?? { text: "", inTarget: false };
  }

  document.addEventListener("selectionchange", () => {
    const active = document.activeElement;
    if (active instanceof HTMLTextAreaElement && active.selectionEnd > active.selectionStart) {
      state.lastSelection = { text: active.value.slice(active.selectionStart, active.selectionEnd), inTarget: true };
      return;
    }
    const selection = window.getSelection();
    const text = String(selection ?? "").trim();
    if (text && selection?.anchorNode?.parentElement?.closest(".src")) state.lastSelection = { text, inTarget: false };
  });

  function openGlossary() {
    const item = state.item;
    if (!item) return;
    const phrase = selectedPhrase();
    const from = item.source?.language ?? "en";
    const dialog = document.getElementById("glossary");
    const term = el("input", { id: "glossary-term", required: true, maxlength: 200, lang: from });
    const translation = el("input", { id: "glossary-translation", required: true, maxlength: 200, lang: item.lang });
    if (phrase.inTarget) translation.value = phrase.text.trim();
    else term.value = phrase.text.trim();
    openDialog(
      dialog,
      el(
        "form",
        {
          method: "dialog",
          onsubmit: async (event) => {
            event.preventDefault();
            if (!term.value.trim() || !translation.value.trim()) return;
            const entry = { term: term.value.trim(), translation: translation.value.trim() };
            const result = await api(
              `/v1/glossary/${encodeURIComponent(from.split("-")[0])}/${encodeURIComponent(item.lang)}`,
              {
                method: "PUT",
                body: entry,
              },
            );
            dialog.close();
            if (result.status === 200) say(t("glossaryAdded", entry));
            else say(t("error", { message: problem(result) }), "error");
          },
        },
        el("h2", { id: "glossary-title", text: t("glossaryTitle") }),
        el("label", { for: "glossary-term", text: t("term", { lang: from }) }),
        term,
        el("label", { for: "glossary-translation", text: t("termTranslation", { lang: item.lang }) }),
        translation,
        el(
          "div",
          { class: "dialog-actions" },
          el("button", { type: "button", text: t("cancel"), onclick: () => dialog.close() }),
          el("button", { type: "submit", class: "primary", text: t("add") }),
        ),
      ),
    );
    (phrase.inTarget || !term.value ? (term.value ? translation : term) : translation).focus();
  }

  const KEYS = [
    ["j", "keyNext"],
    ["k", "keyPrev"],
    ["Enter", "keyOpen"],
    ["e", "keyEdit"],
    ["s", "keySave"],
    ["a", "keyApprove"],
    ["r", "keyReject"],
    ["d", "keyDiff"],
    ["g", "keyGlossary"],
    ["Esc", "keyBack"],
    ["?", "keyHelp"],
  ];

  function openHelp() {
    const dialog = document.getElementById("help");
    openDialog(
      dialog,
      el("h2", { id: "help-title", text: t("helpTitle") }),
      el(
        "dl",
        { class: "keys" },
        KEYS.map(([key, label]) => el("div", {}, el("dt", {}, el("kbd", { text: key })), el("dd", { text: t(label) }))),
      ),
      el("p", { class: "hint", text: "Ctrl+S · Ctrl+Enter" }),
      el("button", { type: "button", text: t("close"), onclick: () => dialog.close() }),
    );
  }

  function toggleDiff() {
    state.showDiff = !state.showDiff;
    drawItem({ keepScroll: true });
  }

  function editNext() {
    const areas = [...main.querySelectorAll("textarea.target")];
    if (areas.length === 0) return;
    // From the field being edited, else the one edited last: e, Esc, e walks down the article.
    const focused = areas.indexOf(document.activeElement);
    const current = focused >= 0 ? focused : areas.findIndex((area) => area.dataset.field === state.lastEdited);
    const next = areas[(current + 1) % areas.length];
    state.lastEdited = next.dataset.field;
    next.focus();
    next.setSelectionRange(next.value.length, next.value.length);
  }

  // ---------- keys ----------

  document.addEventListener("keydown", async (event) => {
    if (document.querySelector("dialog[open]")) return; // dialogs handle their own keys (Esc closes)
    const view = route().view;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s" && view === "item") {
      event.preventDefault();
      await save();
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && view === "item") {
      event.preventDefault();
      await approve();
      return;
    }
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (key === "?") return openHelp();
    if (view === "queue") {
      if (key === "j" || key === "ArrowDown") moveSelection(1);
      else if (key === "k" || key === "ArrowUp") moveSelection(-1);
      else if ((key === "Enter" || key === "o") && !(event.target instanceof HTMLAnchorElement)) {
        const item = state.queue[state.selected];
        if (item) location.hash = `#/t/${item.id}`;
      } else return;
      event.preventDefault();
      return;
    }
    if (view !== "item") return;
    const index = state.queue.findIndex((entry) => entry.id === state.item?.id);
    const handlers = {
      j: () => goTo(state.queue[index + 1]),
      k: () => goTo(index > 0 ? state.queue[index - 1] : undefined),
      e: editNext,
      s: save,
      a: approve,
      r: openReject,
      d: toggleDiff,
      g: openGlossary,
      Escape: () => {
        location.hash = "#/";
      },
    };
    const handler = handlers[key];
    if (!handler) return;
    event.preventDefault();
    await handler();
  });

  // ---------- routing ----------

  function goTo(item) {
    if (item) location.hash = `#/t/${item.id}`;
  }

  function route() {
    const match = /^#\/t\/([\w-]+)$/.exec(location.hash);
    return match ? { view: "item", id: match[1] } : { view: "queue" };
  }

  async function render() {
    const current = route();
    if (current.view === "item") {
      if (state.queue.length === 0) {
        try {
          state.queue = await loadQueue();
        } catch {
          state.queue = [];
        }
      }
      await renderItem(current.id);
      const draft = readDraft(current.id);
      if (draft && Object.keys(draft.fields).length) {
        say(t("draftRestored"));
        const conflicts = conflictsWith(state.item, draft);
        if (conflicts.length) drawItem({ conflicts });
      }
    } else {
      await renderQueue();
    }
    main.focus({ preventScroll: true });
  }

  function translateStatic() {
    document.documentElement.lang = window.i18next.language;
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    const select = document.getElementById("language");
    select.value = window.i18next.language;
  }

  async function start() {
    await window.deskI18nReady;
    translateStatic();
    document.getElementById("language").addEventListener("change", async (event) => {
      localStorage.setItem("desk:language", event.target.value);
      await window.i18next.changeLanguage(event.target.value);
      translateStatic();
      if (route().view === "item" && state.item) drawItem({ keepScroll: true });
      else await renderQueue();
    });
    document.getElementById("help-button").addEventListener("click", openHelp);
    window.addEventListener("hashchange", render);
    // A narrower window wraps the text onto more lines: the boxes grow to show all of it.
    window.addEventListener("resize", () => {
      for (const area of main.querySelectorAll("textarea.target")) autosize(area);
    });
    await render();
  }

  start();
})();
