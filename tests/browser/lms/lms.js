/*
 * The test LMS: a scorm-again Scorm12API as window.API (index.html), or a Scorm2004API as
 * window.API_1484_11 (index-2004.html), with everything kept inside this page.
 *
 * window.lmsConfig (optional, set by the test with an init script before this file runs):
 *   cmi          initial CMI data, loaded before the SCO starts, as scorm-again's nested JSON
 *                ({core: {entry: "resume"}, suspend_data: "..."}) or flattened
 *                ({"cmi.core.entry": "resume"}).
 *   settings     extra scorm-again settings, merged over the defaults below.
 *   commitFails  true to make every commit (LMSCommit, and the commit inside LMSFinish) fail.
 *   sco          URL of the SCO to load in the iframe, relative to this page; null for none.
 *   standard     "scorm12" (the default) or "scorm2004".
 *
 * What the page exposes to the tests:
 *   window.API            the SCORM 1.2 API the SCO finds by walking up window.parent (for
 *                         SCORM 2004 window.API_1484_11); window.lmsApi is either.
 *   window.lmsLog         one entry per API call: {seq, t, method, args, result, error}, where
 *                         error is LMSGetLastError() read straight after the call.
 *   window.lmsCommits     one entry per commit scorm-again made: {ok, terminate, data}.
 *   window.lmsMessages    scorm-again's own log messages: {level, message}.
 *   window.lmsLoadError   {code, diagnostic} if loading the initial CMI failed, else null.
 *   window.lmsSetCommitFails(flag), window.lmsCmi() (the current CMI as plain JSON).
 *   window.lmsReady       true once the API exists and the SCO iframe has been added.
 */
(function () {
  "use strict";

  var config = window.lmsConfig || {};
  var is2004 = config.standard === "scorm2004";
  // scorm-again's GENERAL_COMMIT_FAILURE: 101 "General exception" in 1.2, 391 "Commit Failed" in 2004.
  var COMMIT_FAILURE = is2004 ? 391 : 101;

  window.lmsLog = [];
  window.lmsCommits = [];
  window.lmsMessages = [];
  window.lmsLoadError = null;
  window.lmsCommitFails = Boolean(config.commitFails);
  window.lmsSetCommitFails = function (flag) {
    window.lmsCommitFails = Boolean(flag);
  };

  // scorm-again only calls its HTTP service when lmsCommitUrl is a string; with lmsCommitUrl: false
  // every commit succeeds unconditionally. So commits go to this in-page service instead, which
  // never touches the network: it records what scorm-again would have sent and answers like an LMS.
  var inPageCommits = {
    processHttpRequest: function (url, params, immediate) {
      var ok = !window.lmsCommitFails;
      window.lmsCommits.push({
        ok: ok,
        terminate: Boolean(immediate),
        data: JSON.parse(JSON.stringify(params)),
      });
      return ok ? { result: "true", errorCode: 0 } : { result: "false", errorCode: COMMIT_FAILURE };
    },
    updateSettings: function () {},
  };

  var settings = Object.assign(
    {
      lmsCommitUrl: "elpack-test-lms:commit", // a label only: inPageCommits never fetches it
      autocommit: false,
      // scorm-again turns this on by default for SCORM 1.2 (it then overrides lesson_status from
      // score.raw and the mastery score at LMSFinish). Off, so tests see the status the SCO set.
      mastery_override: false,
      logLevel: 1,
      onLogMessage: function (level, message) {
        window.lmsMessages.push({ level: level, message: String(message) });
      },
    },
    config.settings || {}
  );

  var api = is2004 ? new window.Scorm2004API(settings, inPageCommits) : new window.Scorm12API(settings, inPageCommits);

  if (config.cmi) {
    var flattened = Object.keys(config.cmi).some(function (key) {
      return key.indexOf("cmi.") === 0;
    });
    try {
      if (flattened) {
        api.loadFromFlattenedJSON(config.cmi);
      } else {
        api.loadFromJSON(config.cmi);
      }
      var code = String(api.lmsGetLastError());
      if (code !== "0") {
        window.lmsLoadError = { code: code, diagnostic: String(api.lmsGetDiagnostic(code)) };
      }
    } catch (error) {
      // scorm-again throws on an invalid value (e.g. cmi.core.entry "bogus") while loading.
      window.lmsLoadError = { code: String(error.errorCode || api.lmsGetLastError()), diagnostic: String(error) };
    }
  }

  var seq = 0;
  (is2004
    ? ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString", "GetDiagnostic"]
    : ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError",
       "LMSGetErrorString", "LMSGetDiagnostic"]
  ).forEach(function (method) {
    var original = api[method];
    api[method] = function () {
      var args = Array.prototype.slice.call(arguments);
      var result = original.apply(api, args);
      window.lmsLog.push({
        seq: ++seq,
        t: Math.round(performance.now()),
        method: method,
        args: args,
        result: result,
        error: String(api.lmsGetLastError()),
      });
      return result;
    };
  });

  window.lmsCmi = function () {
    return api.renderCMIToJSONObject().cmi;
  };
  window.lmsApi = api;
  if (is2004) window.API_1484_11 = api;
  else window.API = api;

  if (config.sco && !window.lmsLoadError) {
    var frame = document.createElement("iframe");
    frame.name = "sco";
    frame.title = "Course content";
    frame.src = config.sco;
    document.body.appendChild(frame);
  }
  window.lmsReady = true;
})();
