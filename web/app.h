// app.h: the playground around the labs: which lab is open, its state and result, the
// share link in the address bar, the message banner. One App per page.
#pragma once

#include <string>

#include "conv_view.h"
#include "labs/conv_lab.h"

namespace nnplay::web {

class App {
 public:
  // Opens the link in the URL fragment if there is one, else the default lab.
  void Init();
  // Draws one frame of the UI (between ImGui::NewFrame and ImGui::Render).
  void Frame();

  // Opens a link (URL, fragment or bare state). On failure the current state stays and
  // the banner says what is wrong; returns false.
  bool OpenLink(const std::string& link);
  const std::string& link() const { return link_; }
  const std::string& message() const { return message_; }
  // The same JSON as `nnplay eval` prints for the current state.
  std::string StateJson() const;
  // Screen rectangles of the grids, in CSS pixels (for tests and scripting).
  std::string LayoutJson() const;

 private:
  void Recompute();   // after any change of state_
  void ShowHeader();  // title, link buttons, banner

  ConvLabState state_ = ConvLabDefault();
  ConvLabResult result_ = EvaluateConvLab(state_);
  std::string link_ = EncodeConvLab(state_);
  ConvView view_;
  std::string message_;      // what went wrong, shown until dismissed
  std::string broken_link_;  // the link that could not be opened, kept for copying
  double copied_at_ = -10.0;
  std::string live_text_;
};

App& TheApp();

}  // namespace nnplay::web
