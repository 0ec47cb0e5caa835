// help.cpp: see help.h. One function per lab adds its controls, in the order they appear.
// In the text, {range} is replaced by the range ("from 1 to 4"), taken from the Limits.
#include "labs/help.h"

#include <cstdio>
#include <utility>

#include "labs/conv_lab.h"
#include "labs/lab_text.h"

namespace nnplay {
namespace {

class Table {
 public:
  explicit Table(std::vector<ControlHelpEntry>* entries) : entries_(entries) {}
  void Lab(const char* lab) { lab_ = lab; }
  void Add(const char* control, std::string text) {
    entries_->push_back({lab_, control, std::move(text), false, 0, 0});
  }
  void Range(const char* control, double lo, double hi, const std::string& text) {
    std::string t = text;
    const size_t at = t.find("{range}");
    if (at != std::string::npos) t.replace(at, 7, HelpRangeText(lo, hi));
    entries_->push_back({lab_, control, std::move(t), true, lo, hi});
  }

 private:
  std::vector<ControlHelpEntry>* entries_;
  std::string lab_;
};

void AddApp(Table* t) {
  t->Lab("app");
  t->Add("gallery", "Every lab and every preset of the course, in one list. Pick one to open it.");
  t->Add("undo", "Go back one change (Ctrl+Z). Presets and single edits can both be undone.");
  t->Add("redo", "Do again what Undo took back (Ctrl+Shift+Z or Ctrl+Y).");
  t->Add("copy",
         "Copy a link to exactly what you see. Whoever opens it gets the same numbers and "
         "settings.");
  t->Add("export",
         "Save the whole state and every result as a JSON file (for states too large for a "
         "link, such as a loaded photo).");
  t->Add("import", "Open a JSON file saved with Export JSON, or a file holding a link.");
  t->Add("reset", "Put this lab back to how it first opens. Undo brings your work back.");
  t->Add("dismiss", "Hide this message. The lab keeps showing what it showed before.");
  t->Add("copy-broken", "Copy the link that could not be opened, to fix it or report it.");
}

void AddCheck(Table* t) {
  t->Lab("check");
  t->Add("value",
         "Type the value you worked out for this step. It counts as right when it agrees to the "
         "digits you typed: 0.33 is right for 1/3, 0.34 is not. Green: right; red: not right. "
         "Your entries are part of the link.");
}

void AddConv(Table* t) {
  using L = ConvLabLimits;
  t->Lab("conv");
  t->Add("input-preset",
         "Fill every input channel with this pattern. The input keeps its size; the output "
         "updates at once.");
  t->Add("load-image",
         "Use a picture from your computer as the input. It is decoded in your "
         "browser and scaled to fit " +
             std::to_string(L::kMaxInput) + " by " + std::to_string(L::kMaxInput) +
             "; nothing is uploaded.");
  t->Range("input-rows", L::kMinInput, L::kMaxInput,
           "Height of the input image in cells, {range}. A taller input gives a taller output.");
  t->Range("input-cols", L::kMinInput, L::kMaxInput,
           "Width of the input image in cells, {range}. A wider input gives a wider output.");
  t->Range("channels", 1, L::kMaxChannels,
           "Input channels, {range} (a colour photo has 3: red, green, blue). Each filter gets "
           "one slice per channel, and an output cell adds up the sums of all channels.");
  t->Add("filter-preset",
         "Put this well-known filter into every filter (e.g. an edge detector or a blur). "
         "Watch which parts of the input light up in the output.");
  t->Range("filter-rows", L::kMinFilter, L::kMaxFilter,
           "Height of each filter in cells, {range}. A taller filter sees more rows at once and "
           "gives a shorter output.");
  t->Range("filter-cols", L::kMinFilter, L::kMaxFilter,
           "Width of each filter in cells, {range}. A wider filter sees more columns at once "
           "and gives a narrower output.");
  t->Range("filters", 1, L::kMaxFilters,
           "How many filters, {range}. Each filter makes its own output map (an output "
           "channel).");
  t->Add("mode",
         "Convolution slides the filter over the input and sums the products: the output is "
         "smaller. Transposed convolution spreads each input cell over the output, weighted by "
         "the filter: the output is larger (used to upsample).");
  t->Add("padding",
         "Zeros added around the input before the filter slides. Valid: none, the output "
         "shrinks. Same: just enough that, with stride 1, the output is as large as the "
         "input. Explicit: you choose how many rings.");
  t->Range("pad", 0, L::kMaxPad,
           "Rings of zeros around the input, {range}. With stride 1 each ring adds 2 to the "
           "output's height and width, and lets the filter centre on the border cells.");
  t->Range("stride", 1, L::kMaxStride,
           "How many cells the filter moves between outputs, {range}. Stride 2 skips every "
           "other position and roughly halves the output's size.");
  t->Range("dilation", 1, L::kMaxDilation,
           "Spacing between the filter's taps, {range}. Dilation 2 leaves a gap between the "
           "cells the filter reads: it sees a wider area with the same weights and the output "
           "gets smaller.");
  t->Add("relu",
         "Apply ReLU after the convolution: negative values become 0, positive ones stay. "
         "Shown as an extra map beside each output.");
  t->Add("pooling",
         "Shrink each map by summarising windows of cells: max keeps the largest value of "
         "each window, average keeps their mean. None: no pooled map.");
  t->Range("pool-size", 1, L::kMaxPool,
           "The pooling window's side, {range}. A larger window summarises more cells into "
           "one value.");
  t->Range("pool-stride", 1, L::kMaxPool,
           "How far the pooling window moves each step, {range}. Equal to the size, the windows "
           "do not overlap (size 2, stride 2 halves each side).");
  t->Add("brush",
         "The value painted when you drag across input or filter cells. Any number; 0 "
         "erases.");
  t->Add("input-grid",
         "The input: one number per cell (grey cells around it are the zero padding). Click "
         "a cell to type a value; drag to paint the brush value; right-click to save as PNG.");
  t->Add("filter-grid",
         "A filter's weights. Each output cell is the sum of these weights times the input "
         "cells under them. Click to type a weight; drag to paint the brush value.");
  t->Add("output-grid",
         "The output map. Hover or click a cell: its receptive field is outlined on the input "
         "and its sum is written out below.");
}

std::vector<ControlHelpEntry> Build() {
  std::vector<ControlHelpEntry> entries;
  Table t(&entries);
  AddApp(&t);
  AddCheck(&t);
  AddConv(&t);
  return entries;
}

}  // namespace

std::string HelpRangeText(double lo, double hi) {
  return "from " + TraceNum(lo) + " to " + TraceNum(hi);
}

const std::vector<ControlHelpEntry>& ControlHelpTable() {
  static const std::vector<ControlHelpEntry> table = Build();
  return table;
}

const char* ControlHelp(std::string_view lab, std::string_view control) {
  for (const ControlHelpEntry& e : ControlHelpTable())
    if (e.lab == lab && e.control == control) return e.text.c_str();
  return nullptr;
}

}  // namespace nnplay
