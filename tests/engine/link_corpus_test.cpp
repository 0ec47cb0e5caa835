// link_corpus_test.cpp: links never break. Every link in the frozen corpus of each
// released version still opens, evaluates, and writes itself back the way it did.
#include <gtest/gtest.h>

#include <string>

#include "labs/registry.h"
#include "link/link.h"

namespace nnplay {
namespace {

const char* const kCorpusV1[] = {
#include "link_corpus_v1.inc"
};

const char* const kCorpusV1December[] = {
#include "link_corpus_v1_2026-12.inc"
};

const char* const kCorpusCheckpoints[] = {
#include "link_corpus_ckpt_2026-12.inc"
};

const char* const kCorpusNames[] = {
#include "link_corpus_names_2026-12.inc"
};

const char* const kCorpusImported[] = {
#include "link_corpus_imp_2026-12.inc"
};

TEST(LinkCorpus, EveryV1LinkStillOpens) {
  int opened = 0;
  for (const char* link : kCorpusV1) {
    std::string json;
    LinkError error;
    ASSERT_TRUE(EvalLinkToJson(link, &json, &error)) << link << "\n" << error.ToString();
    EXPECT_EQ(json.find("\"error\":\"No output"), std::string::npos) << link;
    ++opened;
  }
  EXPECT_GE(opened, 20);
}

// Since issue 12 the `check` field leaves out a step's trailing empty values ("a3:0.493,_"
// is written "a3:0.493": a link ending in '_' loses it in Markdown autolinks); they read
// the same, so an old canonical link writes itself back without them.
std::string WithoutTrailingEmptyEntries(const std::string& link) {
  const size_t at = link.find("check=");
  if (at == std::string::npos) return link;
  std::string head = link.substr(0, at + 6), check, out;
  const size_t amp = link.find('&', at);
  const std::string tail = amp == std::string::npos ? "" : link.substr(amp);
  check = link.substr(at + 6, amp == std::string::npos ? std::string::npos : amp - at - 6);
  size_t start = 0;
  while (start <= check.size()) {
    size_t semi = check.find(';', start);
    if (semi == std::string::npos) semi = check.size();
    std::string step = check.substr(start, semi - start);
    while (step.size() >= 2 && step.compare(step.size() - 2, 2, ",_") == 0)
      step.resize(step.size() - 2);
    out += (out.empty() ? "" : ";") + step;
    start = semi + 1;
  }
  return head + out + tail;
}

TEST(LinkCorpus, CanonicalV1LinksWriteThemselvesBack) {
  // The corpus's canonical links (all but the hand-written ones at the end) must be
  // written back byte for byte: the JSON's "link" is the re-encoded state.
  for (const char* link : kCorpusV1) {
    const std::string text = link;
    if (text.find("10,10,10,0") != std::string::npos || text.rfind("http", 0) == 0 ||
        text.find("mode=transposed&act=relu&pool=avg") != std::string::npos)
      continue;
    std::string json;
    LinkError error;
    ASSERT_TRUE(EvalLinkToJson(link, &json, &error)) << error.ToString();
    EXPECT_NE(json.find("\"link\":\"" + WithoutTrailingEmptyEntries(text) + "\""),
              std::string::npos)
        << text;
  }
}

TEST(LinkCorpus, LongHandLinksOpenToTheSameStateAsTheirCanonicalForm) {
  std::string a, b;
  LinkError error;
  ASSERT_TRUE(EvalLinkToJson(kCorpusV1[sizeof kCorpusV1 / sizeof *kCorpusV1 - 3], &a, &error));
  ASSERT_TRUE(EvalLinkToJson(kCorpusV1[sizeof kCorpusV1 / sizeof *kCorpusV1 - 2], &b, &error));
  EXPECT_EQ(a, b);  // same state, same JSON, whatever the order and folding of the fields
}

TEST(LinkCorpus, EveryDecemberLinkOpensAndWritesItselfBack) {
  int opened = 0;
  for (const char* link : kCorpusV1December) {
    std::string json;
    LinkError error;
    ASSERT_TRUE(EvalLinkToJson(link, &json, &error)) << link << "\n" << error.ToString();
    EXPECT_NE(json.find("\"link\":\"" + std::string(link) + "\""), std::string::npos) << link;
    ++opened;
  }
  EXPECT_GE(opened, 20);
}

// Training runs past the replay cap carry their checkpoint (ckpt): each opens (a long one
// from a state file, held to 1,048,576 characters as the page's Import and `nnplay eval
// state.json` hold it), restores the run without replaying it, and writes itself back.
TEST(LinkCorpus, EveryCheckpointLinkOpensAndWritesItselfBack) {
  int opened = 0, in_a_link = 0;
  for (const char* link : kCorpusCheckpoints) {
    const std::string text = link;
    std::string json;
    LinkError error;
    ASSERT_TRUE(EvalLinkToJson(text, &json, &error, 1 << 20)) << text << "\n" << error.ToString();
    EXPECT_NE(json.find("\"link\":\"" + text + "\""), std::string::npos) << text;
    EXPECT_NE(json.find("\"error\":\"\""), std::string::npos) << text;
    const size_t steps = text.find("&steps=");
    ASSERT_NE(steps, std::string::npos);
    EXPECT_NE(
        json.find("\"steps\":" + text.substr(steps + 7, text.find('&', steps + 1) - steps - 7)),
        std::string::npos);
    in_a_link += text.size() <= kMaxLinkLength;
    EXPECT_EQ(EvalLinkToJson(text, &json, &error), text.size() <= kMaxLinkLength) << text;
    ++opened;
  }
  EXPECT_GE(opened, 4);
  EXPECT_GE(in_a_link, 3);
}

// Assignment links with names past ASCII (percent-encoded UTF-8): each opens, writes itself
// back, and its JSON gives the name as UTF-8 (the first: "José Müller", é = C3 A9, ü = C3 BC).
TEST(LinkCorpus, EveryNameLinkOpensAndWritesItselfBack) {
  int opened = 0;
  for (const char* link : kCorpusNames) {
    std::string json;
    LinkError error;
    ASSERT_TRUE(EvalLinkToJson(link, &json, &error)) << link << "\n" << error.ToString();
    EXPECT_NE(json.find("\"link\":\"" + std::string(link) + "\""), std::string::npos) << link;
    ++opened;
  }
  EXPECT_EQ(opened, 4);
  std::string json;
  LinkError error;
  ASSERT_TRUE(EvalLinkToJson(kCorpusNames[0], &json, &error));
  EXPECT_NE(json.find("\"student\":\"Jos\xC3\xA9 M\xC3\xBCller\""), std::string::npos) << json;
}

// Training links with imported points: each opens and writes itself back, and splits the
// imported points as its comment says (by hand: 6 x 50% = 3 train; 5 x 60% = 3, plus one
// added by hand; 10 x 30% = 3).
TEST(LinkCorpus, EveryImportedPointsLinkOpensAndWritesItselfBack) {
  const char* const counts[] = {"\"train_count\":3,\"test_count\":3",
                                "\"train_count\":4,\"test_count\":2",
                                "\"train_count\":3,\"test_count\":7"};
  size_t i = 0;
  for (const char* link : kCorpusImported) {
    std::string json;
    LinkError error;
    ASSERT_TRUE(EvalLinkToJson(link, &json, &error)) << link << "\n" << error.ToString();
    EXPECT_NE(json.find("\"link\":\"" + std::string(link) + "\""), std::string::npos) << link;
    ASSERT_LT(i, 3u);
    EXPECT_NE(json.find(counts[i]), std::string::npos) << link;
    ++i;
  }
  EXPECT_EQ(i, 3u);
}

}  // namespace
}  // namespace nnplay
