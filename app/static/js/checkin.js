// Check-in desk: scan a QR code with the camera where the browser has a barcode reader;
// typing the code always works without this script.
(function () {
  "use strict";

  var session = document.querySelector("select[data-autosubmit]");
  if (session) {
    session.addEventListener("change", function () { session.form.submit(); });
  }

  var form = document.getElementById("code-form");
  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  if (!form || !button || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  var input = form.querySelector("input[name=code]");
  var stream = null;
  var detector = null;

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.hidden = true;
  }

  function scan() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue) {
        input.value = codes[0].rawValue.trim();
        stop();
        form.submit();
        return;
      }
      window.requestAnimationFrame(scan);
    }).catch(function () { window.requestAnimationFrame(scan); });
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) { return; }
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    button.hidden = false;
    button.addEventListener("click", function () {
      if (stream) { stop(); return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          status.textContent = button.dataset.scanning || "";
          return video.play();
        })
        .then(scan)
        .catch(function () {
          stop();
          status.textContent = button.dataset.denied || "";
        });
    });
  });

  window.addEventListener("pagehide", stop);
}());
