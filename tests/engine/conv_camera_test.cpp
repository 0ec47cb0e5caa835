// The convolution lab's camera source (engine/labs/conv_camera.h): a frame's RGBA bytes
// become the input, mirrored; expected values are worked out by hand in the comments.
#include "labs/conv_camera.h"

#include <gtest/gtest.h>

#include <vector>

namespace nnplay {
namespace {

// A 3×2 frame, top row first: white, black, red / green, blue, grey 128.
std::vector<unsigned char> Frame() {
  return {255, 255, 255, 255, 0, 0, 0,   255, 255, 0,   0,   255,
          0,   255, 0,   255, 0, 0, 255, 255, 128, 128, 128, 255};
}

std::vector<float> Values(const Tensor& t) {
  return std::vector<float>(t.plane(0), t.plane(0) + t.size());
}

TEST(ConvCamera, GreyFrameIsLumaUnmirrored) {
  ConvLabState s = ConvLabDefault();  // one channel, 6×6
  const std::vector<unsigned char> f = Frame();
  ASSERT_TRUE(SetInputFromFrame(f.data(), 3, 2, false, &s));
  EXPECT_EQ(s.input.shape(), (std::vector<int>{1, 2, 3}));
  // round(.299R + .587G + .114B): 255, 0, round(76.245) = 76 / round(149.685) = 150,
  // round(29.07) = 29, 128.
  EXPECT_EQ(Values(s.input), (std::vector<float>{255, 0, 76, 150, 29, 128}));
}

TEST(ConvCamera, MirrorSwapsColumns) {
  ConvLabState s = ConvLabDefault();
  const std::vector<unsigned char> f = Frame();
  ASSERT_TRUE(SetInputFromFrame(f.data(), 3, 2, true, &s));
  // Each row read right to left: 76, 0, 255 / 128, 29, 150.
  EXPECT_EQ(Values(s.input), (std::vector<float>{76, 0, 255, 128, 29, 150}));
}

TEST(ConvCamera, ThreeChannelsTakeRgbPlanes) {
  ConvLabState s = ConvLabDefault();
  s.input = Tensor({3, 4, 4});
  const std::vector<unsigned char> f = Frame();
  ASSERT_TRUE(SetInputFromFrame(f.data(), 3, 2, true, &s));
  EXPECT_EQ(s.input.shape(), (std::vector<int>{3, 2, 3}));
  // Mirrored rows: red, black, white / grey, blue, green.
  EXPECT_EQ(Values(s.input), (std::vector<float>{255, 0, 255, 128, 0, 0,     // R
                                                 0, 0, 255, 128, 0, 255,     // G
                                                 0, 0, 255, 128, 255, 0}));  // B
  EXPECT_EQ(s.filter.dim(1), 3) << "the filters follow the input's channels";
}

TEST(ConvCamera, TwoChannelsBothTakeLuma) {
  ConvLabState s = ConvLabDefault();
  s.input = Tensor({2, 2, 3});
  const std::vector<unsigned char> f = Frame();
  ASSERT_TRUE(SetInputFromFrame(f.data(), 3, 2, false, &s));
  EXPECT_EQ(Values(s.input), (std::vector<float>{255, 0, 76, 150, 29, 128,  //
                                                 255, 0, 76, 150, 29, 128}));
}

TEST(ConvCamera, SameSizeReusesTheStorage) {
  ConvLabState s = ConvLabDefault();
  s.input = Tensor({1, 2, 3});
  const float* before = s.input.plane(0);
  const std::vector<unsigned char> f = Frame();
  ASSERT_TRUE(SetInputFromFrame(f.data(), 3, 2, false, &s));
  EXPECT_EQ(s.input.plane(0), before);
  EXPECT_EQ(s.input.at(0, 1, 2), 128.0f);
}

TEST(ConvCamera, BadSizesChangeNothing) {
  ConvLabState s = ConvLabDefault();
  const ConvLabState before = s;
  const std::vector<unsigned char> big(129 * 4, 0);
  EXPECT_FALSE(SetInputFromFrame(big.data(), 129, 1, false, &s));
  EXPECT_FALSE(SetInputFromFrame(big.data(), 1, 129, false, &s));
  EXPECT_FALSE(SetInputFromFrame(big.data(), 0, 1, false, &s));
  EXPECT_FALSE(SetInputFromFrame(nullptr, 2, 2, false, &s));
  EXPECT_EQ(s, before);
}

TEST(ConvCamera, FrameSizeKeepsCameraSizedInputs) {
  ConvLabState s = ConvLabDefault();  // 6×6: too small to show a face
  int rows = 0, cols = 0;
  CameraFrameSize(s, &rows, &cols);
  EXPECT_EQ(rows, 48);
  EXPECT_EQ(cols, 64);
  s.input = Tensor({1, 128, 128});
  CameraFrameSize(s, &rows, &cols);
  EXPECT_EQ(rows, 128);
  EXPECT_EQ(cols, 128);
  s.input = Tensor({1, 16, 100});
  CameraFrameSize(s, &rows, &cols);
  EXPECT_EQ(rows, 16);
  EXPECT_EQ(cols, 100);
}

TEST(ConvCamera, WordsArePlain) {
  EXPECT_EQ(CameraText::Fps(23.6), "24 fps");
  EXPECT_EQ(CameraText::Fps(-1), "0 fps");
  EXPECT_EQ(CameraText::Live(19.6).rfind("Live, 20 fps, mirrored: ", 0), 0u);
  EXPECT_EQ(CameraText::Status(CameraStatus::kOff), "");
  for (CameraStatus st : {CameraStatus::kDenied, CameraStatus::kNoCamera, CameraStatus::kBusy,
                          CameraStatus::kEnded, CameraStatus::kUnsupported})
    EXPECT_NE(CameraText::Status(st).find("keeps its image"), std::string::npos);
  EXPECT_NE(std::string(CameraText::Privacy()).find("Nothing leaves this machine"),
            std::string::npos);
}

}  // namespace
}  // namespace nnplay
