// png.cpp: see png.h. Layout: signature, IHDR, one IDAT holding a zlib stream of stored
// deflate blocks (each row prefixed by filter type 0), IEND.
#include "image/png.h"

#include <algorithm>

namespace nnplay {
namespace {

void Put32(std::string* out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void Chunk(std::string* out, const char* type, const std::string& data) {
  Put32(out, static_cast<uint32_t>(data.size()));
  const std::string body = std::string(type, 4) + data;
  out->append(body);
  Put32(out, Crc32(reinterpret_cast<const uint8_t*>(body.data()), body.size()));
}

}  // namespace

uint32_t Crc32(const uint8_t* data, size_t size, uint32_t crc) {
  static uint32_t table[256];
  static bool ready = false;
  if (!ready) {
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[n] = c;
    }
    ready = true;
  }
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::string EncodePngRgba(const uint8_t* rgba, int w, int h) {
  std::string raw;  // filter byte 0, then the row
  raw.reserve(static_cast<size_t>(h) * (1 + 4 * static_cast<size_t>(w)));
  for (int y = 0; y < h; ++y) {
    raw.push_back(0);
    raw.append(reinterpret_cast<const char*>(rgba) + static_cast<size_t>(y) * w * 4,
               static_cast<size_t>(w) * 4);
  }
  std::string z = "\x78\x01";  // zlib: deflate, 32 KiB window, no dictionary
  uint32_t a = 1, b = 0;       // Adler-32
  for (unsigned char c : raw) a = (a + c) % 65521, b = (b + a) % 65521;
  size_t pos = 0;
  do {
    const size_t n = std::min<size_t>(65535, raw.size() - pos);
    const bool last = pos + n == raw.size();
    z.push_back(last ? 1 : 0);  // BFINAL, BTYPE = 00 (stored)
    z.push_back(static_cast<char>(n & 0xFF));
    z.push_back(static_cast<char>(n >> 8));
    z.push_back(static_cast<char>(~n & 0xFF));
    z.push_back(static_cast<char>((~n >> 8) & 0xFF));
    z.append(raw, pos, n);
    pos += n;
  } while (pos < raw.size());
  Put32(&z, (b << 16) | a);

  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  Put32(&ihdr, static_cast<uint32_t>(w));
  Put32(&ihdr, static_cast<uint32_t>(h));
  ihdr += std::string("\x08\x06\x00\x00\x00", 5);  // 8 bits, RGBA, deflate, filter 0, no interlace
  Chunk(&png, "IHDR", ihdr);
  Chunk(&png, "IDAT", z);
  Chunk(&png, "IEND", "");
  return png;
}

std::string ScaleRgba(const uint8_t* rgba, int w, int h, int scale) {
  std::string out(static_cast<size_t>(w) * h * 4 * scale * scale, '\0');
  const size_t row = static_cast<size_t>(w) * scale * 4;
  for (int y = 0; y < h * scale; ++y)
    for (int x = 0; x < w * scale; ++x)
      out.replace(static_cast<size_t>(y) * row + static_cast<size_t>(x) * 4, 4,
                  reinterpret_cast<const char*>(rgba) +
                      (static_cast<size_t>(y / scale) * w + x / scale) * 4,
                  4);
  return out;
}

}  // namespace nnplay
