// The kiosk on a bench's screen (templates/benches/kiosk/). Everything works without this script; with it:
//
// - Outbox: an answer becomes a protocol message (a random id, an increasing seq, the time it was given) kept in
//   localStorage, and is posted with the others waiting to /kiosk/<bench>/messages. A message leaves the outbox
//   only when the server has stored it (accepted or duplicate) or refused it for good; a network failure, an
//   ended session or a rate limit keeps it for the next try (on "online" and every RETRY_SECONDS). So an answer
//   given while the network is down is sent once it is back, and never twice: the server stores each id once.
// - Offline answers: each ballot screen keeps a small pool of one-time tokens, so that while the network is down
//   the next person can answer on the same screen.
// - Inactivity: after data-idle seconds without a touch, a dialog asks whether someone is still there ("I need
//   more time"); data-idle-warning seconds later the screen goes back to the start.
(() => {
  "use strict";
  const body = document.body;
  if (!body.dataset.bench || body.hasAttribute("data-preview")) return;

  const RETRY_SECONDS = 30;
  const BATCH = 100;
  const bench = body.dataset.bench;
  const key = (name) => `civiclink.kiosk.${bench}.${name}`;
  const load = (name, fallback) => {
    try {
      return JSON.parse(localStorage.getItem(key(name))) ?? fallback;
    } catch {
      return fallback;
    }
  };
  const save = (name, value) => localStorage.setItem(key(name), JSON.stringify(value));
  const csrf = () => document.querySelector("input[name=csrfmiddlewaretoken]").value;

  const newId = () => {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
  // Milliseconds, like the server's seq for answers posted without this script; never less than the last one.
  const nextSeq = () => {
    const seq = Math.max(load("seq", 0) + 1, Date.now());
    save("seq", seq);
    return seq;
  };

  const post = (url, data) =>
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(data),
    });

  // --- The outbox -------------------------------------------------------------------------------------------

  const outboxStatus = document.getElementById("kiosk-outbox");
  const showOutbox = () => {
    const waiting = load("outbox", []).length;
    if (!outboxStatus) return;
    outboxStatus.hidden = waiting === 0;
    outboxStatus.querySelector("[data-count]").textContent = String(waiting);
  };

  let flushing = null;
  // Send what waits; resolves to a Map of message id -> "accepted" | "duplicate" | "rejected" for the messages
  // the server answered (those it did not answer stay in the outbox).
  const flush = () => {
    flushing = flushing || sendAll().finally(() => {
      flushing = null;
      showOutbox();
    });
    return flushing;
  };
  const sendAll = async () => {
    const answered = new Map();
    for (;;) {
      const batch = load("outbox", []).slice(0, BATCH);
      if (!batch.length) return answered;
      let outcome;
      try {
        const response = await post(body.dataset.messages, batch);
        if (!response.ok) return answered;
        outcome = await response.json();
      } catch {
        return answered; // offline: try again later
      }
      outcome.accepted.forEach((id) => answered.set(id, "accepted"));
      outcome.duplicate.forEach((id) => answered.set(id, "duplicate"));
      outcome.rejected
        .filter((refusal) => refusal.reason !== "rate_limited")
        .forEach((refusal) => answered.set(refusal.id, "rejected"));
      save("outbox", load("outbox", []).filter((message) => !answered.has(message.id)));
      if (!batch.some((message) => answered.has(message.id))) return answered; // rate limited: later
    }
  };
  const queue = (message) => {
    save("outbox", [...load("outbox", []), message]);
    showOutbox();
  };

  // --- Tokens for answers given offline ------------------------------------------------------------------------

  const poolName = (form) => `tokens.${form.dataset.target}.${form.dataset.id}`;
  const pool = (form) => load(poolName(form), []).filter((entry) => entry.expires > Date.now());
  const fillPool = async (form) => {
    const have = pool(form);
    const wanted = Number(body.dataset.pool) - have.length;
    if (wanted <= 0 || !navigator.onLine) return;
    try {
      const response = await post(body.dataset.tokens, { target: form.dataset.target, id: Number(form.dataset.id), count: wanted });
      if (!response.ok) return;
      const issued = await response.json();
      const expires = Date.now() + (issued.days * 24 - 1) * 3600 * 1000; // an hour early, for clock drift
      save(poolName(form), [...pool(form), ...issued.tokens.map((token) => ({ token, expires }))]);
    } catch {
      // offline: the page's own token still takes the first answer
    }
  };
  const takeToken = (form) => {
    const [first, ...rest] = pool(form);
    save(poolName(form), rest);
    return first ? first.token : null;
  };

  // --- Answers --------------------------------------------------------------------------------------------------

  const answersOf = (form) => {
    const answers = {};
    form.querySelectorAll("[data-question]").forEach((fieldset) => {
      const id = fieldset.dataset.question;
      const kind = fieldset.dataset.kind;
      if (kind === "single" || kind === "scale") {
        const checked = fieldset.querySelector("input:checked");
        if (checked) answers[id] = kind === "scale" && checked.value === "dk" ? null : Number(checked.value);
      } else if (kind === "multiple") {
        const chosen = Array.from(fieldset.querySelectorAll("input:checked"), (input) => Number(input.value));
        if (chosen.length) answers[id] = chosen.sort((a, b) => a - b);
      } else if (kind === "ranking") {
        const ranks = {};
        fieldset.querySelectorAll("input[data-choice]").forEach((input) => {
          if (input.value.trim()) ranks[input.dataset.choice] = Number(input.value);
        });
        if (Object.keys(ranks).length) answers[id] = ranks;
      } else {
        const text = fieldset.querySelector("textarea").value.trim();
        if (text) answers[id] = text;
      }
    });
    return answers;
  };
  const contentOf = (form) => {
    if (form.dataset.target === "problem") {
      const problem = { title: form.elements.title.value.trim(), description: form.elements.description.value.trim() };
      const category = form.querySelector("input[name=category]:checked");
      if (category) problem.category = Number(category.value);
      return { problem };
    }
    const content = { answers: answersOf(form) };
    if (form.elements.code) content.code = form.elements.code.value;
    return content;
  };
  const messageOf = (form) => ({
    id: form.elements.message.value,
    seq: nextSeq(),
    ts: new Date().toISOString(),
    type: "response",
    data: { token: form.elements.token.value, target: form.dataset.target, id: Number(form.dataset.id), ...contentOf(form) },
  });

  const saved = document.getElementById("kiosk-saved");
  const keptOffline = (form) => {
    form.hidden = true;
    saved.hidden = false;
    saved.focus();
    const next = saved.querySelector("[data-next-person]");
    const cooling = saved.querySelector("[data-cooling]");
    next.disabled = true;
    cooling.hidden = false;
    setTimeout(() => {
      next.disabled = false;
      cooling.hidden = true;
    }, Number(body.dataset.cooldown) * 1000);
  };
  const nextPerson = (form) => {
    const token = takeToken(form);
    if (!token) {
      saved.querySelector("[data-no-tokens]").hidden = false;
      return;
    }
    form.reset();
    form.elements.token.value = token;
    form.elements.message.value = newId();
    saved.hidden = true;
    form.hidden = false;
    form.querySelector("input, textarea, button").focus();
  };

  document.querySelectorAll("form[data-answer]").forEach((form) => {
    fillPool(form);
    saved.querySelector("[data-next-person]").addEventListener("click", () => nextPerson(form));
    form.addEventListener("submit", async (event) => {
      if (form.dataset.native) return;
      event.preventDefault();
      if (!navigator.onLine && !form.reportValidity()) return;
      const message = messageOf(form);
      queue(message);
      form.querySelector("button[type=submit]").disabled = true;
      const state = (await flush()).get(message.id);
      if (state === "accepted" || state === "duplicate") {
        location.assign(`${form.dataset.thanks}?m=${encodeURIComponent(message.id)}`);
      } else if (state === "rejected") {
        // Refused: the form goes to the server as it is, which says why in words and keeps what was chosen.
        form.dataset.native = "1";
        form.submit();
      } else {
        form.querySelector("button[type=submit]").disabled = false;
        keptOffline(form);
      }
    });
  });

  window.addEventListener("online", () => flush());
  setInterval(() => {
    if (navigator.onLine && load("outbox", []).length) flush();
  }, RETRY_SECONDS * 1000);
  showOutbox();
  if (navigator.onLine) flush();

  // --- Cool-down screen: try again when it has passed ------------------------------------------------------------

  if (body.dataset.wait) setTimeout(() => location.reload(), Number(body.dataset.wait) * 1000);

  // --- Inactivity ------------------------------------------------------------------------------------------------

  const dialog = document.getElementById("kiosk-idle");
  const resetForm = document.getElementById("kiosk-reset");
  const onHome = body.hasAttribute("data-home");
  let idleTimer = null;
  let resetTimer = null;
  const backToStart = () => {
    if (navigator.onLine) {
      resetForm.submit();
      return;
    }
    // Without a connection no page can load: clear the ballot for the next person instead.
    dialog.close();
    document.querySelectorAll("form[data-answer]").forEach((form) => form.reset());
    arm();
  };
  const warn = () => {
    dialog.showModal();
    resetTimer = setTimeout(backToStart, Number(body.dataset.idleWarning) * 1000);
  };
  const arm = () => {
    clearTimeout(idleTimer);
    clearTimeout(resetTimer);
    // A start screen as the next person should find it has nothing to clear.
    if (onHome && !body.hasAttribute("data-customised")) return;
    idleTimer = setTimeout(warn, Number(body.dataset.idle) * 1000);
  };
  dialog.querySelector("[data-more-time]").addEventListener("click", () => {
    dialog.close();
    arm();
  });
  dialog.addEventListener("cancel", () => arm());
  ["pointerdown", "keydown", "input"].forEach((name) =>
    document.addEventListener(name, () => {
      if (!dialog.open) arm();
    }, { passive: true }),
  );
  arm();
})();
