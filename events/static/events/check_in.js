/* Check-in scanner: the browser's own BarcodeDetector reads the QR code from the camera,
   fills in the code and submits the form. Where the browser has no BarcodeDetector, the
   page works by typing the code (or scanning with the phone's camera app, whose link
   opens this page with the code filled in). No third-party script is needed. */
(function () {
  "use strict";
  var startButton = document.getElementById("scanner-start");
  var box = document.getElementById("scanner");
  var video = document.getElementById("scanner-video");
  var status = document.getElementById("scanner-status");
  var form = document.getElementById("check-in-form");
  var input = form ? form.querySelector("input[name=code]") : null;
  var unsupported = document.getElementById("scanner-unsupported");
  if (!form || !input) { return; }

  var supported = "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!supported) { unsupported.hidden = false; input.focus(); return; }
  startButton.hidden = false;

  function codeFrom(text) {
    try {
      var url = new URL(text);
      return url.searchParams.get("code") || text;
    } catch (e) {
      return text;
    }
  }

  var stream = null;
  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
  }

  startButton.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      box.hidden = false;
      startButton.hidden = true;
      return video.play();
    }).then(function () {
      var busy = false;
      function tick() {
        if (!stream) { return; }
        if (busy) { window.requestAnimationFrame(tick); return; }
        busy = true;
        detector.detect(video).then(function (codes) {
          busy = false;
          if (codes.length) {
            input.value = codeFrom(codes[0].rawValue);
            status.textContent = "已识别，正在签到……";
            stop();
            sessionStorage.setItem("kx-scanner", "on");
            form.submit();
            return;
          }
          window.requestAnimationFrame(tick);
        }).catch(function () { busy = false; window.setTimeout(tick, 300); });
      }
      tick();
    }).catch(function () {
      unsupported.hidden = false;
      unsupported.textContent = "无法打开摄像头（可能未授权），请直接输入签到码。";
      startButton.hidden = true;
    });
  });

  window.addEventListener("pagehide", stop);
  // Keep scanning person after person: reopen the camera after each submitted scan.
  if (sessionStorage.getItem("kx-scanner") === "on") {
    sessionStorage.removeItem("kx-scanner");
    startButton.click();
  }
})();
