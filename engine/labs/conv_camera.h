// conv_camera.h: the convolution lab's camera source. A frame of live video becomes the
// lab's input (grey, or R, G, B for three channels; mirrored like a front camera), and
// the words the page shows around the Camera button. The page side (getUserMedia, the
// hidden <video>, the scaling canvas) is web/platform/camera.h; the view only draws.
#pragma once

#include <string>

#include "labs/conv_lab.h"

namespace nnplay {

// What the camera is doing, as the page reports it.
enum class CameraStatus {
  kOff,          // never started, or stopped by the learner
  kStarting,     // asked for; waiting for the permission prompt or the first frame
  kLive,         // frames arrive
  kDenied,       // the learner or the browser refused the permission
  kNoCamera,     // no camera on this machine
  kBusy,         // there is a camera but it could not be started (another program has it)
  kEnded,        // it was live and stopped (unplugged, turned off, revoked)
  kUnsupported,  // the page has no camera access (an old browser, not a secure page)
};

// Writes a camera frame (RGBA bytes, w × h, row-major, top row first) into the input,
// mirrored left-right when `mirror` (column x of the input is column w − 1 − x of the frame,
// as a mirror shows a face). The channel count stays: 3 channels take R, G, B; any other
// count takes the luma round(0.299R + 0.587G + 0.114B) in every channel (as
// SetInputFromImage does), so values are whole numbers 0..255 and exact in links. The input
// takes the frame's size; when it has it already, nothing is allocated (every live frame).
// A size outside 1..ConvLabLimits::kMaxInput, or no pixels, returns false and changes nothing.
bool SetInputFromFrame(const unsigned char* rgba, int w, int h, bool mirror, ConvLabState* state);

// The size the camera feeds (rows, columns): the input's own when both sides are at least
// kCameraMinSide, else kCameraRows × kCameraCols (a 4:3 frame that still fits a link when
// frozen; a 6×6 exercise image would show nothing recognisable).
constexpr int kCameraMinSide = 16, kCameraRows = 48, kCameraCols = 64;
void CameraFrameSize(const ConvLabState& state, int* rows, int* cols);

// ---- wording (display text) ----------------------------------------------------------
struct CameraText {
  static const char* Start();    // "Camera"
  static const char* Freeze();   // "Freeze (Space)"
  static const char* Resume();   // "Resume"
  static const char* Stop();     // "Stop camera"
  static const char* Privacy();  // "Nothing leaves this machine." (beside the button)
  // The line under the buttons: what the camera is doing, or why it is not ("" when off).
  static std::string Status(CameraStatus status);
  static std::string Fps(double fps);  // "24 fps"
  // The status line while frames arrive: "Live, 24 fps, mirrored: ...".
  static std::string Live(double fps);
  // After Freeze: the frame is the input.
  static const char* Frozen();
};

}  // namespace nnplay
