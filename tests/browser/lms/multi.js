/*
 * A test LMS for multi-SCO packages, built on scorm-again's Scorm12API (one per SCO session).
 *
 * window.lmsOpen(href, cmi) -> Promise: unloads the SCO in the frame (it then finishes its
 *   session on pagehide, as it must when a learner picks another entry of the table of contents),
 *   creates a new Scorm12API as window.API with the initial ``cmi`` (scorm-again's nested JSON),
 *   and loads ``href`` in the frame; resolves when the SCO's page has loaded.
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

  function newApi(session) {
    var commits = {
      processHttpRequest: function (url, params, immediate) {
        session.commits.push({ terminate: Boolean(immediate), data: JSON.parse(JSON.stringify(params)) });
        return { result: "true", errorCode: 0 };
      },
      updateSettings: function () {},
    };
    var api = new window.Scorm12API(
      { lmsCommitUrl: "elpack-test-lms:commit", autocommit: false, mastery_override: false, logLevel: 5 },
      commits
    );
    var seq = 0;
    ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError",
     "LMSGetErrorString", "LMSGetDiagnostic"].forEach(function (method) {
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

  window.lmsOpen = function (href, cmi) {
    return loaded("about:blank").then(function () {
      var session = { href: href, log: [], commits: [] };
      var api = newApi(session);
      if (cmi) api.loadFromJSON(cmi);
      window.lmsSessions.push(session);
      apis.push(api);
      window.API = api;
      return loaded(href);
    });
  };

  window.lmsCmiOf = function (index) {
    return apis[index].renderCMIToJSONObject().cmi;
  };
  window.lmsReady = true;
})();
