/* Self-assessment: saves each indicator's form in the background while the team types, and loses nothing.

   - Typing is saved about a second after the last key, a level as soon as it is chosen; the server's answer (an
     HTML fragment) sets the status line and the form's revision.
   - Until the server confirms, what was typed is kept in localStorage per campaign and indicator, and put back
     when the page is opened again (a lost connection or a closed tab loses nothing).
   - If someone else saved the indicator in the meantime the server refuses (409) and sends their version; both are
     shown, and automatic saving pauses until the person has merged them and pressed Save.
   Without this script every form still posts and saves on its own. */
(function () {
  "use strict";

  var DELAY = 1000;
  var sheet = document.querySelector(".assessment-sheet");
  if (!sheet || !window.fetch) {
    return;
  }
  var text = sheet.dataset;
  var store = null;
  try {
    store = window.localStorage;
  } catch (error) {
    store = null; // storage blocked: saving still works, only the browser-side draft is missing
  }

  function revisionInput(form) {
    return form.querySelector('input[name$="-revision"]');
  }

  function values(form) {
    var checked = form.querySelector('input[type="radio"]:checked');
    return {level: checked ? checked.value : "", justification: form.querySelector("textarea").value};
  }

  function same(a, b) {
    return a.level === b.level && a.justification === b.justification;
  }

  function fill(form, draft) {
    form.querySelectorAll('input[type="radio"]').forEach(function (radio) {
      radio.checked = radio.value === draft.level;
    });
    form.querySelector("textarea").value = draft.justification;
  }

  function readDraft(form) {
    if (!store) {
      return null;
    }
    try {
      return JSON.parse(store.getItem(form.dataset.draftKey));
    } catch (error) {
      return null;
    }
  }

  function writeDraft(form) {
    if (!store) {
      return;
    }
    var draft = values(form);
    draft.revision = revisionInput(form).value;
    draft.time = Date.now();
    try {
      store.setItem(form.dataset.draftKey, JSON.stringify(draft));
    } catch (error) {
      // storage full: the server copy is still being saved
    }
  }

  function dropDraft(form) {
    if (store) {
      store.removeItem(form.dataset.draftKey);
    }
  }

  function setUp(form) {
    var status = document.getElementById(form.dataset.status);
    var conflictSlot = document.getElementById(form.dataset.conflict);
    var state = {timer: null, busy: false, again: false, held: false, dirty: false};

    function say(message) {
      if (message && status.textContent !== message) {
        status.textContent = message;
      }
    }

    function answered(body) {
      var template = document.createElement("template");
      template.innerHTML = body;
      return template.content.querySelector("[data-save-result]");
    }

    function save(explicit) {
      window.clearTimeout(state.timer);
      if (state.held && !explicit) {
        say(text.msgHeld);
        return;
      }
      if (state.busy) {
        state.again = explicit || state.again === "explicit" ? "explicit" : "auto"; // saved when the answer is in
        return;
      }
      state.busy = true;
      state.held = false;
      var sent = values(form);
      window
        .fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: {"HX-Request": "true"},
          credentials: "same-origin",
        })
        .then(function (response) {
          return response.text();
        })
        .then(function (body) {
          var result = answered(body);
          if (!result) {
            throw new Error("unexpected answer");
          }
          var message = result.querySelector(".save-message");
          say(message ? message.textContent.trim() : "");
          if (result.dataset.revision !== undefined) {
            revisionInput(form).value = result.dataset.revision;
          }
          var panel = result.querySelector(".conflict");
          conflictSlot.replaceChildren();
          if (panel) {
            conflictSlot.appendChild(document.adoptNode(panel));
          }
          var outcome = result.dataset.state;
          if (outcome === "saved") {
            state.dirty = !same(values(form), sent);
            if (state.dirty) {
              writeDraft(form); // typed on while the save was under way: that is saved next
              state.again = state.again || "auto";
            } else {
              dropDraft(form);
            }
          } else if (outcome === "conflict") {
            state.held = true;
          }
        })
        .catch(function () {
          state.dirty = true;
          say(text.msgOffline);
        })
        .finally(function () {
          state.busy = false;
          var again = state.again;
          state.again = false;
          if (again) {
            save(again === "explicit");
          }
        });
    }

    function changed(immediately) {
      state.dirty = true;
      writeDraft(form);
      if (!state.held) {
        say(text.msgUnsaved);
      }
      window.clearTimeout(state.timer);
      if (immediately) {
        save(false);
      } else {
        state.timer = window.setTimeout(function () {
          save(false);
        }, DELAY);
      }
    }

    form.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA") {
        changed(false);
      }
    });
    form.addEventListener("change", function (event) {
      if (event.target.type === "radio") {
        changed(true);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      writeDraft(form);
      save(true);
    });
    window.addEventListener("online", function () {
      if (state.dirty) {
        save(false);
      }
    });

    // A draft exists only while the server has not confirmed it, so it is newer than what the page shows: put it
    // back and save it. If it was begun on an older revision, the server answers with both versions to compare.
    var draft = readDraft(form);
    if (draft && typeof draft.justification === "string" && typeof draft.revision === "string") {
      if (same(draft, values(form))) {
        dropDraft(form);
      } else {
        fill(form, draft);
        revisionInput(form).value = draft.revision;
        state.dirty = true;
        say(text.msgRestored);
        save(false);
      }
    }
  }

  sheet.querySelectorAll("form[data-autosave]").forEach(setUp);
})();
