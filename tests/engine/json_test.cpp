// json_test.cpp: the JSON writer and the one reader the tools need (a top-level string).
#include "json.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tensor.h"

namespace nnplay {
namespace {

TEST(Json, WritesNestedValuesWithCommasAndEscapes) {
  JsonWriter j;
  Tensor t({1, 2});
  t.values() = {0.5f, -3.0f};
  j.BeginObject().Key("a").String("q\"\\\n").Key("t").TensorValue(t).Key("n").Number(NAN);
  j.Key("l").BeginArray().Int(1).Bool(true).Null().EndArray().EndObject();
  EXPECT_EQ(j.str(),
            "{\"a\":\"q\\\"\\\\\\n\",\"t\":{\"shape\":[1,2],\"values\":[0.5,-3]},\"n\":null,"
            "\"l\":[1,true,null]}");
}

TEST(Json, FindsATopLevelStringOnly) {
  std::string v, e;
  ASSERT_TRUE(JsonTopLevelString(R"( {"x":{"link":"inner"},"y":[1,"link"],"link":"v1/a\u0041"})",
                                 "link", &v, &e))
      << e;
  EXPECT_EQ(v, "v1/aA");
  EXPECT_FALSE(JsonTopLevelString(R"({"x":{"link":"inner"}})", "link", &v, &e));
  EXPECT_NE(e.find("no \"link\""), std::string::npos);
  for (const char* bad : {"", "[1]", "{\"link\":3}", "{\"link\":\"abc", "{\"link\"\"a\"}",
                          "{\"link\":\"\\q\"}", "{\"link\":\"\\u00e9\"}"}) {
    EXPECT_FALSE(JsonTopLevelString(bad, "link", &v, &e)) << bad;
  }
  std::string deep(100, '[');
  EXPECT_FALSE(JsonTopLevelString("{\"a\":" + deep, "link", &v, &e));
}

}  // namespace
}  // namespace nnplay
