/*
 * elpack learner runtime: page-by-page navigation, questions, reflections and branching choices,
 * tracked through the SCORM 1.2 API. Hand-written and dependency-free on purpose: it must stay
 * small and behave the same in every LMS. docs/runtime.md describes what it records and why.
 */
(function () {
  "use strict";

  var SUSPEND_LIMIT = 4096;
  var FORMAT = 1; // the suspend_data layout; bump it when the layout changes
  var TEXT_LIMIT = 255; // SCORM 1.2 CMIString255, for fill-in responses
  var COMMIT_DELAY = 400;
  var RETRY_DELAYS = [500, 2000, 5000, 15000];
  var BASE32 = "0123456789abcdefghijklmnopqrstuv";

  var dataElement = document.getElementById("elpack-data");
  if (!dataElement) return;
  var data = JSON.parse(dataElement.textContent);
  var root = document.documentElement;
  root.classList.add("js");

  // -----------------------------------------------------------------------------------------
  // Small helpers

  // A missing scope (null) finds nothing, rather than searching the whole document.
  function $(selector, scope) {
    if (scope === null) return null;
    return (scope || document).querySelector(selector);
  }
  function $$(selector, scope) {
    if (scope === null) return [];
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function textOf(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }
  function pad(number, width) {
    var text = String(number);
    while (text.length < width) text = "0" + text;
    return text;
  }
  // CMITimespan, HHHH:MM:SS.SS with 2 to 4 hour digits: "00:03:07.25". Moodle rejects "0:3:7".
  function timespan(milliseconds) {
    var centiseconds = Math.min(Math.max(Math.round(milliseconds / 10), 0), 35999999999);
    var hours = Math.floor(centiseconds / 360000);
    var minutes = Math.floor(centiseconds / 6000) % 60;
    var seconds = Math.floor(centiseconds / 100) % 60;
    return pad(Math.min(hours, 9999), 2) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." +
      pad(centiseconds % 100, 2);
  }
  // CMITime, HH:MM:SS
  function clockTime(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }
  // The length a text takes inside suspend_data (JSON-escaped), in UTF-16 units as LMSs count.
  function storedLength(text) {
    return JSON.stringify(text).length - 2;
  }
  function fitStored(text, limit) {
    if (storedLength(text) <= limit) return text;
    var low = 0;
    var high = text.length;
    while (low < high) {
      var middle = Math.ceil((low + high) / 2);
      if (storedLength(text.slice(0, middle)) <= limit) low = middle;
      else high = middle - 1;
    }
    var cut = text.slice(0, low);
    // never leave half of a surrogate pair behind
    if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
    return cut;
  }
  // Control characters would be stored as six-character escapes; lone surrogates are invalid.
  function cleanText(text) {
    return String(text)
      .replace(/\r\n?/g, "\n")
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, " ")
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g, "$1");
  }
  function normalise(text) {
    return String(text).toLowerCase().replace(/\s+/g, " ").trim();
  }

  // A small seeded generator (mulberry32), so that a draw or an option order can be repeated
  // exactly on resume from the seed kept in suspend_data.
  function generator(seed) {
    var state = seed >>> 0;
    return function () {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function hashText(text) {
    var hash = 2166136261;
    for (var i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    return hash >>> 0;
  }
  function shuffled(list, random) {
    var copy = list.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var swap = copy[i];
      copy[i] = copy[j];
      copy[j] = swap;
    }
    return copy;
  }
  function newSeed() {
    return Math.floor(Math.random() * 2147483647).toString(36);
  }
  function bitsToText(flags) {
    var text = "";
    for (var i = 0; i < flags.length; i += 5) {
      var value = 0;
      for (var bit = 0; bit < 5; bit++) if (flags[i + bit]) value |= 1 << bit;
      text += BASE32[value];
    }
    return text;
  }
  function textToBits(text, count) {
    var flags = [];
    for (var i = 0; i < count; i++) {
      var value = BASE32.indexOf(text.charAt(Math.floor(i / 5)));
      flags.push(value > 0 && Boolean(value & (1 << i % 5)));
    }
    return flags;
  }

  // -----------------------------------------------------------------------------------------
  // Messages to the learner

  var statusRegion = document.getElementById("elpack-status");
  var alertRegion = document.getElementById("elpack-alert");
  function announce(message) {
    if (!statusRegion) return;
    // Clearing first makes screen readers repeat a message that happens to be the same again.
    statusRegion.textContent = "";
    window.setTimeout(function () {
      statusRegion.textContent = message;
    }, 50);
  }
  function alertLearner(message) {
    if (!alertRegion) return announce(message);
    alertRegion.textContent = message;
  }

  // -----------------------------------------------------------------------------------------
  // The SCORM 1.2 API: discovery, checked calls, debounced commits with retries.

  function findApiFrom(win) {
    for (var level = 0; win && level <= 7; level++) {
      try {
        if (win.API && typeof win.API.LMSInitialize === "function") return win.API;
      } catch (error) {
        // a frame from another origin: its API is out of reach, but its parent may not be
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  var lms = {
    api: null,
    open: false,
    sent: {},
    // "none" when there is no LMS, "refused" when LMSInitialize failed, else "open"
    start: function () {
      var api = findApiFrom(window);
      [window.opener, window.top && window.top.opener].forEach(function (opener) {
        try {
          if (!api && opener) api = findApiFrom(opener);
        } catch (error) {
          // an opener from another origin
        }
      });
      if (!api) return "none";
      this.api = api;
      this.open = this.call("LMSInitialize", "") === "true";
      if (!this.open) this.api = null;
      return this.open ? "open" : "refused";
    },
    call: function (method) {
      var args = Array.prototype.slice.call(arguments, 1);
      var result;
      var code;
      try {
        result = String(this.api[method].apply(this.api, args));
        code = String(this.api.LMSGetLastError());
      } catch (error) {
        result = "false";
        code = "101";
      }
      this.lastError = code;
      return result;
    },
    get: function (name) {
      if (!this.open) return "";
      var value = this.call("LMSGetValue", name);
      return this.lastError === "0" || this.lastError === "" ? value : "";
    },
    set: function (name, value) {
      if (!this.open) return false;
      value = String(value);
      if (this.sent[name] === value) return true;
      var ok = this.call("LMSSetValue", name, value) === "true";
      if (ok) this.sent[name] = value;
      else if (window.console) console.warn("elpack: the LMS refused " + name + " (error " + this.lastError + ")");
      return ok;
    },
    commit: function () {
      if (!this.open) return true;
      return this.call("LMSCommit", "") === "true";
    },
    finish: function () {
      if (!this.open) return true;
      var ok = this.call("LMSFinish", "") === "true";
      this.open = false; // never call the API again, whatever LMSFinish returned
      return ok;
    },
  };

  // -----------------------------------------------------------------------------------------
  // The content: pages, questions, reflections, choices.

  var pages = data.pages;
  var pageById = {};
  pages.forEach(function (page, index) {
    page.index = index;
    page.element = document.getElementById("page-" + page.id);
    pageById[page.id] = page;
  });
  var mainLine = pages.filter(function (page) {
    return !page.branch;
  });
  var checks = data.checks; // knowledge-check question ids, in page order
  var choiceIds = data.choices.map(function (choice) {
    return choice.id;
  });
  var choiceTargets = {};
  data.choices.forEach(function (choice) {
    choiceTargets[choice.id] = choice.targets;
  });
  var assessment = data.assessment;
  var pool = assessment ? assessment.questions : [];
  var drawWidth = pool.length > 36 ? 2 : 1;
  var recordable = checks.concat(data.reflections, choiceIds); // reported once per attempt each

  // -----------------------------------------------------------------------------------------
  // The learner's progress, and its compact, versioned form for cmi.suspend_data.

  function freshProgress() {
    return {
      seen: pages.map(function () {
        return false;
      }),
      recorded: recordable.map(function () {
        return false;
      }),
      answers: checks.map(function () {
        return "";
      }),
      reflections: data.reflections.map(function () {
        return "";
      }),
      choices: choiceIds.map(function () {
        return "";
      }),
      test: assessment ? { attempts: 0, drawn: [], seed: "", answers: [], score: -1, best: -1, done: false } : null,
      seed: newSeed(),
    };
  }

  function serialise(progress) {
    var test = progress.test;
    return JSON.stringify({
      v: FORMAT,
      h: data.hash,
      s: bitsToText(progress.seen),
      w: bitsToText(progress.recorded),
      a: progress.answers,
      r: progress.reflections,
      c: progress.choices,
      x: test && {
        n: test.attempts,
        d: test.drawn
          .map(function (id) {
            return pad(pool.indexOf(id).toString(36), drawWidth);
          })
          .join(""),
        o: test.seed,
        q: test.answers,
        s: test.score,
        b: test.best,
        f: test.done ? 1 : 0,
      },
      z: progress.seed,
    });
  }

  function isTextList(list, length) {
    return (
      Array.isArray(list) &&
      list.length === length &&
      list.every(function (item) {
        return typeof item === "string";
      })
    );
  }

  // Returns the progress kept in ``text``, or null if it is missing, damaged or was saved by a
  // different version of the content (the hash covers pages, questions and their answers).
  function deserialise(text) {
    var saved;
    try {
      saved = JSON.parse(text);
    } catch (error) {
      return null;
    }
    if (!saved || saved.v !== FORMAT || saved.h !== data.hash) return null;
    if (!isTextList(saved.a, checks.length) || !isTextList(saved.r, data.reflections.length)) return null;
    if (!isTextList(saved.c, choiceIds.length) || typeof saved.s !== "string") return null;
    var progress = freshProgress();
    progress.seen = textToBits(saved.s, pages.length);
    progress.recorded = textToBits(String(saved.w || ""), recordable.length);
    progress.answers = saved.a;
    progress.reflections = saved.r;
    progress.choices = saved.c;
    progress.seed = typeof saved.z === "string" ? saved.z : progress.seed;
    if (assessment) {
      var x = saved.x;
      if (!x || typeof x.d !== "string" || !Array.isArray(x.q)) return null;
      var drawn = [];
      for (var i = 0; i < x.d.length; i += drawWidth) {
        var id = pool[parseInt(x.d.substr(i, drawWidth), 36)];
        if (!id) return null;
        drawn.push(id);
      }
      if (!isTextList(x.q, drawn.length)) return null;
      progress.test = {
        attempts: Number(x.n) || 0,
        drawn: drawn,
        seed: String(x.o || ""),
        answers: x.q,
        score: typeof x.s === "number" ? x.s : -1,
        best: typeof x.b === "number" ? x.b : -1,
        done: x.f === 1,
      };
    }
    return progress;
  }

  // Where progress lives: the LMS, or this browser's localStorage when there is no LMS.
  var storageKey = "elpack:" + data.id;
  function readLocal() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }
  function writeLocal(record) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(record));
      return true;
    } catch (error) {
      return false;
    }
  }

  // -----------------------------------------------------------------------------------------
  // Session state

  var progress = freshProgress();
  var current = null;
  var startedAt = Date.now();
  var pageShownAt = Date.now();
  var passMark = data.passMark;
  var priorStatus = "";
  var priorScore = -1;
  var reviewMode = false;
  var standalone = false;

  function mainLineSeen() {
    return mainLine.filter(function (page) {
      return progress.seen[page.index];
    }).length;
  }

  var FINISHED_STATUSES = { passed: true, completed: true, failed: true };

  // incomplete until the completion rule holds; then passed/failed against the same mastery
  // score the LMS uses, or completed when nothing is scored. Never "not attempted".
  function lessonStatus() {
    var status = "incomplete";
    var test = progress.test;
    if (data.scored && test) {
      if (test.best >= 0) status = test.best >= passMark ? "passed" : "failed";
    } else if (mainLineSeen() === mainLine.length) {
      status = "completed";
    }
    // An earlier session's result stands: a learner who passed is never marked down again.
    if (priorStatus === "passed" || (priorStatus === "completed" && status === "incomplete")) return priorStatus;
    if (priorStatus === "failed" && status === "incomplete") return "failed";
    return status;
  }

  function attemptsLeft() {
    var test = progress.test;
    if (!test || assessment.attempts === null) return Infinity;
    return Math.max(assessment.attempts - test.attempts, 0);
  }

  function isFinished() {
    var status = lessonStatus();
    if (status === "failed") return attemptsLeft() === 0;
    return status === "passed" || status === "completed";
  }

  // -----------------------------------------------------------------------------------------
  // Saving: every meaningful change asks for a save; saves are debounced, and a failed commit
  // is retried with growing pauses (never in a tight loop) before the learner is told.

  var saveTimer = null;
  var failedCommits = 0;
  var saveWarningShown = false;

  // false if the LMS refused a value that resume depends on: that is a failed save too
  function pushToLms() {
    if (reviewMode) return true;
    var suspend = serialise(progress);
    if (current) lms.set("cmi.core.lesson_location", current.id.slice(0, 255));
    var kept = lms.set("cmi.suspend_data", suspend);
    kept = lms.set("cmi.core.lesson_status", lessonStatus()) && kept;
    lms.set("cmi.core.exit", isFinished() ? "" : "suspend");
    return kept;
  }

  function saveNow() {
    window.clearTimeout(saveTimer);
    saveTimer = null;
    if (standalone) {
      writeLocal({
        suspend: serialise(progress),
        location: current ? current.id : "",
        status: lessonStatus(),
      });
      return true;
    }
    if (!lms.open) return false;
    flushInputs(false);
    var kept = pushToLms();
    if (reviewMode) return true;
    if (lms.commit() && kept) {
      if (saveWarningShown) {
        alertLearner("");
        announce("Your progress is being saved again.");
      }
      failedCommits = 0;
      saveWarningShown = false;
      return true;
    }
    failedCommits += 1;
    if (failedCommits >= 2 && !saveWarningShown) {
      saveWarningShown = true;
      alertLearner(
        "Your progress could not be saved to the learning system. Keep this window open: " +
          "we will keep trying. If this message stays, tell your learning system administrator."
      );
    }
    // After the quick retries, keep trying every 30 seconds while something is unsaved.
    saveTimer = window.setTimeout(saveNow, RETRY_DELAYS[failedCommits - 1] || 30000);
    return false;
  }

  function save(delay) {
    if (saveTimer !== null && delay === undefined) return;
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(saveNow, delay === undefined ? COMMIT_DELAY : delay);
  }

  var ended = false;
  // true when everything reached the LMS (or this browser's storage)
  function endSession() {
    if (ended) return true;
    ended = true;
    window.clearTimeout(saveTimer);
    if (standalone) return saveNow();
    if (!lms.open) return false;
    flushInputs(true);
    var kept = pushToLms();
    if (!reviewMode) lms.set("cmi.core.session_time", timespan(Date.now() - startedAt));
    var committed = lms.commit();
    return lms.finish() && committed && kept;
  }

  // -----------------------------------------------------------------------------------------
  // SCORM interactions: one record per answered item, with sequential indexes.

  var interactionsWork = true;
  function recordInteraction(record) {
    if (!lms.open || reviewMode || !interactionsWork) return;
    var count = parseInt(lms.get("cmi.interactions._count"), 10);
    if (isNaN(count)) {
      interactionsWork = false; // the LMS does not keep interactions
      return;
    }
    var prefix = "cmi.interactions." + count + ".";
    if (!lms.set(prefix + "id", record.id)) {
      interactionsWork = false;
      return;
    }
    lms.set(prefix + "type", record.type);
    if (record.pattern) lms.set(prefix + "correct_responses.0.pattern", record.pattern);
    lms.set(prefix + "student_response", record.response);
    lms.set(prefix + "result", record.result);
    lms.set(prefix + "weighting", record.weighting);
    lms.set(prefix + "latency", timespan(record.latency));
    lms.set(prefix + "time", clockTime(new Date()));
    // A fresh index each time: these names are never repeated, so forget them.
    Object.keys(lms.sent).forEach(function (name) {
      if (name.indexOf(prefix) === 0) delete lms.sent[name];
    });
  }

  function markRecorded(id) {
    var index = recordable.indexOf(id);
    if (index < 0 || progress.recorded[index]) return false;
    progress.recorded[index] = true;
    return true;
  }

  // -----------------------------------------------------------------------------------------
  // Questions

  var questionElements = {};
  $$("fieldset[data-question]").forEach(function (fieldset) {
    questionElements[fieldset.id] = fieldset;
  });

  function optionRows(fieldset) {
    return $$(".option", fieldset);
  }

  function orderingItems(fieldset) {
    return $$(":scope > li[data-item]", $("ol.ordering", fieldset));
  }

  // Nodes sorted into the written order, so that an arrangement depends on the seed alone and
  // not on what the learner did to the page before.
  function inWrittenOrder(nodes, idOf, written) {
    return nodes.slice().sort(function (a, b) {
      return written.indexOf(idOf(a)) - written.indexOf(idOf(b));
    });
  }

  // Option order: shuffled (seeded) where the writer allows it. Ordering items always start out
  // of order, and matching partners are always shuffled, since the page lists both in the order
  // that gives the answer away.
  function arrangeOptions(id, seed) {
    var question = data.questions[id];
    var fieldset = questionElements[id];
    if (!fieldset) return;
    var random = generator(hashText(seed + ":" + id));
    if (question.type === "ordering") {
      var list = $("ol.ordering", fieldset);
      var written = inWrittenOrder(orderingItems(fieldset), function (item) {
        return item.getAttribute("data-item");
      }, question.options);
      var order = shuffled(written, random);
      if (order.length > 1 && order.every(function (item, index) { return item === written[index]; })) {
        order.push(order.shift());
      }
      order.forEach(function (item) {
        list.appendChild(item);
      });
      return;
    }
    if (question.type === "matching") {
      $$("select", fieldset).forEach(function (select) {
        var choices = $$("option", select).slice(1).sort(function (a, b) {
          return Number(a.value) - Number(b.value);
        });
        shuffled(choices, random).forEach(function (choice) {
          select.appendChild(choice);
        });
      });
    }
    if (!question.shuffle) return;
    var rows = inWrittenOrder(optionRows(fieldset), function (row) {
      var control = $("input, select", row);
      return control ? control.getAttribute("data-item") || control.value : "";
    }, question.options);
    if (!rows.length) return;
    var anchor = optionRows(fieldset).pop().nextSibling;
    var parent = rows[0].parentNode;
    shuffled(rows, random).forEach(function (row) {
      parent.insertBefore(row, anchor);
    });
  }

  // The learner's answer in its stored form ("" while unanswered): option ids ("b", "ac"), the
  // partner number of each matching item in base 36, the order of ordering items, or the text.
  function readAnswer(id) {
    var question = data.questions[id];
    var fieldset = questionElements[id];
    switch (question.type) {
      case "multiple":
        return $$("input:checked", fieldset)
          .map(function (input) { return input.value; })
          .sort()
          .join("");
      case "matching": {
        var numbers = question.options.map(function (option) {
          var select = $('select[data-item="' + option + '"]', fieldset);
          return select && select.value ? Number(select.value).toString(36) : "0";
        });
        return numbers.indexOf("0") >= 0 ? "" : numbers.join("");
      }
      case "ordering":
        return orderingItems(fieldset)
          .map(function (item) { return item.getAttribute("data-item"); })
          .join("");
      case "text": {
        var text = cleanText($("input[type=text]", fieldset).value).replace(/\n/g, " ");
        return normalise(text) ? fitStored(text.trim(), TEXT_LIMIT) : "";
      }
      default: {
        var chosen = $("input:checked", fieldset);
        return chosen ? chosen.value : "";
      }
    }
  }

  function showAnswer(id, answer) {
    var question = data.questions[id];
    var fieldset = questionElements[id];
    switch (question.type) {
      case "matching":
        question.options.forEach(function (option, index) {
          var select = $('select[data-item="' + option + '"]', fieldset);
          var number = answer ? parseInt(answer.charAt(index), 36) : 0;
          if (select) select.value = number ? String(number) : "";
        });
        break;
      case "ordering":
        if (answer) {
          var list = $("ol.ordering", fieldset);
          answer.split("").forEach(function (option) {
            var item = $('li[data-item="' + option + '"]', list);
            if (item) list.appendChild(item);
          });
        }
        break;
      case "text":
        $("input[type=text]", fieldset).value = answer;
        break;
      default:
        $$("input", fieldset).forEach(function (input) {
          input.checked = answer.indexOf(input.value) >= 0 && input.value.length === 1;
        });
    }
  }

  // true, false, or null for questions without a right answer (opinion scales)
  function isCorrect(id, answer) {
    var question = data.questions[id];
    switch (question.type) {
      case "likert":
        return null;
      case "text":
        return question.accepted.some(function (accepted) {
          return normalise(accepted) === normalise(answer);
        });
      case "matching":
        return matchingResponse(id, answer) === question.pattern;
      case "ordering":
        return answer === question.options.join("");
      default:
        return answer === question.correct.slice().sort().join("");
    }
  }

  function matchingResponse(id, answer) {
    return data.questions[id].options
      .map(function (option, index) {
        return option + "." + answer.charAt(index); // base 36, one character as SCORM 1.2 wants
      })
      .join(",");
  }

  // student_response in the format SCORM 1.2 defines for the interaction type
  function scormResponse(id, answer) {
    var question = data.questions[id];
    switch (question.interaction) {
      case "true-false":
        return question.truth[answer] || "";
      case "matching":
        return matchingResponse(id, answer);
      case "fill-in":
      case "likert":
        return answer;
      default:
        return answer.split("").join(",");
    }
  }

  function interactionFor(id, answer, latency) {
    var question = data.questions[id];
    var correct = isCorrect(id, answer);
    return {
      id: id,
      type: question.interaction,
      response: scormResponse(id, answer),
      result: correct === null ? "neutral" : correct ? "correct" : "wrong",
      pattern: question.pattern,
      weighting: question.scored ? "1" : "0",
      latency: latency,
    };
  }

  var RESULT_TEXT = { true: "Correct.", false: "Not quite right." };

  function showFeedback(id, answer) {
    var fieldset = questionElements[id];
    var correct = isCorrect(id, answer);
    var box = $(".feedback", fieldset);
    fieldset.classList.toggle("is-correct", correct === true);
    fieldset.classList.toggle("is-incorrect", correct === false);
    var type = data.questions[id].type;
    $$(".option-feedback", fieldset).forEach(function (note) {
      // Matching and ordering feedback explains each item, so all of it is shown; short-text
      // feedback belongs to the answer the learner typed; otherwise, to the options chosen.
      var written = note.getAttribute("data-answer");
      note.hidden = type === "matching" || type === "ordering" ? false
        : written !== null ? normalise(written) !== normalise(answer)
        : answer.indexOf(note.getAttribute("data-for")) < 0;
    });
    if (!box) return "";
    var result = $(".feedback-result", box);
    if (!result) {
      result = element("p", "feedback-result");
      box.insertBefore(result, box.firstChild);
    }
    result.textContent = correct === null ? "" : RESULT_TEXT[correct];
    result.hidden = correct === null;
    var right = $(".feedback-correct", box);
    var wrong = $(".feedback-incorrect", box);
    if (right) right.hidden = correct !== true;
    if (wrong) wrong.hidden = correct !== false;
    box.hidden = false;
    var spoken = [result.textContent];
    $$(".option-feedback", fieldset).forEach(function (note) {
      if (!note.hidden) spoken.push(textOf(note));
    });
    $$(":scope > div", box).forEach(function (part) {
      if (!part.hidden) spoken.push(textOf(part));
    });
    return spoken.join(" ").trim();
  }

  function hideFeedback(id) {
    var fieldset = questionElements[id];
    fieldset.classList.remove("is-correct", "is-incorrect");
    var box = $(".feedback", fieldset);
    if (box) box.hidden = true;
    $$(".option-feedback", fieldset).forEach(function (note) {
      note.hidden = true;
    });
  }

  var UNANSWERED = {
    multiple: "Select at least one answer first.",
    matching: "Choose a match for every item first.",
    text: "Type your answer first.",
  };

  function checkQuestion(id) {
    var answer = readAnswer(id);
    if (!answer) {
      announce(UNANSWERED[data.questions[id].type] || "Choose an answer first.");
      return;
    }
    progress.answers[checks.indexOf(id)] = answer;
    if (markRecorded(id)) recordInteraction(interactionFor(id, answer, Date.now() - pageShownAt));
    announce(showFeedback(id, answer));
    save(0);
  }

  function moveItem(button, direction) {
    var item = button.closest("li[data-item]");
    var list = item.parentNode;
    var items = $$(":scope > li[data-item]", list);
    var index = items.indexOf(item);
    var target = index + direction;
    var name = textOf($(".item-text", item));
    if (target < 0 || target >= items.length) {
      announce(name + " is already " + (direction < 0 ? "first." : "last."));
      return;
    }
    if (direction < 0) list.insertBefore(item, items[target]);
    else list.insertBefore(item, items[target].nextSibling);
    button.focus();
    announce(name + " moved to position " + (target + 1) + " of " + items.length + ".");
    var fieldset = button.closest("fieldset[data-question]");
    if (fieldset) answerChanged(fieldset.id);
  }

  // -----------------------------------------------------------------------------------------
  // The final assessment: N of M drawn per attempt, scored together on submission.

  var assessmentElement = assessment ? document.getElementById(assessment.id) : null;
  var attemptStartedAt = Date.now();
  var answeredAt = {};

  function startAttempt() {
    var test = progress.test;
    test.seed = newSeed();
    var random = generator(hashText(test.seed + ":draw"));
    test.drawn = shuffled(pool, random).slice(0, assessment.draw);
    test.answers = test.drawn.map(function () {
      return "";
    });
    test.score = -1;
    test.done = false;
    attemptStartedAt = Date.now();
    answeredAt = {};
  }

  function layOutAttempt() {
    var test = progress.test;
    var submitRow = $('[data-action="submit-assessment"]', assessmentElement).closest("p");
    pool.forEach(function (id) {
      var fieldset = questionElements[id];
      fieldset.hidden = test.drawn.indexOf(id) < 0;
      $$("input, select, textarea, button", fieldset).forEach(function (control) {
        control.disabled = false;
        if (control.type === "radio" || control.type === "checkbox") control.checked = false;
        else if (control.tagName !== "BUTTON") control.value = "";
      });
      hideFeedback(id);
    });
    test.drawn.forEach(function (id, index) {
      var fieldset = questionElements[id];
      submitRow.parentNode.insertBefore(fieldset, submitRow);
      arrangeOptions(id, test.seed);
      showAnswer(id, test.answers[index]);
      var legend = $("legend", fieldset);
      var number = $(".question-number", legend);
      if (!number) {
        number = element("span", "question-number");
        legend.insertBefore(number, legend.firstChild);
      }
      number.textContent = "Question " + (index + 1) + " of " + test.drawn.length + ": ";
    });
    submitRow.hidden = test.done;
    var results = $(".results", assessmentElement);
    results.hidden = true;
    results.textContent = "";
    if (test.done) showResults(false);
  }

  // Opinion scales in the draw are never scored: they count neither as right nor as wrong.
  function scoredCount(test) {
    return test.drawn.filter(function (id) {
      return data.questions[id].scored;
    }).length;
  }

  function submitAssessment() {
    var test = progress.test;
    var answers = test.drawn.map(readAnswer);
    var missing = answers.indexOf("");
    if (missing >= 0) {
      var left = answers.filter(function (answer) { return !answer; }).length;
      announce(
        "Answer every question before you submit. " + left + (left === 1 ? " question is" : " questions are") +
          " not answered yet, starting with question " + (missing + 1) + "."
      );
      var first = $("input, select, button", questionElements[test.drawn[missing]]);
      if (first) first.focus();
      return;
    }
    test.answers = answers;
    var right = test.drawn.filter(function (id, index) {
      return isCorrect(id, answers[index]);
    }).length;
    // Rounded down, so that nobody passes below the mark; the LMS compares this same number.
    var total = scoredCount(test);
    var score = total ? Math.floor((100 * right) / total) : 100;
    test.score = score;
    test.best = Math.max(test.best, score);
    test.attempts = Math.min(test.attempts + 1, 9999);
    test.done = true;
    test.drawn.forEach(function (id, index) {
      recordInteraction(interactionFor(id, answers[index], (answeredAt[id] || Date.now()) - attemptStartedAt));
    });
    if (lms.open && !reviewMode) {
      lms.set("cmi.core.score.min", "0");
      lms.set("cmi.core.score.max", "100");
      // Never below a score the LMS already holds: Moodle would turn an earlier pass into a fail.
      lms.set("cmi.core.score.raw", String(Math.max(test.best, priorScore)));
    }
    showResults(true);
    save(0);
  }

  function showResults(announceIt) {
    var test = progress.test;
    var results = $(".results", assessmentElement);
    results.textContent = "";
    var right = 0;
    test.drawn.forEach(function (id, index) {
      var fieldset = questionElements[id];
      showFeedback(id, test.answers[index]);
      if (isCorrect(id, test.answers[index])) right += 1;
      $$("input, select, textarea, button", fieldset).forEach(function (control) {
        control.disabled = true;
      });
    });
    var passed = test.score >= passMark;
    var heading = element("h3", "results-title", "Your result");
    heading.tabIndex = -1;
    results.appendChild(heading);
    var summary =
      "You scored " + test.score + "% (" + right + " of " + scoredCount(test) + " correct). " +
      (passed ? "You passed: the pass mark is " + passMark + "%." : "You need " + passMark + "% to pass.");
    results.appendChild(element("p", "results-score " + (passed ? "is-passed" : "is-failed"), summary));
    var left = attemptsLeft();
    var next = "";
    if (!passed && left > 0) {
      next = left === Infinity ? "You can try again." :
        "You have " + left + " attempt" + (left === 1 ? "" : "s") + " left.";
      results.appendChild(element("p", "", next + " Review your answers and the feedback below first."));
      var retry = element("button", "button", "Try again");
      retry.type = "button";
      retry.setAttribute("data-action", "retry-assessment");
      var row = element("p");
      row.appendChild(retry);
      results.appendChild(row);
    } else if (!passed) {
      next = "You have used all your attempts.";
      results.appendChild(element("p", "", next + " Review your answers and the feedback below."));
    } else {
      results.appendChild(element("p", "", "Review your answers and the feedback below."));
    }
    if (test.best > test.score) {
      results.appendChild(element("p", "", "Your best score, " + test.best + "%, is the one recorded."));
    }
    results.hidden = false;
    $('[data-action="submit-assessment"]', assessmentElement).closest("p").hidden = true;
    if (announceIt) {
      heading.focus();
      announce(summary + " " + next);
    }
  }

  function retryAssessment() {
    startAttempt();
    layOutAttempt();
    save(0);
    var heading = $("h2", assessmentElement);
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
    announce("A new attempt has started with a fresh set of questions.");
  }

  function answerChanged(id) {
    if (!progress.test) return;
    var index = progress.test.drawn.indexOf(id);
    if (index < 0 || progress.test.done) return;
    answeredAt[id] = Date.now();
    progress.test.answers[index] = readAnswer(id);
    save(1500);
  }

  // -----------------------------------------------------------------------------------------
  // Reflections and the reflective log

  var reflectionLimit = data.reflectionLimit;
  var shortened = {};

  function reflectionText(id) {
    var box = document.getElementById(id + "-answer");
    return box ? cleanText(box.value) : "";
  }

  // Keeps the box's text in the learner's progress, cut to the reflection's share if need be,
  // and reports it to the LMS the first time (unless ``quietly``); returns whether it changed.
  function storeReflection(id, quietly) {
    var index = data.reflections.indexOf(id);
    var text = reflectionText(id);
    var kept = fitStored(text, reflectionLimit);
    if (kept.length < text.length) {
      document.getElementById(id + "-answer").value = kept;
      shortened[id] = true;
    }
    var changed = kept !== progress.reflections[index];
    progress.reflections[index] = kept;
    // Text kept quietly while it was typed is still reported at the first real save.
    if (kept.trim() && !quietly && markRecorded(id)) {
      recordInteraction({
        id: id,
        type: "fill-in",
        response: fitStored(kept.replace(/\s+/g, " ").trim(), TEXT_LIMIT),
        result: "neutral",
        pattern: "",
        weighting: "0",
        latency: Date.now() - pageShownAt,
      });
    }
    return changed;
  }

  function saveReflection(id, spoken) {
    var wasCut = shortened[id];
    var changed = storeReflection(id);
    // Said on the explicit save too: leaving the box (a change event) may have cut it first.
    if (spoken || (shortened[id] && !wasCut)) {
      announce(shortened[id] ? "Your reflection was longer than this module can save (" +
        reflectionLimit + " characters), so only the first part has been kept." : "Reflection saved.");
    }
    if (spoken) shortened[id] = false;
    if (!changed && !spoken) return;
    renderLog();
    save(spoken ? 0 : undefined);
  }

  // What the learner is still typing counts too: a tab can close before the box loses focus.
  // Half-typed text is kept for resume, but reported to the LMS only when the session ends.
  function flushInputs(final) {
    data.reflections.forEach(function (id) {
      if (document.getElementById(id + "-answer")) storeReflection(id, !final);
    });
    var test = progress.test;
    if (test && !test.done) {
      test.drawn.forEach(function (id, index) {
        if (questionElements[id]) test.answers[index] = readAnswer(id);
      });
    }
  }

  function renderLog() {
    var log = $("#elpack-log .log-entries");
    if (!log) return;
    log.textContent = "";
    data.reflections.forEach(function (id, index) {
      var entry = element("div", "log-entry");
      var prompt = document.getElementById(id + "-prompt");
      entry.appendChild(element("h3", "log-prompt", textOf(prompt)));
      var answer = progress.reflections[index];
      var text = element("p", "log-answer" + (answer ? "" : " is-empty"),
        answer || "You have not written anything here yet.");
      entry.appendChild(text);
      var link = element("a", "log-link", "Go to this reflection");
      link.href = "#" + id;
      entry.appendChild(link);
      log.appendChild(entry);
    });
  }

  function logAsText() {
    var lines = [data.title, "Reflective log", "Date: " + new Date().toISOString().slice(0, 10), ""];
    data.reflections.forEach(function (id, index) {
      lines.push(textOf(document.getElementById(id + "-prompt")));
      lines.push(progress.reflections[index] || "(not written)");
      lines.push("");
    });
    return lines.join("\r\n");
  }

  function downloadLog() {
    var blob = new Blob([logAsText()], { type: "text/plain;charset=utf-8" });
    var link = element("a");
    link.href = URL.createObjectURL(blob);
    link.download = data.id + "-reflective-log.txt";
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () {
      URL.revokeObjectURL(link.href);
    }, 1000);
    announce("Your reflective log has been downloaded as " + link.download + ".");
  }

  function printLog() {
    document.body.classList.add("printing-log");
    window.addEventListener("afterprint", function done() {
      document.body.classList.remove("printing-log");
      window.removeEventListener("afterprint", done);
    });
    window.print();
  }

  // -----------------------------------------------------------------------------------------
  // Branching choices

  function choiceOf(fieldset) {
    return choiceIds.indexOf(fieldset.id);
  }

  function showChoice(fieldset, option) {
    $$(".consequence", fieldset).forEach(function (note) {
      note.hidden = note.getAttribute("data-for") !== option;
    });
    $$("input", fieldset).forEach(function (input) {
      input.checked = input.value === option;
    });
    var page = fieldset.closest("section.page");
    if (!page) return;
    // an option without a page of its own goes on where the page goes (a changed mind included)
    var target = choiceTargets[fieldset.id][option] || pageById[page.getAttribute("data-page")].next;
    var next = $(".pagination .next", page);
    if (!target) {
      if (next) next.remove();
      return;
    }
    if (!next) {
      next = element("a", "next", "Next");
      next.rel = "next";
      $(".pagination", page).appendChild(next);
    }
    next.href = "#page-" + target;
  }

  function makeChoice(fieldset) {
    var chosen = $("input:checked", fieldset);
    if (!chosen) {
      announce("Choose one of the options first.");
      return;
    }
    var index = choiceOf(fieldset);
    progress.choices[index] = chosen.value;
    showChoice(fieldset, chosen.value);
    if (markRecorded(fieldset.id)) {
      recordInteraction({
        id: fieldset.id,
        type: "choice",
        response: chosen.value,
        result: "neutral",
        pattern: "",
        weighting: "0",
        latency: Date.now() - pageShownAt,
      });
    }
    var consequence = $('.consequence[data-for="' + chosen.value + '"]', fieldset);
    var label = textOf($('label[for="' + chosen.id + '"]', fieldset));
    var target = choiceTargets[fieldset.id][chosen.value];
    announce("You chose: " + label + ". " + textOf(consequence) +
      (target ? " Select Next to see what happens." : ""));
    save(0);
  }

  // The first unmade choice on a page that leads somewhere: Next waits for it.
  function pendingChoice(page) {
    return $$("fieldset[data-choice]", page.element).filter(function (fieldset) {
      var targets = choiceTargets[fieldset.id] || {};
      var leads = Object.keys(targets).some(function (key) { return targets[key]; });
      return leads && !progress.choices[choiceOf(fieldset)];
    })[0];
  }

  // -----------------------------------------------------------------------------------------
  // Glossary terms open their definition in place (not hover-only), as a disclosure.

  function setUpTerms() {
    $$("a.term").forEach(function (link, index) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      var definition = target && target.nextElementSibling;
      if (!definition) return;
      var button = element("button", "term");
      button.type = "button";
      button.textContent = link.textContent;
      button.setAttribute("aria-expanded", "false");
      var note = element("span", "term-definition");
      note.id = "term-note-" + index;
      note.hidden = true;
      note.appendChild(element("strong", "", textOf(target) + ": "));
      note.appendChild(document.createTextNode(textOf(definition)));
      button.setAttribute("aria-controls", note.id);
      link.replaceWith(button);
      button.insertAdjacentElement("afterend", note);
    });
  }

  // -----------------------------------------------------------------------------------------
  // Pages and navigation

  var contentsLinks = $$(".contents a[data-page]");
  var progressBar = $("#elpack-progress");

  function updateContents() {
    contentsLinks.forEach(function (link) {
      var id = link.getAttribute("data-page");
      var page = pageById[id];
      if (current && (current.id === id || (current.branch && current.previous === id))) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
      var seen = page && progress.seen[page.index];
      link.classList.toggle("seen", Boolean(seen));
      var marker = $(".seen-marker", link);
      if (seen && !marker) {
        marker = element("span", "seen-marker");
        marker.appendChild(element("span", "visually-hidden", " (seen)"));
        link.appendChild(marker);
      }
    });
    if (progressBar) {
      var seen = mainLineSeen();
      progressBar.hidden = false;
      var bar = $("progress", progressBar);
      var percent = Math.round((100 * seen) / mainLine.length);
      bar.value = percent;
      bar.setAttribute("aria-valuetext", percent + "%");
      $(".progress-text", progressBar).textContent = seen + " of " + mainLine.length + " pages seen";
    }
  }

  function focusHeading(page) {
    var heading = $("h1", page.element);
    heading.tabIndex = -1;
    window.scrollTo(0, 0);
    heading.focus({ preventScroll: true });
  }

  function showPage(page, moveFocus) {
    if (!page || !page.element) return;
    pages.forEach(function (other) {
      if (other !== page && other.element) other.element.classList.remove("current");
    });
    current = page;
    page.element.classList.add("current");
    progress.seen[page.index] = true;
    pageShownAt = Date.now();
    document.title = page.title + " – " + data.title;
    updateContents();
    if (page.element.querySelector("#elpack-log")) renderLog();
    if (moveFocus) focusHeading(page);
    save();
  }

  // Hash links move between pages (Previous/Next, contents, links to another page's block):
  // show the page that holds the target, then bring the target into view.
  function followHash(moveFocus) {
    var id = window.location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) {
      // a stray "%" in a link: use the hash as it is
    }
    if (!id) return false;
    var target = document.getElementById(id);
    var pageElement = target && target.closest("section.page");
    if (!pageElement) return false;
    var page = pageById[pageElement.getAttribute("data-page")];
    if (page !== current) showPage(page, moveFocus && target === pageElement);
    // the current page's own link (in the contents) still takes the focus to its heading
    else if (moveFocus && target === pageElement) focusHeading(page);
    if (target !== pageElement && moveFocus) {
      if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
        target.tabIndex = -1;
      }
      target.scrollIntoView();
      target.focus({ preventScroll: true });
    }
    return true;
  }

  // -----------------------------------------------------------------------------------------
  // Events

  document.addEventListener("click", function (event) {
    var target = event.target;
    var link = target.closest("a");
    if (link && link.classList.contains("next") && current) {
      var waiting = pendingChoice(current);
      if (waiting) {
        event.preventDefault();
        announce("Make your choice under \u201cWhat would you do?\u201d first, then select Choose.");
        var first = $("input", waiting);
        if (first) first.focus();
        return;
      }
    }
    if (link && link.getAttribute("href") === window.location.hash && link.hash) {
      // the same hash does not fire hashchange; follow it anyway (outside pages, the browser does)
      if (followHash(true)) event.preventDefault();
      return;
    }
    var button = target.closest("button");
    if (!button) return;
    if (button.classList.contains("term")) {
      var note = document.getElementById(button.getAttribute("aria-controls"));
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      note.hidden = !open;
      return;
    }
    var action = button.getAttribute("data-action");
    var fieldset = button.closest("fieldset");
    switch (action) {
      case "check":
        checkQuestion(fieldset.id);
        break;
      case "up":
      case "down":
        moveItem(button, action === "up" ? -1 : 1);
        break;
      case "choose":
        makeChoice(fieldset);
        break;
      case "save-reflection":
        saveReflection(button.closest("[data-reflection]").getAttribute("data-reflection"), true);
        break;
      case "submit-assessment":
        submitAssessment();
        break;
      case "retry-assessment":
        retryAssessment();
        break;
      case "print-log":
        printLog();
        break;
      case "download-log":
        downloadLog();
        break;
    }
  });

  document.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-question]");
    if (fieldset) answerChanged(fieldset.id);
    var reflection = event.target.closest("[data-reflection]");
    if (reflection) saveReflection(reflection.getAttribute("data-reflection"), false);
  });

  window.addEventListener("hashchange", function () {
    followHash(true);
  });

  // The learner may close the tab without Exit: pagehide still saves and finishes the session.
  window.addEventListener("pagehide", endSession);
  // Back to a page kept in the browser's back-forward cache after its session ended: start again,
  // so the learner meets a live session (or the plain message that the LMS refuses one).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && ended) window.location.reload();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !ended) saveNow();
  });

  var exitButton = document.getElementById("elpack-exit");
  if (exitButton) {
    exitButton.addEventListener("click", function () {
      var saved = endSession();
      document.body.classList.add("exited");
      var main = document.getElementById("elpack-main");
      var note = element("div", "exit-note");
      note.appendChild(element("h1", "", "You have left the module"));
      note.appendChild(element("p", "", !saved
        ? "The learning system did not confirm that your progress was saved. If your progress is " +
          "missing next time, tell your learning system administrator."
        : isFinished() ? "Your result has been recorded. You can close this window."
        : "Your progress has been saved. You can close this window and carry on later from where you stopped."));
      note.tabIndex = -1;
      main.appendChild(note);
      exitButton.hidden = true;
      $$(".page").forEach(function (page) {
        page.hidden = true;
      });
      note.focus();
    });
  }

  // -----------------------------------------------------------------------------------------
  // Start

  function restore() {
    var savedText = "";
    var location = "";
    var connection = lms.start();
    if (connection === "open") {
      reviewMode = lms.get("cmi.core.lesson_mode") === "review";
      var mastery = parseFloat(lms.get("cmi.student_data.mastery_score"));
      if (!isNaN(mastery)) passMark = mastery;
      priorStatus = lms.get("cmi.core.lesson_status");
      var raw = parseFloat(lms.get("cmi.core.score.raw"));
      if (!isNaN(raw)) priorScore = raw;
      savedText = lms.get("cmi.suspend_data");
      location = lms.get("cmi.core.lesson_location");
      if (exitButton) exitButton.hidden = false;
    } else if (connection === "refused") {
      // An LMS is there but would not start a session (expired, or already finished): saving
      // in this browser instead would only hide that nothing reaches the LMS.
      alertLearner("This module could not connect to your learning system (error " + lms.lastError +
        "), so your progress will not be recorded. Close this window and launch the module again.");
    } else {
      standalone = true;
      var local = readLocal();
      if (local) {
        savedText = String(local.suspend || "");
        location = String(local.location || "");
        priorStatus = String(local.status || "");
      }
      var canKeep = writeLocal(local || {});
      var banner = element("p", "standalone-banner", "You are viewing this module outside a learning system, so " +
        (canKeep ? "your progress is kept in this browser only." : "your progress will not be kept when you close it."));
      var main = document.getElementById("elpack-main");
      main.insertBefore(banner, main.firstChild);
    }
    if (!FINISHED_STATUSES[priorStatus]) priorStatus = "";
    var saved = savedText ? deserialise(savedText) : null;
    if (saved) {
      progress = saved;
    } else if (savedText) {
      location = "";
      announce("This module has changed since your last visit, so it starts again from the beginning.");
    }
    return { resumed: Boolean(saved), location: location };
  }

  function applyProgress() {
    checks.forEach(function (id, index) {
      arrangeOptions(id, progress.seed);
      var answer = progress.answers[index];
      if (answer && questionElements[id]) {
        showAnswer(id, answer);
        showFeedback(id, answer);
      }
    });
    data.reflections.forEach(function (id, index) {
      var box = document.getElementById(id + "-answer");
      if (!box) return;
      box.value = progress.reflections[index];
      var hint = element("p", "hint", "You can write up to " + reflectionLimit + " characters. " +
        "Your reflection is kept with your progress and appears in your reflective log at the end.");
      hint.id = id + "-hint";
      box.setAttribute("aria-describedby", hint.id);
      box.parentNode.insertBefore(hint, box);
    });
    $$("fieldset[data-choice]").forEach(function (fieldset) {
      var option = progress.choices[choiceOf(fieldset)];
      if (option) showChoice(fieldset, option);
    });
    if (assessmentElement) {
      if (!progress.test.drawn.length) startAttempt();
      layOutAttempt();
    }
  }

  var start = restore();
  setUpTerms();
  applyProgress();
  var first = pageById[start.location] || pages[0];
  var hashed = window.location.hash && followHash(false);
  if (!hashed) showPage(first, false);
  if (start.resumed) {
    announce("Welcome back. You are on the page where you left off.");
    var welcome = element("p", "welcome-back", "Welcome back. You are on the page where you left off.");
    current.element.insertBefore(welcome, current.element.children[1] || null);
  }
  saveNow(); // sets lesson_status at once: "not attempted" must not stay
  if (window.performance && performance.mark) performance.mark("elpack-ready");

  // For the reviewer preview and the tests: read-only views of what the runtime holds.
  window.elpack = {
    suspendData: function () {
      return serialise(progress);
    },
    status: lessonStatus,
  };
})();
