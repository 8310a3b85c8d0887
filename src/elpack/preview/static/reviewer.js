/*
 * elpack preview: reviewer tools inside the module's page. The preview server adds this script
 * (and reviewer.css) to index.html as it serves it; built packages never contain them.
 *
 * From the module's runtime data (<script type="application/json" id="elpack-data">) it marks
 * the correct answer of every question (shown with "Show answers") and labels each
 * section.page with its page id (shown with "Page ids"). The simulator page switches both through
 * window.elpackReviewer; the marks are added once, and only shown or hidden after that.
 */
(function () {
  "use strict";

  var root = document.documentElement;

  function badge(text, kind) {
    var span = document.createElement("span");
    span.className = "elpack-reviewer elpack-reviewer-" + kind;
    span.setAttribute("data-elpack-reviewer", kind);
    span.textContent = text;
    return span;
  }

  function readData() {
    var element = document.getElementById("elpack-data");
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function optionText(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) return select.options[i].textContent;
    }
    return value;
  }

  function markQuestion(fieldset, question) {
    var correct = question.correct || [];
    var marked = 0;
    if (question.type === "text") {
      var input = fieldset.querySelector("input[type=text]");
      var accepted = badge("Accepted answers: " + (question.accepted || []).join(" / "), "answer");
      (input ? input.parentNode : fieldset).insertBefore(accepted, input ? input.nextSibling : null);
      return;
    }
    if (question.type === "matching") {
      (question.pattern || "").split(",").forEach(function (pair) {
        var parts = pair.split(".");
        var select = fieldset.querySelector('select[data-item="' + parts[0] + '"]');
        if (select) {
          select.parentNode.appendChild(badge("Correct answer: " + optionText(select, parts[1]), "answer"));
          marked++;
        }
      });
    } else if (question.type === "ordering") {
      (question.pattern || "").split(",").forEach(function (item, index) {
        var entry = fieldset.querySelector('[data-item="' + item + '"]');
        if (entry) {
          entry.appendChild(badge("Correct position: " + (index + 1), "answer"));
          marked++;
        }
      });
    } else {
      fieldset.querySelectorAll("input").forEach(function (input) {
        if (correct.indexOf(input.value) >= 0) {
          var label = input.id && fieldset.querySelector('label[for="' + input.id + '"]');
          if (label) label.after(badge("Correct answer", "answer"));
          else input.after(badge("Correct answer", "answer"));
          marked++;
        }
      });
    }
    if (!correct.length) {
      var legend = fieldset.querySelector("legend");
      var opinion = badge("No correct answer: an opinion question", "answer");
      if (legend) legend.after(opinion);
      else fieldset.insertBefore(opinion, fieldset.firstChild);
    } else if (!marked) {
      fieldset.appendChild(badge("Correct answer: " + (question.pattern || correct.join(", ")), "answer"));
    }
  }

  function markAnswers(data) {
    Object.keys(data.questions || {}).forEach(function (id) {
      var fieldset = document.getElementById(id);
      if (fieldset && !fieldset.querySelector("[data-elpack-reviewer=answer]")) markQuestion(fieldset, data.questions[id]);
    });
  }

  function markPages() {
    document.querySelectorAll("section.page").forEach(function (section) {
      if (section.querySelector(":scope > [data-elpack-reviewer=page-id]")) return;
      section.insertBefore(badge("Page id: " + section.id.replace(/^page-/, ""), "page-id"), section.firstChild);
    });
  }

  function settings() {
    try {
      var simulator = window.parent !== window && window.parent.elpackSimulator;
      if (simulator) return simulator.reviewer;
    } catch (error) {
      // Not inside the simulator page.
    }
    return { answers: false, pageIds: true };
  }

  window.elpackReviewer = {
    setShowAnswers: function (flag) {
      root.classList.toggle("elpack-show-answers", Boolean(flag));
    },
    setShowPageIds: function (flag) {
      root.classList.toggle("elpack-show-page-ids", Boolean(flag));
    },
  };

  function start() {
    var data = readData();
    if (data) markAnswers(data);
    markPages();
    var initial = settings();
    window.elpackReviewer.setShowAnswers(initial.answers);
    window.elpackReviewer.setShowPageIds(initial.pageIds);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
