/* Check-in scanner (staff desk, and volunteers at a service activity): the camera is read
   in the page by qr_scanner.js (jsQR), which fills in the code and submits the form. Typing
   the code always works, and a phone's own camera (or WeChat's scanner) opens the QR's
   link, which fills the code in. */
(function () {
  "use strict";
  var startButton = document.getElementById("scanner-start");
  var box = document.getElementById("scanner");
  var video = document.getElementById("scanner-video");
  var status = document.getElementById("scanner-status");
  var form = document.getElementById("check-in-form");
  var input = form ? form.querySelector("input[name=code]") : null;
  var unsupported = document.getElementById("scanner-unsupported");
  if (!form || !input || !startButton) { return; }

  if (!window.KxQr || !window.KxQr.supported()) { unsupported.hidden = false; return; }
  startButton.hidden = false;

  function codeFrom(text) {
    try {
      var url = new URL(text);
      return url.searchParams.get("code") || text;
    } catch (e) {
      return text;
    }
  }

  var stop = null;
  startButton.addEventListener("click", function () {
    box.hidden = false;
    startButton.hidden = true;
    stop = window.KxQr.scan({
      video: video,
      onText: function (text) {
        input.value = codeFrom(text);
        status.textContent = "已识别，正在提交……";
        sessionStorage.setItem("kx-scanner", form.id);
        form.submit();
      },
      onError: function () {
        box.hidden = true;
        unsupported.hidden = false;
        unsupported.textContent = "无法打开摄像头（可能未授权），请直接输入签到码。";
      }
    });
  });

  window.addEventListener("pagehide", function () { if (stop) { stop(); } });
  // The staff desk keeps scanning person after person: reopen the camera after each scan.
  if (form.hasAttribute("data-keep-scanning") && sessionStorage.getItem("kx-scanner") === form.id) {
    sessionStorage.removeItem("kx-scanner");
    startButton.click();
  }
})();
