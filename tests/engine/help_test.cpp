// The tooltip table (engine/labs/help.h): every control a view names has help, and every
// range a tooltip quotes is the lab's limit.
#include "labs/help.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "labs/conv_lab.h"

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
// Every control id the views pass to HelpTip (or a grid's HelpRef, or the header's
// HeaderButton) has help, and every help entry is used by some view.
TEST(Help, EveryControlTheViewsNameHasHelp) {
  namespace fs = std::filesystem;
  const std::regex tip(R"re(HelpTip\(\s*"([a-z]+)"\s*,([^;]*?)\)\s*;)re");
  const std::regex ref(R"re(HelpRef\{\s*"([a-z]+)"\s*,\s*"([a-z0-9-]+)"\s*\})re");
  const std::regex header(R"re(HeaderButton\(\s*"([a-z0-9-]+)")re");
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
      if ((*m)[1] == "app" && args == " name") continue;  // HeaderButton's, collected below
      int ids = 0;
      for (std::sregex_iterator l(args.begin(), args.end(), literal); l != end; ++l, ++ids)
        used.insert({(*m)[1], (*l)[1]});
      EXPECT_GT(ids, 0) << f.path() << ": " << (*m)[0] << " names no control literally";
    }
    for (std::sregex_iterator m(src.begin(), src.end(), ref), end; m != end; ++m)
      used.insert({(*m)[1], (*m)[2]});
    for (std::sregex_iterator m(src.begin(), src.end(), header), end; m != end; ++m)
      used.insert({"app", (*m)[1]});
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
