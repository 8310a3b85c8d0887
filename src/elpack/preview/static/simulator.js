/*
 * elpack preview: the LMS simulator page.
 *
 * A SCORM 1.2 LMS inside this page: window.API is a scorm-again Scorm12API (vendored in
 * /_static/scorm-again/), and the module runs in the iframe named "sco" from the preview's
 * in-memory build. Commits never leave the page: the "LMS record" of the attempt is kept here and
 * in sessionStorage, so reloading this page resumes the attempt like a real LMS would.
 *
 * Every launch uses a new Scorm12API (a SCORM 1.2 API cannot be initialised twice), loaded with
 * the CMI data an LMS would hand over: a fresh attempt (cmi.core.entry "ab-initio"), or a resumed
 * one (entry "resume" with the lesson_location, lesson_status, score, total_time, suspend_data
 * and interactions saved by the previous session).
 *
 * Live reload: the server sends a "build" event (Server-Sent Events on /events) after each
 * rebuild. If the build failed, an overlay lists the problems as `elpack build` prints them. If
 * it succeeded and any byte of the package changed, the module is relaunched on the page the
 * writer was looking at: with the same attempt (entry "resume") when the pages, questions and
 * answers are unchanged (the runtime data's hash), or with a fresh attempt when they changed,
 * because the saved suspend_data may describe questions that no longer exist.
 *
 * A module whose first target is SCORM 2004 (build.lms "scorm2004") gets a SCORM 2004 LMS instead:
 * window.API_1484_11 is a Scorm2004API, and STANDARD below holds what differs (method and
 * element names, formats, the suspend_data limit); the rest of this file is the same for both.
 *
 * window.elpackSimulator is for the tests and the reviewer script in the frame.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("preview-config").textContent);
  var STORAGE_KEY = "elpack-preview:" + config.slug;
  var REVIEWER_KEY = "elpack-preview:reviewer";
  var LEARNER = { student_id: "preview-learner", student_name: "Learner, Preview" };
  var IS_2004 = config.build.lms === "scorm2004";
  var STANDARD = IS_2004
    ? {
        lms: "scorm2004",
        name: "SCORM 2004",
        apiGlobal: "API_1484_11",
        apiClass: "Scorm2004API",
        suspendLimit: 64000,
        initialize: "Initialize",
        finish: "Terminate",
        get: "GetValue",
        set: "SetValue",
        commit: "Commit",
        lookups: ["GetLastError", "GetErrorString", "GetDiagnostic"],
        interactionFields: ["id", "type", "learner_response", "result", "latency", "timestamp", "weighting"],
        noTime: "PT0S",
      }
    : {
        lms: "scorm12",
        name: "SCORM 1.2",
        apiGlobal: "API",
        apiClass: "Scorm12API",
        suspendLimit: 4096,
        initialize: "LMSInitialize",
        finish: "LMSFinish",
        get: "LMSGetValue",
        set: "LMSSetValue",
        commit: "LMSCommit",
        lookups: ["LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"],
        interactionFields: ["id", "type", "student_response", "result", "latency", "time", "weighting"],
        noTime: "0000:00:00",
      };
  var SUSPEND_DATA_LIMIT = STANDARD.suspendLimit;
  var ERROR_LOOKUPS = STANDARD.lookups;
  var METHODS = [STANDARD.initialize, STANDARD.finish, STANDARD.get, STANDARD.set, STANDARD.commit].concat(ERROR_LOOKUPS);

  var build = config.build; // the latest build: state.json or a "build" event
  var loaded = null; // {contentHash, structureHash, version} of the package in the frame
  var api = null; // the Scorm12API (or Scorm2004API) of the current session
  var sessionNumber = 0;
  var sessionStartTotal = STANDARD.noTime; // the total_time handed to the current session
  var lastCommit = null; // the CMI the current session last committed
  var launchedCmi = null; // the CMI the current session was launched with
  var lastEnded = null; // {cmi, where} of the session that ended last
  var timings = { buildEvent: 0, launch: 0, loaded: 0 }; // performance.now() of the latest ones
  var frameLoadedSession = 0; // the session whose module has finished loading in the frame
  var simulatorCalling = false; // true while the simulator calls the API itself
  var seq = 0;
  var logEntries = [];
  var work = Promise.resolve(); // relaunches happen one after another
  var renderPending = false;
  var reviewer = loadJSON(REVIEWER_KEY) || { answers: false, pageIds: true };

  function byId(id) {
    return document.getElementById(id);
  }

  function loadJSON(key) {
    try {
      return JSON.parse(window.sessionStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function saveJSON(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      // Storage full or disabled: the attempt still lives in this page.
    }
  }

  // ---------------------------------------------------------------------------------------
  // Strict SCORM 1.2 formats, as Moodle enforces them (mod/scorm/datamodels/scorm_12.js).
  // scorm-again is more forgiving for some (it accepts a 5000-character suspend_data and turns
  // the SCORM 2004 result "incorrect" into "wrong"), so these are checked on every LMSSetValue.

  var DECIMAL = /^-?\d{0,3}(\.\d*)?$/;
  var IDENTIFIER = /^[\u0021-\u007E]{1,255}$/;
  var TIMESPAN = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;
  var TIME_OF_DAY = /^[0-2]\d:[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var STATUSES = ["passed", "completed", "failed", "incomplete", "browsed"];

  function oneOf(values, extra) {
    return function (value) {
      if (values.indexOf(value) >= 0) return null;
      return (extra && extra[value]) || "must be one of: " + values.map(quoted).join(", ");
    };
  }

  function matches(pattern, hint) {
    return function (value) {
      return pattern.test(value) ? null : hint;
    };
  }

  function maxLength(limit) {
    return function (value) {
      return value.length <= limit ? null : "is " + value.length + " characters long; the limit is " + limit;
    };
  }

  function decimal(min, max) {
    return function (value) {
      if (value === "") return null;
      if (!DECIMAL.test(value) || value === "-" || value === ".") return "must be a number such as 85 or 72.5";
      var number = Number(value);
      if (min !== undefined && (number < min || number > max)) return "must be from " + min + " to " + max;
      return null;
    };
  }

  function integer(min, max) {
    return function (value) {
      if (!/^-?\d+$/.test(value)) return "must be a whole number";
      var number = Number(value);
      return number < min || number > max ? "must be from " + min + " to " + max : null;
    };
  }

  var identifier = matches(IDENTIFIER, "must be 1 to 255 printable characters without spaces");
  var timespan = matches(TIMESPAN, "must be a duration HHHH:MM:SS.SS (2 to 4 digits of hours, e.g. 00:03:07 or 0000:03:07.25)");

  var FORMATS = [
    [/^cmi\.core\.lesson_status$/, oneOf(STATUSES, {
      "not attempted": "'not attempted' may only be set by the LMS: a SCO must use " + STATUSES.join(", "),
    })],
    [/^cmi\.core\.exit$/, oneOf(["", "time-out", "suspend", "logout"])],
    [/^cmi\.core\.session_time$/, timespan],
    [/^cmi\.core\.score\.(raw|min|max)$/, decimal(0, 100)],
    [/^cmi\.core\.lesson_location$/, maxLength(255)],
    [/^cmi\.suspend_data$/, maxLength(SUSPEND_DATA_LIMIT)],
    [/^cmi\.comments$/, maxLength(4096)],
    [/^cmi\.objectives\.\d+\.id$/, identifier],
    [/^cmi\.objectives\.\d+\.status$/, oneOf(STATUSES.concat(["not attempted"]))],
    [/^cmi\.objectives\.\d+\.score\.(raw|min|max)$/, decimal(0, 100)],
    [/^cmi\.interactions\.\d+\.id$/, identifier],
    [/^cmi\.interactions\.\d+\.objectives\.\d+\.id$/, identifier],
    [/^cmi\.interactions\.\d+\.time$/, matches(TIME_OF_DAY, "must be a time of day HH:MM:SS(.SS), e.g. 14:05:09")],
    [/^cmi\.interactions\.\d+\.type$/, oneOf(["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"])],
    [/^cmi\.interactions\.\d+\.correct_responses\.\d+\.pattern$/, maxLength(255)],
    [/^cmi\.interactions\.\d+\.weighting$/, decimal()],
    [/^cmi\.interactions\.\d+\.student_response$/, maxLength(255)],
    [/^cmi\.interactions\.\d+\.result$/, function (value) {
      if (["correct", "wrong", "unanticipated", "neutral"].indexOf(value) >= 0) return null;
      if (value === "incorrect") return "'incorrect' is SCORM 2004; SCORM 1.2 uses 'wrong'";
      return value !== "" && DECIMAL.test(value) ? null : "must be correct, wrong, unanticipated, neutral or a number";
    }],
    [/^cmi\.interactions\.\d+\.latency$/, timespan],
    [/^cmi\.student_preference\.audio$/, integer(-1, 100)],
    [/^cmi\.student_preference\.language$/, maxLength(255)],
    [/^cmi\.student_preference\.speed$/, integer(-100, 100)],
    [/^cmi\.student_preference\.text$/, integer(-1, 1)],
  ];

  // SCORM 2004 (RTE 4.2): the formats the runtime's values must have.
  var DURATION = /^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$/;
  var duration = function (value) {
    return DURATION.test(value) && value !== "P" && !/T$/.test(value) ? null :
      "must be an ISO 8601 duration such as PT1H2M3.5S";
  };
  var FORMATS_2004 = [
    [/^cmi\.completion_status$/, oneOf(["completed", "incomplete", "not attempted", "unknown"])],
    [/^cmi\.success_status$/, oneOf(["passed", "failed", "unknown"])],
    [/^cmi\.exit$/, oneOf(["", "time-out", "suspend", "logout", "normal"])],
    [/^cmi\.session_time$/, duration],
    [/^cmi\.score\.scaled$/, decimal(-1, 1)],
    [/^cmi\.score\.(raw|min|max)$/, decimal()],
    [/^cmi\.location$/, maxLength(1000)],
    [/^cmi\.suspend_data$/, maxLength(64000)],
    [/^cmi\.progress_measure$/, decimal(0, 1)],
    [/^cmi\.interactions\.\d+\.type$/, oneOf(["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"])],
    [/^cmi\.interactions\.\d+\.timestamp$/, matches(/^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,2}(Z|[+-]\d{2}(:\d{2})?)?)?)?)?)?)?)?$/, "must be a time such as 2026-12-04T15:50:04.12Z")],
    [/^cmi\.interactions\.\d+\.latency$/, duration],
    [/^cmi\.interactions\.\d+\.weighting$/, decimal()],
    [/^cmi\.interactions\.\d+\.description$/, maxLength(250)],
    [/^cmi\.interactions\.\d+\.learner_response$/, maxLength(4000)],
    [/^cmi\.interactions\.\d+\.result$/, function (value) {
      if (["correct", "incorrect", "unanticipated", "neutral"].indexOf(value) >= 0) return null;
      if (value === "wrong") return "'wrong' is SCORM 1.2; SCORM 2004 uses 'incorrect'";
      return value !== "" && /^-?\d+(\.\d+)?$/.test(value) ? null : "must be correct, incorrect, unanticipated, neutral or a number";
    }],
  ];

  /** Why a value breaks the strict format of an element in this standard, or null if it is fine. */
  function formatProblem(element, value) {
    element = String(element);
    value = String(value);
    var formats = IS_2004 ? FORMATS_2004 : FORMATS;
    for (var i = 0; i < formats.length; i++) {
      if (formats[i][0].test(element)) {
        var problem = formats[i][1](value);
        return problem ? element.replace(/^cmi\.(core\.)?/, "") + " " + problem : null;
      }
    }
    return null;
  }

  function quoted(value) {
    return "'" + value + "'";
  }

  // ---------------------------------------------------------------------------------------
  // Times: cmi.core.total_time is the sum of the session times, as an LMS keeps it.

  function seconds(timespan) {
    var parts = TIMESPAN.test(timespan || "") ? timespan.split(":") : ["0", "0", "0"];
    return Number(parts[0]) * 3600 + Number(parts[1]) * 60 + Number(parts[2]);
  }

  function formatTimespan(total) {
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var rest = Math.round((total % 60) * 100) / 100;
    var whole = Math.floor(rest);
    var hundredths = Math.round((rest - whole) * 100);
    function pad(number, width) {
      return String(number).padStart(width, "0");
    }
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(whole, 2) + (hundredths ? "." + pad(hundredths, 2) : "");
  }

  /** SCORM 2004 total_time: the seconds of an ISO 8601 duration, and back. */
  function durationSeconds(value) {
    var parts = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(value || "");
    if (!parts) return 0;
    return Number(parts[1] || 0) * 86400 + Number(parts[2] || 0) * 3600 + Number(parts[3] || 0) * 60 +
      Number(parts[4] || 0);
  }

  function formatDuration(total) {
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var rest = Math.round((total % 60) * 100) / 100;
    return "PT" + (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "") + rest + "S";
  }

  // ---------------------------------------------------------------------------------------
  // The CMI data of a launch

  /** What an LMS hands a SCORM 2004 session: a fresh attempt, or (previous: the last session's
   * CMI as scorm-again renders it) the same attempt resumed. Elements without a value are left
   * out, so that the module's GetValue of them answers 403 as a real LMS's would. */
  function cmi2004(previous, location, previousTotal) {
    var cmi = {
      learner_id: LEARNER.student_id,
      learner_name: LEARNER.student_name,
      credit: "credit",
      entry: previous ? "resume" : "ab-initio",
      mode: "normal",
    };
    if (build.masteryScore) cmi.scaled_passing_score = String(Number(build.masteryScore) / 100);
    if (!previous && location == null) return cmi;
    previous = previous || {};
    var where = location != null ? location : previous.location;
    if (where) cmi.location = where;
    if (previous.completion_status) cmi.completion_status = previous.completion_status;
    if (previous.success_status) cmi.success_status = previous.success_status;
    var score = {};
    ["scaled", "raw", "min", "max"].forEach(function (key) {
      if (previous.score && previous.score[key] !== "" && previous.score[key] != null) score[key] = previous.score[key];
    });
    if (Object.keys(score).length) cmi.score = score;
    cmi.total_time = formatDuration(durationSeconds(previousTotal) + durationSeconds(previous.session_time));
    if (previous.suspend_data) cmi.suspend_data = previous.suspend_data;
    ["interactions", "objectives"].forEach(function (key) {
      if (previous[key] && Object.keys(previous[key]).length) cmi[key] = previous[key];
    });
    return cmi;
  }

  function entryOf(cmi) {
    return IS_2004 ? cmi.entry : cmi.core.entry;
  }

  function locationOf(cmi) {
    return IS_2004 ? cmi.location : cmi.core.lesson_location;
  }

  function totalOf(cmi) {
    return IS_2004 ? cmi.total_time : cmi.core.total_time;
  }

  function freshCmi() {
    if (IS_2004) return cmi2004(null, null, null);
    var cmi = {
      core: {
        student_id: LEARNER.student_id,
        student_name: LEARNER.student_name,
        credit: "credit",
        entry: "ab-initio",
        lesson_mode: "normal",
      },
    };
    if (build.masteryScore) cmi.student_data = { mastery_score: build.masteryScore };
    return cmi;
  }

  /** What an LMS hands the next session of the same attempt. previous is the CMI of the last
   * session (as scorm-again renders it); location, if given, replaces its lesson_location. */
  function resumedCmi(previous, location, previousTotal) {
    if (IS_2004) return cmi2004(previous || {}, location, previousTotal);
    var cmi = freshCmi();
    var core = (previous && previous.core) || {};
    var score = core.score || {};
    cmi.core.entry = "resume";
    cmi.core.lesson_location = location != null ? location : core.lesson_location || "";
    if (core.lesson_status) cmi.core.lesson_status = core.lesson_status;
    cmi.core.score = { raw: score.raw || "", min: score.min || "", max: score.max || "" };
    cmi.core.total_time = formatTimespan(seconds(previousTotal) + seconds(core.session_time));
    if (!previous) return cmi;
    cmi.suspend_data = previous.suspend_data || "";
    if (previous.comments) cmi.comments = previous.comments;
    ["interactions", "objectives", "student_preference"].forEach(function (key) {
      if (previous[key] && Object.keys(previous[key]).length) cmi[key] = previous[key];
    });
    return cmi;
  }

  // ---------------------------------------------------------------------------------------
  // The API

  function createApi(cmi, session) {
    var created = new window[STANDARD.apiClass](
      {
        lmsCommitUrl: "elpack-preview:commit", // a label only: the service below never fetches it
        autocommit: false,
        // scorm-again would otherwise set lesson_status from score.raw and the mastery score at
        // LMSFinish; off, the panel shows the status the module itself set.
        mastery_override: false,
        logLevel: 3, // warnings and errors
        onLogMessage: function (level, message) {
          note("scorm-again: " + message, "library");
        },
      },
      {
        // scorm-again only uses its HTTP service when lmsCommitUrl is a string; this one keeps
        // the data in the page, as tests/browser/lms/lms.js does.
        processHttpRequest: function (url, params, immediate) {
          if (session === sessionNumber) {
            lastCommit = JSON.parse(JSON.stringify(params)).cmi;
            store();
          }
          note("The LMS stored the CMI data (" + (immediate ? STANDARD.finish : STANDARD.commit) + ").", "lms");
          return { result: "true", errorCode: 0 };
        },
        updateSettings: function () {},
      }
    );
    try {
      created.loadFromJSON(cmi);
    } catch (error) {
      note("The simulator could not load the saved CMI data: " + error, "bad");
    }
    wrap(created, session);
    return created;
  }

  function wrap(target, session) {
    METHODS.forEach(function (method) {
      var original = target[method];
      target[method] = function () {
        var args = Array.prototype.slice.call(arguments);
        var result = original.apply(target, args);
        var code = String(target.lmsGetLastError());
        var entry = {
          seq: ++seq,
          t: Math.round(performance.now()),
          session: session,
          method: method,
          args: args.map(String),
          result: String(result),
          error: code,
          by: simulatorCalling ? "simulator" : "module",
          problem: null,
        };
        var lookup = ERROR_LOOKUPS.indexOf(method) >= 0;
        if (!lookup && code !== "0") entry.errorText = String(target.lmsGetErrorString(code));
        if (method === STANDARD.set) entry.problem = formatProblem(args[0], args[1]);
        entry.bad = (!lookup && code !== "0") || entry.result === "false" || Boolean(entry.problem);
        addLogEntry(entry);
        scheduleRender();
        return result;
      };
    });
  }

  // ---------------------------------------------------------------------------------------
  // Sessions

  function frameElement() {
    return document.querySelector("iframe[name=sco]");
  }

  /** The page the writer is looking at: the runtime's current page, else the address. */
  function currentPage(frame) {
    try {
      var current = frame.contentDocument.querySelector("section.page.current");
      if (current && current.id.indexOf("page-") === 0) return current.id.slice(5);
      var hash = frame.contentWindow.location.hash;
      if (hash.indexOf("#page-") === 0) return decodeURIComponent(hash.slice(6));
    } catch (error) {
      // No frame, or it is between documents.
    }
    return null;
  }

  /** Remove the frame: the module's pagehide and unload handlers run there and then, as when a
   * learner closes the LMS window (and without loading another page first, which is slower). */
  function unloadFrame(frame) {
    if (frame) frame.remove();
    return Promise.resolve();
  }

  /** End the current session; resolves to {cmi, where, total} for the next launch. */
  function endSession() {
    var frame = frameElement();
    var where = currentPage(frame);
    return unloadFrame(frame).then(function () {
      if (!api) return null;
      if (api.isInitialized() && !api.isTerminated()) {
        note("The module did not call " + STANDARD.finish + ", so the simulator calls it for the module and " +
          "nothing is lost. A real LMS may keep only what was committed.", "lms");
        simulatorCalling = true;
        try {
          api[STANDARD.finish]("");
        } finally {
          simulatorCalling = false;
        }
      }
      var cmi = lastCommit || api.renderCMIToJSONObject().cmi;
      lastEnded = { cmi: cmi, where: where, total: sessionStartTotal };
      return lastEnded;
    });
  }

  function launch(cmi, pageId, reason) {
    sessionNumber += 1;
    lastCommit = null;
    launchedCmi = cmi;
    sessionStartTotal = totalOf(cmi) || STANDARD.noTime;
    api = createApi(cmi, sessionNumber);
    window[STANDARD.apiGlobal] = api; // the module finds it by walking up window.parent
    var where = locationOf(cmi) ? ", " + (IS_2004 ? "location" : "lesson_location") + " '" + locationOf(cmi) + "'" : "";
    note("Session " + sessionNumber + ": " + reason + " (entry '" + entryOf(cmi) + "'" + where + ").", "session");
    var frame = document.createElement("iframe");
    frame.name = "sco";
    frame.title = "Module content";
    frame.src = config.packageUrl + (pageId ? "#page-" + encodeURIComponent(pageId) : "");
    var launched = sessionNumber;
    timings.launch = performance.now();
    frame.addEventListener("load", function () {
      timings.loaded = performance.now();
      frameLoadedSession = launched;
      applyReviewer();
    });
    byId("content").insertBefore(frame, byId("build-overlay"));
    loaded = { contentHash: build.contentHash, structureHash: build.structureHash, version: build.version };
    store();
    scheduleRender();
  }

  /** Save the attempt (what an LMS keeps between launches) for a reload of this page. */
  function store() {
    // Before the session's first commit, a resumed attempt is what it was handed.
    var resumed = launchedCmi && entryOf(launchedCmi) === "resume" ? launchedCmi : null;
    saveJSON(STORAGE_KEY, {
      structureHash: loaded && loaded.structureHash,
      cmi: lastCommit || resumed,
      total: sessionStartTotal,
    });
  }

  function relaunch(action) {
    work = work.then(action).catch(function (error) {
      note("The simulator failed: " + error, "bad");
    });
    return work;
  }

  function firstLaunch() {
    var saved = loadJSON(STORAGE_KEY);
    if (saved && saved.cmi && saved.structureHash === build.structureHash) {
      launch(resumedCmi(saved.cmi, null, saved.total), null, "resumed from this browser tab's saved attempt");
    } else {
      launch(freshCmi(), null, "a new attempt");
    }
  }

  function exitAndResume() {
    return relaunch(function () {
      return endSession().then(function (ended) {
        launch(resumedCmi(ended && ended.cmi, null, ended && ended.total), null, "Exit and resume");
      });
    });
  }

  function resetAttempt() {
    return relaunch(function () {
      return endSession().then(function () {
        lastEnded = null;
        saveJSON(STORAGE_KEY, null);
        launch(freshCmi(), null, "Reset attempt: a fresh attempt");
      });
    });
  }

  function jumpTo(pageId) {
    return relaunch(function () {
      return endSession().then(function (ended) {
        launch(resumedCmi(ended && ended.cmi, pageId, ended && ended.total), pageId, "Jump to page '" + pageId + "'");
      });
    });
  }

  // ---------------------------------------------------------------------------------------
  // Builds and live reload

  function onBuild(payload) {
    if (payload.module !== config.slug) return;
    if (payload.ok && payload.lms && payload.lms !== STANDARD.lms) {
      window.location.reload(); // module.yml now names another standard first: another LMS
      return;
    }
    build = payload;
    renderBuild();
    if (!payload.ok) {
      showOverlay(payload); // the last good package stays in the frame under it
      return;
    }
    byId("build-overlay").hidden = true;
    if (!loaded) {
      relaunch(firstLaunch);
      return;
    }
    if (payload.contentHash === loaded.contentHash) return; // nothing in the package changed
    var sameStructure = payload.structureHash === loaded.structureHash;
    relaunch(function () {
      return endSession().then(function (ended) {
        var where = ended && ended.where;
        if (sameStructure) {
          launch(resumedCmi(ended && ended.cmi, null, ended && ended.total), where,
            "rebuilt (build " + payload.version + "), same pages and questions: the attempt carries on");
        } else {
          saveJSON(STORAGE_KEY, null);
          launch(freshCmi(), where, "rebuilt (build " + payload.version + "), pages or questions changed: a fresh attempt");
        }
      });
    });
  }

  function fetchState() {
    return fetch(config.stateUrl, { cache: "no-store" }).then(function (response) {
      return response.json();
    });
  }

  function listen() {
    var events = new EventSource(config.eventsUrl);
    events.addEventListener("build", function (event) {
      timings.buildEvent = performance.now();
      onBuild(JSON.parse(event.data));
    });
    // On every (re)connection: catch up with a build made while the page was not listening.
    events.addEventListener("hello", function (event) {
      var versions = JSON.parse(event.data);
      if (versions[config.slug] !== build.version) fetchState().then(onBuild);
    });
  }

  // ---------------------------------------------------------------------------------------
  // Reviewer tools in the frame (reviewer.js, added to index.html by the preview server)

  function applyReviewer() {
    var frame = frameElement();
    try {
      var tools = frame && frame.contentWindow.elpackReviewer;
      if (tools) {
        tools.setShowAnswers(reviewer.answers);
        tools.setShowPageIds(reviewer.pageIds);
      }
    } catch (error) {
      // The frame is between documents; its own load calls this again.
    }
  }

  // ---------------------------------------------------------------------------------------
  // The panel

  function note(text, kind) {
    addLogEntry({ seq: ++seq, t: Math.round(performance.now()), note: text, kind: kind || "lms", session: sessionNumber });
  }

  function addLogEntry(entry) {
    logEntries.push(entry);
    if (logEntries.length > 2000) logEntries.shift();
    var list = byId("api-log");
    var item = document.createElement("li");
    item.dataset.seq = entry.seq;
    if (entry.note) {
      item.className = "note note-" + entry.kind + (entry.kind === "bad" ? " bad" : "");
      item.textContent = entry.note;
    } else {
      item.className = "call" + (entry.bad ? " bad" : "") + (entry.method === STANDARD.get ? " read" : "") +
        (ERROR_LOOKUPS.indexOf(entry.method) >= 0 ? " lookup" : "");
      item.dataset.method = entry.method;
      var call = document.createElement("code");
      call.textContent = entry.method + "(" + entry.args.map(function (a) {
        return JSON.stringify(a.length > 120 ? a.slice(0, 120) + "…" : a);
      }).join(", ") + ") → " + JSON.stringify(entry.result);
      item.appendChild(call);
      if (entry.by === "simulator") item.appendChild(tag("by the simulator", "by"));
      if (entry.error !== "0" && ERROR_LOOKUPS.indexOf(entry.method) < 0) {
        item.appendChild(tag("error " + entry.error + (entry.errorText ? ": " + entry.errorText : ""), "error"));
      }
      if (entry.problem) {
        item.appendChild(tag("not valid " + STANDARD.name + (IS_2004 ? "" : " (Moodle refuses it)") + ": " +
          entry.problem, "problem"));
      }
    }
    item.insertBefore(tag(String(entry.session || "–") + " · " + (entry.t / 1000).toFixed(2) + " s", "when"), item.firstChild);
    var atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    list.appendChild(item);
    while (list.children.length > 2000) list.removeChild(list.firstChild);
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function tag(text, className) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  }

  function scheduleRender() {
    if (renderPending) return;
    renderPending = true;
    setTimeout(function () {
      renderPending = false;
      renderCmi();
    }, 0);
  }

  /** The API's CMI data as plain JSON, with total_time (scorm-again leaves it out). */
  function currentCmi() {
    var cmi = api.renderCMIToJSONObject().cmi;
    try {
      if (IS_2004) cmi.total_time = String(api.cmi.total_time);
      else cmi.core.total_time = String(api.cmi.core.total_time);
    } catch (error) {
      // Only the panel misses it.
    }
    return cmi;
  }

  function valueAt(cmi, path) {
    return path.split(".").reduce(function (node, key) {
      return node && typeof node === "object" ? node[key] : undefined;
    }, cmi);
  }

  function showValue(cell, element, value) {
    value = value === undefined || value === null ? "" : String(value);
    cell.textContent = value;
    cell.classList.toggle("empty", value === "");
    var problem = value === "" ? null : formatProblem(element, value);
    cell.classList.toggle("bad", Boolean(problem));
    cell.title = problem || "";
  }

  function renderCmi() {
    if (!api) return;
    var cmi = currentCmi();
    document.querySelectorAll("[data-cmi]").forEach(function (cell) {
      var element = cell.dataset.cmi;
      showValue(cell, element, valueAt(cmi, element.replace(/^cmi\./, "")));
    });
    byId("session-info").textContent = "Session " + sessionNumber + " · " +
      (api.isTerminated() ? "finished" : api.isInitialized() ? "running" : "waiting for " + STANDARD.initialize);

    var suspendData = String(cmi.suspend_data || "");
    var used = suspendData.length;
    var meter = byId("suspend-meter");
    meter.style.setProperty("--used", Math.min(used / SUSPEND_DATA_LIMIT, 1));
    meter.classList.toggle("bad", used > SUSPEND_DATA_LIMIT);
    meter.classList.toggle("warn", used > SUSPEND_DATA_LIMIT * 0.8 && used <= SUSPEND_DATA_LIMIT);
    byId("suspend-used").textContent = used + " / " + SUSPEND_DATA_LIMIT + " characters (" +
      Math.round((used / SUSPEND_DATA_LIMIT) * 100) + "%)";
    byId("suspend-used").classList.toggle("bad", used > SUSPEND_DATA_LIMIT);
    byId("suspend-data").textContent = suspendData;

    renderInteractions(cmi.interactions || {});
  }

  var INTERACTION_FIELDS = STANDARD.interactionFields;

  function renderInteractions(interactions) {
    var body = byId("interactions-body");
    body.textContent = "";
    var indexes = Object.keys(interactions).filter(function (key) {
      return /^\d+$/.test(key);
    });
    byId("interactions-count").textContent = String(indexes.length);
    indexes.forEach(function (index) {
      var interaction = interactions[index];
      var row = document.createElement("tr");
      row.appendChild(cellWith(index));
      INTERACTION_FIELDS.forEach(function (field) {
        var cell = document.createElement("td");
        showValue(cell, "cmi.interactions." + index + "." + field, interaction[field]);
        row.appendChild(cell);
      });
      var patterns = Object.keys(interaction.correct_responses || {}).map(function (key) {
        return interaction.correct_responses[key].pattern;
      });
      row.appendChild(cellWith(patterns.join(" | ")));
      body.appendChild(row);
    });
  }

  function cellWith(text) {
    var cell = document.createElement("td");
    cell.textContent = text;
    return cell;
  }

  function renderBuild() {
    byId("module-title").textContent = build.title;
    document.title = build.title + " – elpack preview";
    var status = byId("build-status");
    status.textContent = build.ok ? "Build " + build.version + " · " + build.milliseconds + " ms" : "Build failed";
    status.className = build.ok ? "ok" : "bad";

    var select = byId("jump-page");
    var chosen = select.value;
    select.textContent = "";
    build.pages.forEach(function (page) {
      var option = document.createElement("option");
      option.value = page.id;
      option.textContent = page.title + " (" + page.id + (page.branch ? ", branch" : "") + ")";
      select.appendChild(option);
    });
    if (chosen) select.value = chosen;

    var warnings = byId("build-warnings");
    warnings.textContent = "";
    (build.warnings || []).forEach(function (warning) {
      var item = document.createElement("li");
      var text = document.createElement("pre");
      text.textContent = warning;
      item.appendChild(text);
      warnings.appendChild(item);
    });
    byId("warnings-section").hidden = !(build.warnings || []).length;
  }

  function showOverlay(payload) {
    byId("overlay-name").textContent = payload.name + ": build failed";
    byId("overlay-summary").textContent = payload.summary;
    var list = byId("overlay-problems");
    list.textContent = "";
    payload.problems.forEach(function (problem, index) {
      // Errors (first in the list) stop the build and stand out; warnings do not.
      var severity = (payload.severities || [])[index] === "warning" ? "warning" : "error";
      var item = document.createElement("li");
      item.className = "problem-" + severity;
      var label = document.createElement("strong");
      label.className = "problem-label";
      label.textContent = severity === "error" ? "Error" : "Warning";
      var text = document.createElement("pre");
      text.textContent = problem;
      item.appendChild(label);
      item.appendChild(text);
      list.appendChild(item);
    });
    byId("build-overlay").hidden = false;
  }

  // ---------------------------------------------------------------------------------------
  // Start

  byId("exit-resume").addEventListener("click", exitAndResume);
  byId("reset-attempt").addEventListener("click", resetAttempt);
  byId("jump-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (byId("jump-page").value) jumpTo(byId("jump-page").value);
  });
  byId("show-answers").checked = reviewer.answers;
  byId("show-page-ids").checked = reviewer.pageIds;
  byId("show-answers").addEventListener("change", function (event) {
    reviewer.answers = event.target.checked;
    saveJSON(REVIEWER_KEY, reviewer);
    applyReviewer();
  });
  byId("show-page-ids").addEventListener("change", function (event) {
    reviewer.pageIds = event.target.checked;
    saveJSON(REVIEWER_KEY, reviewer);
    applyReviewer();
  });
  ["hide-reads", "hide-lookups"].forEach(function (id) {
    byId(id).addEventListener("change", function (event) {
      byId("api-log").classList.toggle(id, event.target.checked);
    });
  });
  byId("clear-log").addEventListener("click", function () {
    byId("api-log").textContent = "";
    logEntries.length = 0;
  });

  window.elpackSimulator = {
    formatProblem: formatProblem,
    reviewer: reviewer,
    log: logEntries,
    timings: timings,
    exitAndResume: exitAndResume,
    resetAttempt: resetAttempt,
    jumpTo: jumpTo,
    get api() {
      return api;
    },
    get session() {
      return sessionNumber;
    },
    get loadedSession() {
      return frameLoadedSession;
    },
    get build() {
      return build;
    },
    get loaded() {
      return loaded;
    },
    get lastEnded() {
      return lastEnded;
    },
    cmi: function () {
      return api ? currentCmi() : null;
    },
  };

  renderBuild();
  if (!build.ok) showOverlay(build);
  if (build.hasPackage) relaunch(firstLaunch);
  listen();
})();
