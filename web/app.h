// app.h: the playground around the labs: which lab is open, the share link in the address
// bar, undo/redo, the message banner, local persistence. One App per page.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lab_view.h"
#include "landing_view.h"

namespace nnplay::web {

class App {
 public:
  App();
  // Opens the link in the URL fragment if there is one, else the last state this browser
  // saw (local storage), else the landing page (the address bar stays without a link).
  void Init();
  // Draws one frame of the UI (between ImGui::NewFrame and ImGui::Render).
  void Frame();

  // Opens a link (URL, fragment or bare state). On failure the current state stays, the
  // banner says what is wrong, and the broken link stays in the address bar; returns false.
  bool OpenLink(const std::string& text);
  const std::string& link() const { return link_; }
  const std::string& message() const { return message_; }
  std::string StateJson() const { return lab().Json(); }  // as `nnplay eval` prints it
  std::string LayoutJson() const;  // grid rectangles in CSS pixels, for tests
  bool Undo();
  bool Redo();
  // A file the user picked: a JSON state (or a bare link) to open, or an image for the lab.
  void ImportText(const std::string& text);
  void ImportImage(const unsigned char* rgba, int w, int h);
  void ImportCsv(const std::string& text);
  void Notice(const std::string& message) { message_ = message; }

 private:
  LabView& lab() const { return *labs_[current_]; }
  // Opens a link without touching the banner or the history.
  bool Open(const std::string& text, size_t max_length, LinkError* error);
  void Committed(LabChange change);  // after an edit or a preset: link, undo, address bar
  // The link made now from the lab (Copy link, Copy as code), committed when it changed.
  void SyncLink();
  // `link` onto the undo stack, the oldest entries dropped past kMaxUndo entries or
  // kMaxUndoBytes bytes of undo and redo together.
  void PushUndo(std::string link);
  void ShowHeader();
  // The landing page (engine/labs/guide.h's cards and exercises) instead of the lab.
  void ShowLanding();
  // Leaves the landing page for `link` (a new history entry, so Back returns to it).
  void OpenFromLanding(const std::string& link);
  // Opens a preset or another lab as a new browser-history entry.
  void Navigate(const std::string& link);
  void FollowTitle();  // document.title: the lab, and the preset when the link is one

  std::string title_link_;  // the link document.title was written for

  std::vector<std::unique_ptr<LabView>> labs_;
  size_t current_ = 0;
  std::string link_;                      // the current lab's state as a link
  std::vector<std::string> undo_, redo_;  // links
  double last_edit_ = -10.0;              // when the last edit was committed (seconds)
  std::string message_;                   // what went wrong, shown until dismissed or the next edit
  std::string broken_link_;               // the link that could not be opened, kept for copying
  double copied_at_ = -10.0;
  // Copy as PyTorch / NumPy: what the header says afterwards ("Copied", or why not) and when.
  std::string code_note_;
  double code_note_at_ = -10.0;
  bool code_copied_ = false;  // the last try copied a script (else: refused, code_note_ says why)
  void CopyAsCode(bool torch);
  std::string live_text_;
  // The landing page is shown instead of the lab: on a first visit (no link, nothing saved)
  // and from the header's "Labs & presets". first_visit_: no lab has been opened yet.
  bool landing_open_ = false;
  bool first_visit_ = false;
  LandingPage landing_;
  // Where the header's buttons were drawn (name -> x, y, w, h), reported for tests.
  std::vector<std::pair<std::string, std::vector<float>>> button_rects_;
  bool HeaderButton(const char* name, const char* label);
  // What the header says when the state is too large for a link ("" when it fits).
  std::string TooLongNotice() const;
};

App& TheApp();

}  // namespace nnplay::web
