// The tooltip table (engine/labs/help.h): every control a view names has help, and every
// range a tooltip quotes is the lab's limit.
#include "labs/help.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "labs/batchnorm_lab.h"
#include "labs/cnn_lab.h"
#include "labs/conv_lab.h"
#include "labs/cost_lab.h"
#include "labs/dropout_lab.h"
#include "labs/flow_lab.h"
#include "labs/mlp_lab.h"
#include "labs/softmax_lab.h"
#include "labs/train_lab.h"

#ifdef NNPLAY_SOURCE_DIR
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#endif

namespace nnplay {
namespace {

TEST(Help, RangeTextIsPlainWords) {
  EXPECT_EQ(HelpRangeText(1, 4), "from 1 to 4");
  EXPECT_EQ(HelpRangeText(0.01, 100), "from 0.01 to 100");
  EXPECT_EQ(HelpRangeText(0, 0.99f), "from 0 to 0.99");
  EXPECT_EQ(HelpRangeText(-4, 4),
            "from \xE2\x88\x92"
            "4 to 4");  // U+2212 minus
  EXPECT_EQ(HelpRangeText(0, 2147483647), "from 0 to 2,147,483,647");
  EXPECT_EQ(HelpRangeText(0.0001, 3), "from 0.0001 to 3");
}

TEST(Help, EveryEntryHasTextAndIsUnique) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const ControlHelpEntry& e : ControlHelpTable()) {
    SCOPED_TRACE(e.lab + "/" + e.control);
    EXPECT_TRUE(seen.insert({e.lab, e.control}).second) << "listed twice";
    EXPECT_GE(e.text.size(), 20u);
    EXPECT_LE(e.text.size(), 400u) << "a tooltip is a few sentences";
    EXPECT_EQ(e.text.find('{'), std::string::npos) << "a placeholder was left: " << e.text;
    EXPECT_EQ(ControlHelp(e.lab, e.control), e.text.c_str());
  }
  EXPECT_EQ(ControlHelp("conv", "no-such-control"), nullptr);
  EXPECT_EQ(ControlHelp("no-such-lab", "stride"), nullptr);
}

// What each ranged control accepts, written out here from the labs' limits (and the
// views' fixed ends) so that the tooltip's numbers are checked against them.
struct Expected {
  const char* lab;
  const char* control;
  double lo, hi;
};
std::vector<Expected> ExpectedRanges() {
  using C = ConvLabLimits;
  using S = SoftmaxLabLimits;
  using B = BatchNormLabLimits;
  using D = DropoutLabLimits;
  using F = FlowLabLimits;
  using K = CostLabLimits;
  using M = MlpLabLimits;
  using T = TrainLabLimits;
  using N = CnnLabLimits;
  return {
      {"conv", "input-rows", C::kMinInput, C::kMaxInput},
      {"conv", "input-cols", C::kMinInput, C::kMaxInput},
      {"conv", "channels", 1, C::kMaxChannels},
      {"conv", "filter-rows", C::kMinFilter, C::kMaxFilter},
      {"conv", "filter-cols", C::kMinFilter, C::kMaxFilter},
      {"conv", "filters", 1, C::kMaxFilters},
      {"conv", "pad", 0, C::kMaxPad},
      {"conv", "stride", 1, C::kMaxStride},
      {"conv", "dilation", 1, C::kMaxDilation},
      {"conv", "pool-size", 1, C::kMaxPool},
      {"conv", "pool-stride", 1, C::kMaxPool},
      {"conv", "groups", 1, C::kMaxChannels},
      {"conv", "pool-padding", 0, C::kMaxPool / 2},
      {"conv", "pool-dilation", 1, C::kMaxPoolDilation},
      {"conv", "pool-output", 1, C::kMaxAdaptive},
      {"softmax", "logits", S::kMinLogits, S::kMaxLogits},
      {"softmax", "temperature", S::kMinTemperature, S::kMaxTemperature},
      {"batchnorm", "features", 1, B::kMaxFeatures},
      {"batchnorm", "batch", 1, B::kMaxBatch},
      {"batchnorm", "eps", 0, B::kMaxEps},
      {"batchnorm", "momentum", 0, 1},  // the slider's ends
      {"dropout", "units", D::kMinUnits, D::kMaxUnits},
      {"dropout", "keep", 0.01, 1},  // the slider's ends
      {"dropout", "seed", 0, D::kMaxSeed},
      {"dropout", "samples", D::kMinSamples, D::kMaxSamples},
      {"flow", "layers", F::kMinDepth, F::kMaxDepth},
      {"flow", "width", F::kMinWidth, F::kMaxWidth},
      {"flow", "w", -F::kMaxWeight, F::kMaxWeight},
      {"flow", "weight-seed", 0, F::kMaxSeed},
      {"flow", "input-seed", 0, F::kMaxSeed},
      {"flow", "layer-shown", 1, F::kMaxDepth},
      {"cost", "h", 1, K::kMaxSide},
      {"cost", "w", 1, K::kMaxSide},
      {"cost", "c", 1, K::kMaxChannels},
      {"cost", "r", 1, K::kMaxChannels},
      {"cost", "k", 1, K::kMaxKernel},
      {"cost", "n", 1, K::kMaxChannels},
      {"cost", "stride", 1, K::kMaxStride},
      {"cost", "n1", 1, K::kMaxChannels},
      {"cost", "r3", 0, K::kMaxChannels},
      {"cost", "n3", 1, K::kMaxChannels},
      {"cost", "r5", 0, K::kMaxChannels},
      {"cost", "n5", 1, K::kMaxChannels},
      {"cost", "np", 1, K::kMaxChannels},
      {"mlp", "input-size", M::kMinUnits, M::kMaxUnits},
      {"mlp", "units", M::kMinUnits, M::kMaxUnits},
      {"mlp", "add-layer", M::kMinLayers, M::kMaxLayers},
      {"train", "classes", T::kMinClasses, T::kMaxClasses},
      {"train", "seed", 0, T::kMaxSeed},
      {"train", "noise", 0, T::kMaxNoise},
      {"train", "split", T::kMinSplit, T::kMaxSplit},
      {"train", "hidden-layers", 0, T::kMaxLayers},
      {"train", "layer-units", 1, T::kMaxUnits},
      {"train", "rate", 0, T::kMaxRegRate},
      {"train", "lr", 0.0001, 3},  // the slider's ends (a link may hold up to kMaxLr)
      {"train", "momentum", 0, T::kMaxMomentum},
      {"train", "batch", 1, T::kMaxBatch},
      {"train", "click-value", -1, 1},  // the slider's ends
      {"cnn", "noise", 0, N::kMaxNoise},
      {"cnn", "seed", 0, N::kMaxSeed},
      {"cnn", "f1", N::kMinFilters, N::kMaxFilters},
      {"cnn", "f2", N::kMinFilters, N::kMaxFilters},
      {"cnn", "lr", 0.0001, N::kMaxLr},  // the slider's lower end
      {"cnn", "momentum", 0, N::kMaxMomentum},
      {"cnn", "batch", 1, N::kMaxBatch},
      {"cnn", "decay", 0, N::kMaxDecay},
  };
}

TEST(Help, QuotedRangesAreTheLabLimits) {
  const std::vector<Expected> expected = ExpectedRanges();
  for (const Expected& x : expected) {
    SCOPED_TRACE(std::string(x.lab) + "/" + x.control);
    const char* text = ControlHelp(x.lab, x.control);
    ASSERT_NE(text, nullptr);
    // The limits as the test writes them, e.g. "from 1 to 4".
    const std::string range = HelpRangeText(x.lo, x.hi);
    EXPECT_NE(std::string(text).find(range), std::string::npos) << text;
  }
  // No tooltip quotes a range the list above does not know.
  for (const ControlHelpEntry& e : ControlHelpTable()) {
    if (!e.has_range) continue;
    bool listed = false;
    for (const Expected& x : expected) {
      if (e.lab != x.lab || e.control != x.control) continue;
      listed = true;
      EXPECT_EQ(e.lo, x.lo) << e.lab << "/" << e.control;
      EXPECT_EQ(e.hi, x.hi) << e.lab << "/" << e.control;
    }
    EXPECT_TRUE(listed) << e.lab << "/" << e.control << " quotes a range the test does not check";
  }
}

#ifdef NNPLAY_SOURCE_DIR
// Every control id the views pass to HelpTip (or a grid's HelpRef, or a helper below)
// has help, and every help entry is used by some view.
TEST(Help, EveryControlTheViewsNameHasHelp) {
  namespace fs = std::filesystem;
  const std::regex tip(R"re(HelpTip\(\s*"([a-z]+)"\s*,([^;]*?)\)\s*;)re");
  const std::regex ref(R"re(HelpRef\{\s*"([a-z]+)"\s*,\s*"([a-z0-9-]+)"\s*\})re");
  // Helpers that call HelpTip(lab, <their id argument>): the ids are read at their calls.
  struct Helper {
    const char* file;
    const char* lab;
    std::regex call;
  };
  const std::vector<Helper> helpers = {
      {"app.cpp", "app", std::regex(R"re(HeaderButton\(\s*"([a-z0-9-]+)")re")},
      {"cost_view.cpp", "cost", std::regex(R"re(IntField\(\s*"[^"]*",\s*"([a-z0-9-]+)")re")},
      {"conv_view.cpp", "conv", std::regex(R"re(pair\(\s*"[^"]*",\s*"([a-z0-9-]+)")re")},
  };
  const std::regex literal(R"re("([a-z0-9-]+)")re");
  std::set<std::pair<std::string, std::string>> used;
  int files = 0;
  for (const auto& f : fs::directory_iterator(fs::path(NNPLAY_SOURCE_DIR) / "web")) {
    if (f.path().extension() != ".cpp") continue;
    ++files;
    std::ifstream in(f.path());
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string src = buf.str();
    for (std::sregex_iterator m(src.begin(), src.end(), tip), end; m != end; ++m) {
      const std::string args = (*m)[2];
      const bool helper = std::any_of(helpers.begin(), helpers.end(), [&](const Helper& h) {
        return f.path().filename() == h.file && (*m)[1] == h.lab;
      });
      int ids = 0;
      for (std::sregex_iterator l(args.begin(), args.end(), literal); l != end; ++l, ++ids)
        used.insert({(*m)[1], (*l)[1]});
      EXPECT_TRUE(ids > 0 || helper)
          << f.path() << ": " << (*m)[0] << " names no control literally";
    }
    for (std::sregex_iterator m(src.begin(), src.end(), ref), end; m != end; ++m)
      used.insert({(*m)[1], (*m)[2]});
    for (const Helper& h : helpers) {
      if (f.path().filename() != h.file) continue;
      for (std::sregex_iterator m(src.begin(), src.end(), h.call), end; m != end; ++m)
        used.insert({h.lab, (*m)[1]});
    }
  }
  ASSERT_GT(files, 5);
  EXPECT_GT(used.size(), 20u);
  for (const auto& [lab, control] : used) {
    const char* text = ControlHelp(lab, control);
    EXPECT_TRUE(text && *text) << "no help for " << lab << "/" << control;
  }
  for (const ControlHelpEntry& e : ControlHelpTable())
    EXPECT_TRUE(used.count({e.lab, e.control})) << e.lab << "/" << e.control << " is never shown";
}
#endif

}  // namespace
}  // namespace nnplay
