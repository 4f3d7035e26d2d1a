/* The portal's in-page QR scanner: camera frames (getUserMedia) drawn on a canvas and read
   by jsQR (static/vendor/jsqr-1.4.0, plain JavaScript: it runs in WeChat's and iPhone's
   browsers, which have no BarcodeDetector, and needs nothing beyond script-src 'self').
   KxQr.decodeImage(img) reads a QR from an image (the pages' own QR, in the browser tests);
   KxQr.scan({video, onText, onError}) runs until a code is read; it returns stop(). */
(function () {
  "use strict";
  var MAX_SIDE = 720;  // frames are scaled down to this: quick on a phone, plenty for a QR

  function read(source, width, height, canvas) {
    var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
    var pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "attemptBoth" });
    return found ? found.data : null;
  }

  function decodeImage(img) {
    var width = img.naturalWidth || img.width, height = img.naturalHeight || img.height;
    return read(img, width, height, document.createElement("canvas"));
  }

  function supported() {
    return !!(window.jsQR && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function scan(options) {
    var video = options.video, canvas = document.createElement("canvas");
    var stream = null, stopped = false;
    function stop() {
      stopped = true;
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      if (stopped) { s.getTracks().forEach(function (t) { t.stop(); }); return null; }
      stream = s;
      video.setAttribute("playsinline", "");  // iPhone: play inside the page, not full screen
      video.muted = true;
      video.srcObject = s;
      return video.play();
    }).then(function () {
      function tick() {
        if (stopped) { return; }
        if (video.readyState >= 2 && video.videoWidth) {
          var text = null;
          try { text = read(video, video.videoWidth, video.videoHeight, canvas); } catch (e) { text = null; }
          if (text) { stop(); options.onText(text); return; }
        }
        window.setTimeout(tick, 150);
      }
      tick();
    }).catch(function (error) { stop(); if (options.onError) { options.onError(error); } });
    return stop;
  }

  window.KxQr = { decodeImage: decodeImage, scan: scan, supported: supported };
})();
