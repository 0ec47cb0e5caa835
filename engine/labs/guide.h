// guide.h: the words that introduce each lab to a first-year student: what the lab shows,
// two to four things to try (each may open a preset), one sentence for the landing page's
// card, and the course's exercises E1-E13 with the preset that opens each. The web views
// only draw this text; it lives here so the wording has one home (and a test).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "labs/registry.h"

namespace nnplay {

struct GuideStep {
  std::string text;    // "Hover over an output cell: ..."
  std::string preset;  // the id of the preset the step opens ("" when it opens none)
};

struct LabGuide {
  std::string lab;    // "conv" ("" for a lab without a guide)
  std::string title;  // "Convolution"
  std::string card;   // one sentence for the landing page
  std::string what;   // the "What this shows" paragraph
  std::vector<GuideStep> try_steps;
};

// Every lab's guide, in the order the landing page lists the labs.
const std::vector<LabGuide>& AllGuides();
// The guide of `lab` ("conv", "mlp", ...); an empty guide (lab == "") for an unknown lab.
const LabGuide& GuideFor(std::string_view lab);

struct CourseExercise {
  int number;          // 9 for E9
  std::string title;   // "Vertical edge detection"
  std::string lab;     // "conv"
  std::string preset;  // "e9-vertical-edge"
};

// The words around the guide and on the landing page (the views write no wording).
struct GuideWords {
  std::string header;      // the panel's collapsing header
  std::string what;        // "What this shows"
  std::string try_this;    // "Try this"
  std::string show_me;     // the button that opens a step's preset
  std::string try_prefix;  // before the first step in a closed panel: "Try this: "
  // The landing page.
  std::string title, tagline;
  std::string labs, labs_note, exercises, exercises_note, presets;
  std::string back_prefix, back_suffix;  // "Back to the " + lab title + " lab"
};
const GuideWords& Words();

// A landing card's thumbnail: a caption and the short labels drawn on it, by lab.
struct ThumbWords {
  std::string caption;
  std::vector<std::string> labels;
};
const ThumbWords& ThumbFor(std::string_view lab);

// E1..E13, in order.
const std::vector<CourseExercise>& CourseExercises();

// The preset `id` of `lab` (from AllPresets), nullptr when there is none.
const PresetInfo* FindPreset(std::string_view lab, std::string_view id);
// Its link, "" when there is none.
std::string PresetLink(std::string_view lab, std::string_view id);

}  // namespace nnplay
