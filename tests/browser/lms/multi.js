/*
 * A test LMS for multi-SCO packages, built on scorm-again's APIs (one per SCO session).
 *
 * window.lmsOpen(href, cmi, standard) -> Promise: unloads the SCO in the frame (it then finishes
 *   its session on pagehide, as it must when a learner picks another entry of the table of
 *   contents), creates a new API with the initial ``cmi`` (scorm-again's nested JSON): a
 *   Scorm12API as window.API, or with ``standard`` "scorm2004" a Scorm2004API as
 *   window.API_1484_11 (multi-2004.html loads that one); then loads ``href`` in the frame and
 *   resolves when the SCO's page has loaded.
 * window.lmsSessions: one entry per session, in order: {href, log, commits}. ``log`` holds every
 *   API call {seq, method, args, result, error}; ``commits`` what scorm-again committed.
 * window.lmsCmiOf(index): the CMI of session ``index`` as plain JSON, at any time (also after
 *   its SCO has gone).
 */
(function () {
  "use strict";

  var frame = document.querySelector("iframe[name=sco]");
  var apis = [];
  window.lmsSessions = [];

  function loaded(src) {
    return new Promise(function (resolve) {
      frame.addEventListener("load", function done() {
        frame.removeEventListener("load", done);
        resolve();
      });
      frame.src = src;
    });
  }

  var METHODS = {
    scorm12: ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
              "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"],
    scorm2004: ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError",
                "GetErrorString", "GetDiagnostic"],
  };

  function newApi(session, standard) {
    var commits = {
      processHttpRequest: function (url, params, immediate) {
        session.commits.push({ terminate: Boolean(immediate), data: JSON.parse(JSON.stringify(params)) });
        return { result: "true", errorCode: 0 };
      },
      updateSettings: function () {},
    };
    var settings = { lmsCommitUrl: "elpack-test-lms:commit", autocommit: false, logLevel: 5 };
    var api;
    if (standard === "scorm2004") {
      api = new window.Scorm2004API(settings, commits);
    } else {
      settings.mastery_override = false; // the status the SCO sets, not one made from the score
      api = new window.Scorm12API(settings, commits);
    }
    var seq = 0;
    METHODS[standard].forEach(function (method) {
      var original = api[method];
      api[method] = function () {
        var args = Array.prototype.slice.call(arguments);
        var result = original.apply(api, args);
        session.log.push({ seq: ++seq, method: method, args: args, result: result,
                           error: String(api.lmsGetLastError()) });
        return result;
      };
    });
    return api;
  }

  window.lmsOpen = function (href, cmi, standard) {
    standard = standard || "scorm12";
    return loaded("about:blank").then(function () {
      var session = { href: href, log: [], commits: [] };
      var api = newApi(session, standard);
      if (cmi) api.loadFromJSON(cmi);
      window.lmsSessions.push(session);
      apis.push(api);
      if (standard === "scorm2004") window.API_1484_11 = api;
      else window.API = api;
      return loaded(href);
    });
  };

  window.lmsCmiOf = function (index) {
    return apis[index].renderCMIToJSONObject().cmi;
  };
  window.lmsReady = true;
})();
