// guide_test.cpp: every lab has its introduction (what it shows, two to four things to
// try), every step's preset and every course exercise opens a preset of the right lab, and
// the exercises E1-E13 are the ones the presets' titles name.
#include "labs/guide.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "labs/registry.h"

namespace nnplay {
namespace {

// The labs the page has (README's table).
const char* const kLabs[] = {"conv", "softmax", "batchnorm", "dropout", "mlp",
                             "flow", "cost",    "train",     "cnn"};

// The lab a link opens, from its JSON ("lab": "...").
std::string LabOf(const std::string& link) {
  std::string json;
  LinkError error;
  if (!EvalLinkToJson(link, &json, &error)) return "error: " + error.ToString();
  const std::string key = "\"lab\":\"";
  const size_t at = json.find(key);
  if (at == std::string::npos) return "no lab in the JSON";
  const size_t start = at + key.size();
  return json.substr(start, json.find('"', start) - start);
}

TEST(Guide, EveryLabHasAShortIntroductionAndTwoToFourSteps) {
  for (const char* lab : kLabs) {
    SCOPED_TRACE(lab);
    const LabGuide& g = GuideFor(lab);
    EXPECT_EQ(g.lab, lab);
    EXPECT_FALSE(g.title.empty());
    EXPECT_FALSE(g.card.empty());
    EXPECT_LE(g.card.size(), 130u) << g.card;  // one sentence on a card
    EXPECT_GE(g.what.size(), 80u);
    EXPECT_LE(g.what.size(), 420u) << g.what;  // a short paragraph
    EXPECT_GE(g.try_steps.size(), 2u);
    EXPECT_LE(g.try_steps.size(), 4u);
    for (const GuideStep& s : g.try_steps) {
      EXPECT_LE(s.text.size(), 180u) << s.text;
      // Plain words, not programmer's notation.
      for (const std::string* t : {&s.text, &g.what, &g.card}) {
        EXPECT_EQ(t->find('^'), std::string::npos) << *t;
        EXPECT_EQ(t->find('_'), std::string::npos) << *t;
        EXPECT_EQ(t->find("d/d"), std::string::npos) << *t;
      }
    }
  }
  EXPECT_EQ(AllGuides().size(), std::size(kLabs));
}

TEST(Guide, AnUnknownLabHasAnEmptyGuide) {
  EXPECT_EQ(GuideFor("nope").lab, "");
  EXPECT_TRUE(GuideFor("nope").try_steps.empty());
  EXPECT_EQ(GuideFor("").lab, "");
}

TEST(Guide, EveryStepsPresetOpensItsLab) {
  int with_preset = 0;
  for (const LabGuide& g : AllGuides()) {
    for (const GuideStep& s : g.try_steps) {
      if (s.preset.empty()) continue;
      ++with_preset;
      const std::string link = PresetLink(g.lab, s.preset);
      ASSERT_FALSE(link.empty()) << g.lab << " has no preset " << s.preset;
      EXPECT_EQ(LabOf(link), g.lab) << link;
    }
  }
  EXPECT_GE(with_preset, 9);
}

TEST(Guide, PresetLinkIsEmptyForAnUnknownPreset) {
  EXPECT_EQ(PresetLink("conv", "no-such-preset"), "");
  EXPECT_EQ(PresetLink("softmax", "e9-vertical-edge"), "");  // a conv preset
  EXPECT_NE(PresetLink("conv", "e9-vertical-edge"), "");
}

// The exercise number a preset title starts with ("E9: ..." -> 9, "E13 (a)" -> 13), 0 if none.
int ExerciseOfTitle(const std::string& title) {
  if (title.size() < 2 || title[0] != 'E' || title[1] < '1' || title[1] > '9') return 0;
  int n = 0;
  size_t i = 1;
  while (i < title.size() && title[i] >= '0' && title[i] <= '9') n = n * 10 + (title[i++] - '0');
  return n;
}

TEST(Guide, CourseExercisesAreE1ToE13EachOpeningItsOwnPreset) {
  const std::vector<CourseExercise>& ex = CourseExercises();
  ASSERT_EQ(ex.size(), 13u);
  const std::vector<PresetInfo> presets = AllPresets();
  for (size_t i = 0; i < ex.size(); ++i) {
    SCOPED_TRACE("E" + std::to_string(i + 1));
    EXPECT_EQ(ex[i].number, static_cast<int>(i) + 1);
    EXPECT_FALSE(ex[i].title.empty());
    const PresetInfo* found = nullptr;
    for (const PresetInfo& p : presets)
      if (p.lab == ex[i].lab && p.id == ex[i].preset) found = &p;
    ASSERT_NE(found, nullptr) << ex[i].lab << "/" << ex[i].preset;
    // The preset's own title names the same exercise ("E1:" is not "E10:").
    EXPECT_EQ(ExerciseOfTitle(found->title), ex[i].number) << found->title;
    EXPECT_EQ(LabOf(found->link), ex[i].lab);
  }
}

TEST(Guide, EveryExerciseAPresetNamesIsListed) {
  std::set<int> named, listed;
  for (const PresetInfo& p : AllPresets())
    if (const int n = ExerciseOfTitle(p.title)) named.insert(n);
  for (const CourseExercise& e : CourseExercises()) listed.insert(e.number);
  EXPECT_EQ(named, listed);
  EXPECT_EQ(ExerciseOfTitle("E1: one neuron"), 1);
  EXPECT_EQ(ExerciseOfTitle("E13 (a): student"), 13);
  EXPECT_EQ(ExerciseOfTitle("Edges: the bars network"), 0);
}

TEST(Guide, EveryLabCardHasItsThumbnailWordsAndThePageItsOwn) {
  for (const char* lab : kLabs) {
    const ThumbWords& t = ThumbFor(lab);
    EXPECT_FALSE(t.caption.empty() && t.labels.empty()) << lab;
  }
  EXPECT_TRUE(ThumbFor("nope").caption.empty());
  EXPECT_TRUE(ThumbFor("nope").labels.empty());
  // The labels the thumbnails draw by position.
  EXPECT_EQ(ThumbFor("conv").labels.size(), 3u);
  EXPECT_EQ(ThumbFor("dropout").labels.size(), 3u);
  EXPECT_EQ(ThumbFor("flow").labels.size(), 2u);
  EXPECT_EQ(ThumbFor("cost").labels.size(), 2u);
  const GuideWords& w = Words();
  for (const std::string* s : {&w.header, &w.what, &w.try_this, &w.show_me, &w.try_prefix, &w.title,
                               &w.tagline, &w.labs, &w.exercises, &w.presets})
    EXPECT_FALSE(s->empty());
}

}  // namespace
}  // namespace nnplay
