// camera.h: the camera as a video source for the labs (the convolution lab's Camera button).
// getUserMedia feeds a hidden <video>; each new video frame is drawn, centre-cropped and
// scaled, onto a small canvas and read back as RGBA. Frames never leave the page: nothing is
// sent anywhere, and nothing is kept but the last frame grabbed into the caller's buffer.
//
// The JavaScript is in EM_JS blocks in camera.cpp; Module.nnplayCamera holds its state (tests
// read it: status, grabbed frames).
#pragma once

#include "labs/conv_camera.h"

namespace nnplay::platform {

// Asks for the camera (the browser may show its permission prompt): the status is kStarting
// until the first frame plays, then kLive, or why not (kDenied, kNoCamera, ...).
void CameraStart();
// Turns the camera off (the browser's camera indicator goes out); the status becomes kOff.
void CameraStop();
// Also tells the page that frames are still wanted: when it has not been asked for 2 s
// (the lab is not drawn: another lab, the landing page, a hidden tab), the camera goes off
// and the status is kOff.
CameraStatus CameraGetStatus();
// When a video frame arrived since the last call (or the size changed): copies it,
// centre-cropped to the aspect of cols × rows and scaled to that size, into `rgba`
// (rows × cols × 4 bytes, top row first, not mirrored) and returns true.
bool CameraGrab(int rows, int cols, unsigned char* rgba);
// Frames grabbed per second over the last second (0 before two frames).
double CameraFps();

}  // namespace nnplay::platform
