// conv_camera.cpp: see conv_camera.h.
#include "labs/conv_camera.h"

#include <cmath>

#include "labs/notation.h"

namespace nnplay {

bool SetInputFromFrame(const unsigned char* rgba, int w, int h, bool mirror, ConvLabState* state) {
  using L = ConvLabLimits;
  if (rgba == nullptr || w < L::kMinInput || h < L::kMinInput || w > L::kMaxInput ||
      h > L::kMaxInput)
    return false;
  const int c = state->input.rank() == 3 ? state->channels() : 1;
  if (state->input.rank() != 3 || state->input.dim(1) != h || state->input.dim(2) != w)
    state->input = Tensor({c, h, w});
  const size_t plane = static_cast<size_t>(h) * static_cast<size_t>(w);
  float* out = state->input.plane(0);
  for (int y = 0; y < h; ++y) {
    const unsigned char* row = rgba + static_cast<size_t>(y) * static_cast<size_t>(w) * 4;
    float* dst = out + static_cast<size_t>(y) * static_cast<size_t>(w);
    for (int x = 0; x < w; ++x) {
      const unsigned char* px = row + static_cast<size_t>(mirror ? w - 1 - x : x) * 4;
      if (c == 3) {
        dst[x] = px[0];
        dst[plane + x] = px[1];
        dst[2 * plane + x] = px[2];
      } else {
        const float luma = std::round(0.299f * px[0] + 0.587f * px[1] + 0.114f * px[2]);
        for (int ch = 0; ch < c; ++ch) dst[static_cast<size_t>(ch) * plane + x] = luma;
      }
    }
  }
  if (state->filter.rank() == 4 && state->filter.dim(1) != c)
    state->filter.Resize({state->filters(), c, state->filter.dim(2), state->filter.dim(3)});
  return true;
}

void CameraFrameSize(const ConvLabState& state, int* rows, int* cols) {
  const bool has = state.input.rank() == 3;
  const int h = has ? state.input.dim(1) : 0, w = has ? state.input.dim(2) : 0;
  if (h >= kCameraMinSide && w >= kCameraMinSide) {
    *rows = h, *cols = w;
  } else {
    *rows = kCameraRows, *cols = kCameraCols;
  }
}

const char* CameraText::Start() {
  return "Camera";
}
const char* CameraText::Freeze() {
  return "Freeze (Space)";
}
const char* CameraText::Resume() {
  return "Resume";
}
const char* CameraText::Stop() {
  return "Stop camera";
}
const char* CameraText::Privacy() {
  return "Nothing leaves this machine.";
}
const char* CameraText::Frozen() {
  return "Frozen: this frame is the input now. Edit it, undo it, or share it as a link.";
}

std::string CameraText::Status(CameraStatus status) {
  switch (status) {
    case CameraStatus::kOff:
      return "";
    case CameraStatus::kStarting:
      return "Starting the camera… (the browser may ask whether this page may use it)";
    case CameraStatus::kLive:
      return "Live: the input follows the camera. Edit the filters and watch the maps change.";
    case CameraStatus::kDenied:
      return "The camera was not allowed, so the lab keeps its image. To use it, allow the "
             "camera for this page in the browser (the icon in the address bar) and press "
             "Camera again.";
    case CameraStatus::kNoCamera:
      return "No camera was found on this device. The lab keeps its image.";
    case CameraStatus::kBusy:
      return "The camera could not be started (another program may be using it). The lab "
             "keeps its image.";
    case CameraStatus::kEnded:
      return "The camera stopped (turned off or unplugged). The lab keeps its image; press "
             "Camera to try again.";
    case CameraStatus::kUnsupported:
      return "This browser gives this page no camera (it needs a recent browser and an "
             "https:// address). The lab keeps its image.";
  }
  return "";
}

std::string CameraText::Live(double fps) {
  return "Live, " + Fps(fps) +
         ", mirrored: the input follows the camera. Edit the filters and watch the maps "
         "follow.";
}

std::string CameraText::Fps(double fps) {
  return Count(std::lround(fps > 0 ? fps : 0)) + " fps";
}

}  // namespace nnplay
