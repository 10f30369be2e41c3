// Follows a background job on its page: asks /jobs/<id>/status/ every few seconds and writes what it says
// into the page's status region (role="status", so a screen reader reads each change once). Without scripts
// the page has a "check again" link. No library; the page never reloads itself.
(function () {
  "use strict";
  var region = document.getElementById("job-status");
  if (!region) return;
  var url = region.getAttribute("data-status-url");
  var last = "";

  function show(id, visible) {
    var el = document.getElementById(id);
    if (el) el.hidden = !visible;
  }

  function update(s) {
    var key = [s.state, s.step, s.done, s.total, s.summary, s.file].join("|");
    if (key === last) return; // unchanged: nothing for a screen reader to announce
    last = key;
    document.getElementById("job-state").textContent = s.state_label;
    document.getElementById("job-step").textContent = s.step && !s.finished ? ": " + s.step : "";
    var bar = document.getElementById("job-progress");
    if (s.total && !s.finished) {
      bar.max = s.total;
      bar.value = s.done;
      bar.textContent = s.percent + " %";
      document.getElementById("job-progress-label").textContent = s.progress_label;
    }
    show("job-progress-line", s.total && !s.finished);
    document.getElementById("job-summary").textContent = s.summary;
    if (s.file) {
      var link = document.getElementById("job-file-link");
      link.href = s.file;
      link.textContent = s.file_label;
    }
    show("job-file", !!s.file);
    if (s.finished) show("job-again", false);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (s) {
        update(s);
        if (!s.finished) window.setTimeout(poll, 3000);
      })
      .catch(function () {
        window.setTimeout(poll, 10000); // the server is busy or away: try again later, quietly
      });
  }

  window.setTimeout(poll, 2000);
})();
