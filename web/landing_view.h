// landing_view.h: the page a first visit opens on (and the header's "Labs & presets"): a
// title, what nnplay is, a card per lab with a small live thumbnail drawn from the lab's
// engine model and one sentence (engine/labs/guide.h), the course's exercises E1-E13 each
// opening its preset, and every preset by lab.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "json.h"

namespace nnplay::web {

// What the user picked on the page: a lab (open it as it is) or a preset's link.
struct LandingPick {
  std::string lab;   // "conv": open that lab
  std::string link;  // "v1/conv?...": open this link
};

class LandingPage {
 public:
  LandingPage();
  ~LandingPage();
  // Draws the page into the current window. `current` is the lab open behind the page
  // ("" on a first visit).
  LandingPick Draw(const std::string& current);
  // "landing": {"cards": {lab: [x, y, w, h]}, "exercises": {"E1": [...]}, "thumbnails": n}
  void Layout(JsonWriter* j) const;

 private:
  struct Thumbnails;
  std::unique_ptr<Thumbnails> thumbs_;
  std::vector<std::pair<std::string, ImVec4>> cards_, exercises_;
};

}  // namespace nnplay::web
