// notation.h: the one place that writes what a learner reads — numbers rounded for
// display and mathematical notation (W₁₀ᵀ, ∂L/∂a₉, σ′(z), x², ⌊…⌋, ×, −, ≈) — and the one
// function that turns that display text into the ASCII the CLI's JSON keeps.
//
// Every lab builds its traces, labels, formulas, check-my-work steps and notes from these
// pieces and stores the display (UTF-8) text in its result; its JSON writes ToAscii() of the
// same text, so there is one source of truth and the JSON stays ASCII
// ("floor((6 + 2*0 - 1*(3-1) - 1)/1) + 1", "dL/da9", "x^2", "sigma'(0)").
//
// Numbers (Num):
//   - at most `digits` significant digits (6 unless a small cell asks for fewer), trailing
//     zeros dropped: 0.06f → "0.06" (not 0.060000002), 1/3 → "0.333333";
//   - minus is U+2212 ("−1.5"); −0 is "0"; ±∞ is "∞"/"−∞", NaN "undefined";
//   - outside [1e-4, 10^digits) a power of ten: 1e-7 → "1×10⁻⁷";
//   - whole counts are exact and grouped: Count(3776446464) → "3,776,446,464".
// The ≈ rule (Rounded, Eq): a displayed number gets "≈" instead of "=" when rounding hid
// digits that matter, i.e. when the value rounded to 7 significant digits (float32 holds
// 7.2) differs from the number shown. Float noise past the 7th digit does not count:
// 0.060000002 shows "= 0.06", 1/3 shows "≈ 0.333333", e² shows "≈ 7.38906", 30 shows "= 30".
//
// Symbols: the text uses only these non-ASCII characters (the fonts must hold them):
//   × − ≈ · √ ⌊ ⌋ ⌈ ⌉ ≤ ≥ ∞ ± → … ′ ∂ ∑ ∇ ‖ ˆ ² ³ and every super-/subscript that Sup()/Sub()
//   write (⁰–⁹ ⁺ ⁻ ⁽ ⁾ ⁿ ⁱ ᵀ ₀–₉ ₊ ₋ ₍ ₎ ᵢ ⱼ ₖ ₗ ₘ ₙ ₚ ₛ ₜ ₓ ₐ ₑ ₒ ᵣ ᵤ ᵥ), Greek μ σ ε γ β θ η λ Σ.
// x̂ (x with a hat) has no precomposed character and ImGui draws no combining marks, so the
// normalized value is written "xˆ" with U+02C6 (modifier letter circumflex): kXHat.
#pragma once

#include <string>
#include <string_view>

namespace nnplay {

// ---- numbers ---------------------------------------------------------------------------
constexpr int kDisplayDigits = 6;

// `v` for a learner: at most `digits` (1..9) significant digits, see above.
std::string Num(double v, int digits = kDisplayDigits);
// The same, in parentheses when negative, for a factor or a subtrahend: "(−1.41421)".
std::string NumParen(double v, int digits = kDisplayDigits);
// True when Num(v, digits) hides digits that matter (the ≈ rule above).
bool Rounded(double v, int digits = kDisplayDigits);
// " = 30" or " ≈ 0.333333": the relation and the number, to end a line of arithmetic.
std::string Eq(double v, int digits = kDisplayDigits);
// "0.06" or "≈ 0.333333": a value named in prose ("the right value is ≈ 0.333333").
std::string NumApprox(double v, int digits = kDisplayDigits);
// A whole count, exact, with thousands separators: "3,776,446,464", "−12".
std::string Count(long long n);
// A percentage rounded to `digits` significant digits: "97.5%".
std::string Percent(double fraction, int digits = 3);

// ---- symbols ---------------------------------------------------------------------------
inline constexpr const char* kTimes = "\xC3\x97";         // × (a product)
inline constexpr const char* kMinus = "\xE2\x88\x92";     // − (binary and unary minus)
inline constexpr const char* kApprox = "\xE2\x89\x88";    // ≈
inline constexpr const char* kDot = "\xC2\xB7";           // · (a product written small)
inline constexpr const char* kSqrt = "\xE2\x88\x9A";      // √, always followed by "("
inline constexpr const char* kFloorL = "\xE2\x8C\x8A";    // ⌊
inline constexpr const char* kFloorR = "\xE2\x8C\x8B";    // ⌋
inline constexpr const char* kCeilL = "\xE2\x8C\x88";     // ⌈
inline constexpr const char* kCeilR = "\xE2\x8C\x89";     // ⌉
inline constexpr const char* kLe = "\xE2\x89\xA4";        // ≤
inline constexpr const char* kGe = "\xE2\x89\xA5";        // ≥
inline constexpr const char* kInf = "\xE2\x88\x9E";       // ∞
inline constexpr const char* kPlusMinus = "\xC2\xB1";     // ±
inline constexpr const char* kArrow = "\xE2\x86\x92";     // →
inline constexpr const char* kEllipsis = "\xE2\x80\xA6";  // …
inline constexpr const char* kPrime = "\xE2\x80\xB2";     // ′ (a derivative: σ′)
inline constexpr const char* kPartial = "\xE2\x88\x82";   // ∂
inline constexpr const char* kSum = "\xE2\x88\x91";       // ∑
inline constexpr const char* kNabla = "\xE2\x88\x87";     // ∇
inline constexpr const char* kNorm = "\xE2\x80\x96";      // ‖ (a norm: ‖g‖)
inline constexpr const char* kMu = "\xCE\xBC";            // μ
inline constexpr const char* kSigma = "\xCF\x83";         // σ
inline constexpr const char* kEps = "\xCE\xB5";           // ε
inline constexpr const char* kGamma = "\xCE\xB3";         // γ
inline constexpr const char* kBeta = "\xCE\xB2";          // β
inline constexpr const char* kTheta = "\xCE\xB8";         // θ
inline constexpr const char* kEta = "\xCE\xB7";           // η
inline constexpr const char* kLambda = "\xCE\xBB";        // λ
inline constexpr const char* kXHat = "x\xCB\x86";         // xˆ (x̂, see above)

// Subscript / superscript of digits, + − ( ) = and the letters that have a form (Sub:
// a e h i j k l m n o p r s t u v x; Sup: i n T). Other characters are kept as they are.
std::string Sub(std::string_view text);
std::string Sub(long long n);  // Sub(10) = "₁₀", Sub(-1) = "₋₁"
std::string Sup(std::string_view text);
std::string Sup(long long n);  // Sup(2) = "²", Sup(-7) = "⁻⁷"
// "∂L/∂a₉" from ("L", "a₉").
std::string Partial(std::string_view of, std::string_view by);
// "σ′(z)" from ("σ", "z").
std::string Derivative(std::string_view f, std::string_view arg);

// ---- ASCII -----------------------------------------------------------------------------
// The display text in ASCII, character by character: × · → *, − → -, ≈ → = (the JSON has
// always written "=" there), ₉ → 9, ᵢ → _i, ² → ^2, ⁻¹ → ^-1 (a run of superscripts is one
// exponent), ᵀ → ^T, a digit's ×10⁻⁷ → e-7, ∂ → d, σ → sigma, μ → mu, ε → eps, γ → gamma,
// β → beta, ′ → ', √ → sqrt, ⌊…⌋ → floor(…), ⌈…⌉ → ceil(…), ≤ → <=, ≥ → >=, ∞ → inf,
// ± → +-, → → ->, … → ..., ‖ → |, ∑ → sum, ˆ → hat. Any other character is kept.
std::string ToAscii(std::string_view display);

}  // namespace nnplay
