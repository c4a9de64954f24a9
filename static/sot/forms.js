// Forms: focus the error summary when a form comes back with errors, and keep a capacity week and a
// planned date in step (choosing a week fills in its first working day from today on; typing a date
// chooses the week it falls in). No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";

  function isoDate(d) {
    var month = String(d.getMonth() + 1).padStart(2, "0");
    var day = String(d.getDate()).padStart(2, "0");
    return d.getFullYear() + "-" + month + "-" + day;
  }

  function parseIso(text) {
    // ÅÅÅÅ-MM-DD or ÅÅÅÅMMDD, as the server reads them (sot/formats).
    var m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec((text || "").trim());
    if (!m) return null;
    var d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return d.getMonth() === Number(m[2]) - 1 ? d : null;
  }

  function firstWorkingDay(monday) {
    var today = new Date();
    today.setHours(0, 0, 0, 0);
    var day = monday < today ? today : new Date(monday.getTime());
    while (day.getDay() === 0 || day.getDay() === 6) day.setDate(day.getDate() + 1);
    return day;
  }

  function syncWeekAndDate(form) {
    var select = form.querySelector('select[data-week-sync="offer"]');
    var input = form.querySelector('input[data-week-sync="date"]');
    if (!select || !input) return;
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var monday = option ? parseIso(option.getAttribute("data-week-start")) : null;
      if (monday) input.value = isoDate(firstWorkingDay(monday));
    });
    input.addEventListener("change", function () {
      var typed = parseIso(input.value);
      if (!typed) return;
      for (var i = 0; i < select.options.length; i++) {
        var monday = parseIso(select.options[i].getAttribute("data-week-start"));
        if (!monday) continue;
        var sunday = new Date(monday.getTime());
        sunday.setDate(sunday.getDate() + 6);
        if (typed >= monday && typed <= sunday) {
          select.selectedIndex = i;
          return;
        }
      }
      // No published week holds the date: the acceptance is outside published capacity (the empty choice),
      // rather than a week the date is not in, which the server would refuse.
      for (var j = 0; j < select.options.length; j++) {
        if (select.options[j].value === "") {
          select.selectedIndex = j;
          return;
        }
      }
    });
  }

  function start() {
    var summary = document.querySelector("[data-error-summary]") || document.querySelector("[data-warning-summary]");
    if (summary) summary.focus();
    document.querySelectorAll("form").forEach(syncWeekAndDate);
    if (window.matchMedia("(min-width: 768px)").matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
