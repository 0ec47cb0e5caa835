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
    EXPECT_NE(json.find("\"link\":\"" + text + "\""), std::string::npos) << text;
  }
}

TEST(LinkCorpus, LongHandLinksOpenToTheSameStateAsTheirCanonicalForm) {
  std::string a, b;
  LinkError error;
  ASSERT_TRUE(EvalLinkToJson(kCorpusV1[sizeof kCorpusV1 / sizeof *kCorpusV1 - 3], &a, &error));
  ASSERT_TRUE(EvalLinkToJson(kCorpusV1[sizeof kCorpusV1 / sizeof *kCorpusV1 - 2], &b, &error));
  EXPECT_EQ(a, b);  // same state, same JSON, whatever the order and folding of the fields
}

}  // namespace
}  // namespace nnplay
