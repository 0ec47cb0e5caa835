// help.h: the tooltip of every control in every lab, in one place: what the control does,
// its range and its effect on the output, written for a first-year student. Views show it
// with HelpTip(lab, control) (web/lab_widgets.h); they never write this wording themselves.
//
// Ranges are quoted from the labs' Limits structs when the table is built, so a tooltip
// cannot drift from what the slider and the link accept (tests/engine/help_test.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nnplay {

struct ControlHelpEntry {
  std::string lab;      // the link's lab name: "conv", ...; "app" for the page header
  std::string control;  // the id views pass to HelpTip: "stride", "pad-mode", ...
  std::string text;     // the tooltip, one or a few sentences
  bool has_range = false;
  double lo = 0, hi = 0;  // the range the text quotes ("from 1 to 4"), when has_range
};

// Every entry, by lab, in the order the controls appear.
const std::vector<ControlHelpEntry>& ControlHelpTable();

// The tooltip of `control` in `lab`, or nullptr when there is none.
const char* ControlHelp(std::string_view lab, std::string_view control);

// How a range is quoted in a tooltip: "from 1 to 4", "from 0.01 to 100".
std::string HelpRangeText(double lo, double hi);

}  // namespace nnplay
