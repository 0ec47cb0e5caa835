// nnplay web app entry point: the platform layer runs the app; the app draws the labs.
#include "app.h"
#include "platform/platform.h"

int main() {
  nnplay::platform::AppCallbacks callbacks;
  callbacks.title = "nnplay";
  callbacks.init = [] { nnplay::web::TheApp().Init(); };
  callbacks.frame = [] { nnplay::web::TheApp().Frame(); };
  return nnplay::platform::RunApp(std::move(callbacks));
}
