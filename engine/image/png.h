// png.h: a minimal PNG writer for exporting feature maps and plots: 8-bit RGBA, no
// interlace, deflate "stored" blocks (no compression: maps are small, and the code stays
// a page long). Crc32 is exported for tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace nnplay {

// The PNG file for w × h RGBA pixels (row-major, row 0 at the top).
std::string EncodePngRgba(const uint8_t* rgba, int w, int h);

// Nearest-neighbour enlargement: every pixel becomes a scale × scale block.
std::string ScaleRgba(const uint8_t* rgba, int w, int h, int scale);

uint32_t Crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

}  // namespace nnplay
