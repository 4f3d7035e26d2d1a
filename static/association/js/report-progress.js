/* A report job's page: while the job is queued or running, ask its status every two
   seconds and move the progress bar; reload once it has finished to show the downloads.
   The admin loads this in the page head, so it starts once the document is parsed. */
function startReportProgress() {
  "use strict";
  var panel = document.querySelector(".report-progress[data-active='1']");
  if (!panel || !window.fetch) { return; }
  var url = panel.getAttribute("data-status-url");
  var bar = panel.querySelector("progress");
  var text = panel.querySelector(".report-progress-text");
  var failures = 0;

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + "%";
    text.textContent = state.progress_label;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        show(state);
        if (state.active) {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        failures += 1;
        if (failures < 5) { window.setTimeout(poll, 5000); }
        else { text.textContent = "暂时无法获取进度，请稍后刷新本页。"; }
      });
  }

  window.setTimeout(poll, 1500);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startReportProgress);
} else {
  startReportProgress();
}
