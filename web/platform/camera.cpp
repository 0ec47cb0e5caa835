// camera.cpp: see camera.h.
#include "platform/camera.h"

#include <emscripten.h>

// clang-format off
// Status numbers are CameraStatus's: 0 off, 1 starting, 2 live, 3 denied, 4 no camera,
// 5 busy, 6 ended, 7 unsupported.
EM_JS(void, nnplay_js_camera_start, (), {
  var cam = Module.nnplayCamera || (Module.nnplayCamera = {status : 0, serial : 0, grabbed : 0, times : []});
  if (cam.stream || cam.status == 1) return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    cam.status = 7;
    return;
  }
  cam.status = 1;
  var serial = ++cam.serial;
  var release = function(stream) { stream.getTracks().forEach(function(t) { t.stop(); }); };
  navigator.mediaDevices
      .getUserMedia({audio : false, video : {facingMode : "user", width : {ideal : 320}, height : {ideal : 240}}})
      .then(function(stream) {
        if (serial != cam.serial) return release(stream);  // stopped while the prompt was up
        cam.stream = stream;
        var video = cam.video;
        if (!video) {
          // Hidden, but in the document (some browsers do not decode a detached video).
          video = cam.video = document.createElement("video");
          video.muted = true;
          video.playsInline = true;
          video.setAttribute("playsinline", "");
          video.setAttribute("aria-hidden", "true");
          video.style.position = "fixed";
          video.style.left = "0";
          video.style.top = "0";
          video.style.width = "2px";
          video.style.height = "2px";
          video.style.opacity = "0";
          video.style.pointerEvents = "none";
          document.body.appendChild(video);
        }
        video.srcObject = stream;
        // The camera goes off when the page stops asking for frames (another lab, the
        // landing page, a hidden tab): the lab then puts its image back.
        cam.polled = performance.now();
        clearInterval(cam.watch);
        cam.watch = setInterval(function() {
          if (cam.stream != stream) return clearInterval(cam.watch);
          if (performance.now() - cam.polled > 2000) {
            release(stream);
            cam.stream = null;
            video.srcObject = null;
            cam.status = 0;
            clearInterval(cam.watch);
          }
        }, 500);
        stream.getVideoTracks().forEach(function(t) {
          t.addEventListener("ended", function() {
            if (cam.stream != stream) return;
            release(stream);
            cam.stream = null;
            video.srcObject = null;
            cam.status = 6;
          });
        });
        // New frames: requestVideoFrameCallback where there is one, else the video's clock.
        cam.fresh = 0;
        cam.used = -1;
        cam.rvfc = typeof video.requestVideoFrameCallback == "function";
        if (cam.rvfc) {
          var onFrame = function() {
            if (cam.stream != stream) return;
            cam.fresh++;
            video.requestVideoFrameCallback(onFrame);
          };
          video.requestVideoFrameCallback(onFrame);
        }
        return video.play().then(function() {
          if (cam.stream == stream) cam.status = 2;
        });
      })
      .catch(function(e) {
        if (serial != cam.serial) return;
        if (cam.stream) release(cam.stream);
        cam.stream = null;
        var n = e && e.name;
        cam.status = n == "NotAllowedError" || n == "SecurityError" ? 3
                   : n == "NotFoundError" || n == "OverconstrainedError" ? 4
                   : n == "NotReadableError" || n == "AbortError" ? 5 : 3;
      });
});
EM_JS(void, nnplay_js_camera_stop, (), {
  var cam = Module.nnplayCamera;
  if (!cam) return;
  cam.serial++;
  if (cam.stream) cam.stream.getTracks().forEach(function(t) { t.stop(); });
  cam.stream = null;
  if (cam.video) cam.video.srcObject = null;
  cam.status = 0;
  cam.times = [];
});
EM_JS(int, nnplay_js_camera_status, (), {
  var cam = Module.nnplayCamera;
  if (!cam) return 0;
  cam.polled = performance.now();
  return cam.status;
});
EM_JS(int, nnplay_js_camera_grab, (int rows, int cols, unsigned char* rgba), {
  var cam = Module.nnplayCamera;
  if (!cam || !cam.stream || cam.status != 2) return 0;
  var v = cam.video;
  if (v.readyState < 2 || !v.videoWidth || !v.videoHeight) return 0;
  var resized = cam.rows != rows || cam.cols != cols;
  if (cam.rvfc) {
    if (cam.fresh == cam.used && !resized) return 0;
    cam.used = cam.fresh;
  } else {
    if (v.currentTime == cam.time && !resized) return 0;
    cam.time = v.currentTime;
  }
  if (!cam.canvas) {
    cam.canvas = document.createElement("canvas");
    cam.ctx = cam.canvas.getContext("2d", {willReadFrequently : true});
  }
  if (resized) {
    cam.canvas.width = cols;
    cam.canvas.height = rows;
    cam.rows = rows;
    cam.cols = cols;
  }
  var t0 = performance.now();
  // The largest centred part of the video with the input's aspect, scaled to the input.
  var s = Math.min(v.videoWidth / cols, v.videoHeight / rows), sw = cols * s, sh = rows * s;
  cam.ctx.drawImage(v, (v.videoWidth - sw) / 2, (v.videoHeight - sh) / 2, sw, sh, 0, 0, cols, rows);
  HEAPU8.set(cam.ctx.getImageData(0, 0, cols, rows).data, rgba);
  cam.grabbed++;
  // Which app frames grabbed one (nnplay_frame_count numbers) and how long the capture took
  // (drawImage, getImageData, the copy into wasm memory), for bench/camera_frame.mjs.
  if (Module._nnplay_frame_count) {
    cam.grabFrames = cam.grabFrames || [];
    cam.grabMs = cam.grabMs || [];
    cam.grabFrames.push(Module._nnplay_frame_count());
    cam.grabMs.push(performance.now() - t0);
    if (cam.grabFrames.length > 600) cam.grabFrames.splice(0, 300), cam.grabMs.splice(0, 300);
  }
  var now = performance.now();
  cam.times.push(now);
  while (cam.times.length > 2 && now - cam.times[0] > 1000) cam.times.shift();
  return 1;
});
EM_JS(double, nnplay_js_camera_fps, (), {
  var cam = Module.nnplayCamera;
  if (!cam || cam.times.length < 2) return 0;
  var t = cam.times;
  return (t.length - 1) * 1000 / Math.max(1, t[t.length - 1] - t[0]);
});
// clang-format on

namespace nnplay::platform {

void CameraStart() {
  nnplay_js_camera_start();
}
void CameraStop() {
  nnplay_js_camera_stop();
}
CameraStatus CameraGetStatus() {
  const int s = nnplay_js_camera_status();
  if (s < 0 || s > static_cast<int>(CameraStatus::kUnsupported)) return CameraStatus::kOff;
  return static_cast<CameraStatus>(s);
}
bool CameraGrab(int rows, int cols, unsigned char* rgba) {
  return rgba != nullptr && rows > 0 && cols > 0 && nnplay_js_camera_grab(rows, cols, rgba) != 0;
}
double CameraFps() {
  return nnplay_js_camera_fps();
}

}  // namespace nnplay::platform
