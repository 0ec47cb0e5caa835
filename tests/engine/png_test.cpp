// png_test.cpp: the PNG writer, against published constants and by reading the file back.
#include "image/png.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace nnplay {
namespace {

uint32_t Get32(const std::string& s, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

TEST(Png, Crc32MatchesTheStandardCheckValues) {
  const char* check = "123456789";  // the CRC-32 check value from the PNG/zlib spec family
  EXPECT_EQ(Crc32(reinterpret_cast<const uint8_t*>(check), 9), 0xCBF43926u);
  EXPECT_EQ(Crc32(reinterpret_cast<const uint8_t*>("IEND"), 4), 0xAE426082u);  // every PNG ends so
}

TEST(Png, WritesAValidFileThatReadsBack) {
  // 2x2: red, green / blue, transparent white.
  const uint8_t px[16] = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 0};
  const std::string png = EncodePngRgba(px, 2, 2);
  ASSERT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n"));
  EXPECT_EQ(Get32(png, 8), 13u);  // IHDR length
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(Get32(png, 16), 2u);
  EXPECT_EQ(Get32(png, 20), 2u);
  EXPECT_EQ(png[24], 8);  // bit depth
  EXPECT_EQ(png[25], 6);  // RGBA
  // Every chunk's CRC covers its type and data.
  size_t at = 8;
  std::string idat;
  while (at < png.size()) {
    const uint32_t len = Get32(png, at);
    const std::string type = png.substr(at + 4, 4);
    EXPECT_EQ(Crc32(reinterpret_cast<const uint8_t*>(png.data() + at + 4), len + 4),
              Get32(png, at + 8 + len))
        << type;
    if (type == "IDAT") idat = png.substr(at + 8, len);
    at += 12 + len;
  }
  EXPECT_EQ(at, png.size());
  EXPECT_EQ(png.substr(png.size() - 8, 4), "IEND");
  // zlib header, one final stored block of 2 rows × (1 + 8) bytes, then the pixels.
  ASSERT_GE(idat.size(), 2u + 5u + 18u + 4u);
  EXPECT_EQ((static_cast<unsigned char>(idat[0]) * 256 + static_cast<unsigned char>(idat[1])) % 31,
            0);
  EXPECT_EQ(idat[2], 1);
  EXPECT_EQ(static_cast<unsigned char>(idat[3]), 18);
  EXPECT_EQ(idat[7], 0);  // row 0 filter
  EXPECT_EQ(std::memcmp(idat.data() + 8, px, 8), 0);
  EXPECT_EQ(idat[16], 0);  // row 1 filter
  EXPECT_EQ(std::memcmp(idat.data() + 17, px + 8, 8), 0);
  // Adler-32 of the 18 raw bytes, by hand: a = 1 + Σ bytes, b = Σ of the running a.
  uint32_t a = 1, b = 0;
  for (int i = 7; i < 25; ++i)
    a = (a + static_cast<unsigned char>(idat[i])) % 65521, b = (b + a) % 65521;
  EXPECT_EQ(Get32(idat, 25), (b << 16) | a);
}

TEST(Png, ScaleMakesBlocks) {
  const uint8_t px[8] = {1, 2, 3, 4, 5, 6, 7, 8};  // 2x1
  const std::string big = ScaleRgba(px, 2, 1, 2);  // 4x2
  ASSERT_EQ(big.size(), 32u);
  EXPECT_EQ(big.substr(0, 8), std::string("\1\2\3\4\1\2\3\4"));
  EXPECT_EQ(big.substr(8, 8), std::string("\5\6\7\10\5\6\7\10"));
  EXPECT_EQ(big.substr(16, 16), big.substr(0, 16));
}

}  // namespace
}  // namespace nnplay
