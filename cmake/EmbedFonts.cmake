# The app's fonts, from Debian's font packages (installed by scripts/deps.sh), subset at build
# time to the characters the app draws and embedded in the wasm as byte arrays (like the
# shaders: no extra request, and the first frame already has its fonts).
#
#   include(EmbedFonts)
#   nnplay_embed_fonts(<target> LICENSE_DIR <site>/fonts)
#
# gives <target> "embedded_fonts.h" (namespace nnplay::fonts): kInterRegular, kInterSemiBold,
# kJetBrainsMono, kDejaVuSans, kDejaVuSansMono (bytes, with k...Size) and the glyph ranges
# kTextRanges / kBodyRanges (the text and names) / kNumberRanges, made from the same code point
# lists as the subsets. The fonts'
# licences are copied into LICENSE_DIR. Font files are never part of the repository.
#
# Why these fonts: Inter is a UI face designed for screens, with Greek, sub- and superscript
# digits and most operators; JetBrains Mono has even-width digits and a 0 unlike O, for grids,
# traces and tables; DejaVu Sans (Mono) fills what they lack (ᵀ, ⌊ ⌋ ⌈ ⌉, ∇, ∈, subscript letters).

set(NNPLAY_PYTHON "/usr/bin/python3" CACHE FILEPATH "Python with Debian's python3-fonttools")

# What the app draws. Ranges as U+XXXX[-YYYY], one per line in the generated unicodes files.
set(NNPLAY_TEXT_CODEPOINTS
  U+0020-007E  # ASCII
  U+00A0-00FF  # Latin-1: ² ³ ¹ · × ÷ ± ° µ ¼ ½ é ...
  U+0177 U+0233 U+0302 U+0304  # ŷ ȳ (the precomposed ones that exist), combining ̂ and ̄
  U+02B0-02B8 U+02C6 U+02DC  # modifier letters ʰ ʲ, ˆ ˜
  U+0391-03A1 U+03A3-03A9 U+03B1-03C9 U+03D1 U+03D5 U+03F5  # Greek
  U+1D2C-1D6A  # superscript and subscript letters (ᵀ ᵃ ᵇ ... ᵢ ᵣ ᵤ ᵥ)
  U+2010-2027 U+2030-2034 U+2039-203A  # dashes, quotes, •, …, ‰, ′ ″ ‴
  U+2070-209C  # superscripts and subscripts ⁰-⁹ ⁺ ⁻ ⁼ ⁽ ⁾ ⁿ ₀-₉ ₊ ₋ ₐ ₑ ₒ ₓ ₕ ₖ ₗ ₘ ₙ ₚ ₛ ₜ
  U+2113 U+211D U+2124 U+2C7C  # ℓ ℝ ℤ ⱼ
  U+2190-2199 U+21A6 U+21BA U+21BB U+21D0-21D5  # arrows ← ↑ → ↓ ↔ ↦ ↺ ↻ ⇐ ⇒ ⇔
  U+2200 U+2202 U+2203 U+2205 U+2207-2209 U+220F U+2211-2213 U+2215 U+2217-221A U+221D
  U+221E U+2223 U+2225 U+2227-222B U+223C U+2248 U+2260 U+2261 U+2264 U+2265 U+226A U+226B
  U+2282 U+2283 U+2286 U+2287 U+2295 U+2297 U+2299 U+22A4 U+22C5 U+22EF  # operators
  U+2308-230B  # ⌈ ⌉ ⌊ ⌋
  U+25A0 U+25A1 U+25B2 U+25B6 U+25BC U+25C0 U+25CB U+25CF U+25D0 U+25D1  # ■ □ ▲ ▶ ▼ ◀ ○ ● ◐ ◑
  U+2713 U+2715 U+2717 U+275A U+27E8 U+27E9  # ✓ ✕ ✗ ❚ ⟨ ⟩
  U+FFFD)
# Students' names (the assignment's name field, drawn in the body font only, so the other
# fonts' atlas space stays as it was): Latin Extended-A and -B (ł ő ř ş ș ĳ ...), Vietnamese
# (ạ ả ấ ... ỹ) and ẞ, the Cyrillic of Russian and Ukrainian. Names in other scripts (CJK,
# Arabic, ...) are kept in the link as typed but not drawn: the Assignment view says so.
set(NNPLAY_NAME_CODEPOINTS
  U+0100-024F U+1E9E U+1EA0-1EF9 U+0400-045F U+0490-0491)
# Numbers in grid cells at the extra monospace sizes (the full set is at the mono base size).
set(NNPLAY_NUMBER_CODEPOINTS
  U+0020-007E U+00B7 U+00D7 U+2026 U+2070-207F U+2212 U+2248 U+221E U+FFFD)

function(_nnplay_find_font out_var name)
  # NO_CMAKE_FIND_ROOT_PATH: the Emscripten toolchain confines find_* to its sysroot.
  find_file(${out_var} NAMES "${name}" NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH
            PATHS /usr/share/fonts/opentype/inter /usr/share/fonts/truetype/jetbrains-mono
                  /usr/share/fonts/truetype/dejavu)
  if(NOT ${out_var})
    message(FATAL_ERROR "Font ${name} not found: run scripts/deps.sh (it installs fonts-inter, "
                        "fonts-jetbrains-mono and fonts-dejavu-core)")
  endif()
endfunction()

function(nnplay_embed_fonts target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "LICENSE_DIR" "")
  execute_process(COMMAND "${NNPLAY_PYTHON}" -c "import fontTools.subset"
                  RESULT_VARIABLE _no_fonttools OUTPUT_QUIET ERROR_QUIET)
  if(_no_fonttools)
    message(FATAL_ERROR "${NNPLAY_PYTHON} cannot import fontTools: run scripts/deps.sh "
                        "(it installs python3-fonttools)")
  endif()
  _nnplay_find_font(NNPLAY_FONT_INTER_REGULAR Inter-Regular.otf)
  _nnplay_find_font(NNPLAY_FONT_INTER_SEMIBOLD Inter-SemiBold.otf)
  _nnplay_find_font(NNPLAY_FONT_JETBRAINS_MONO JetBrainsMono-Regular.ttf)
  _nnplay_find_font(NNPLAY_FONT_DEJAVU_SANS DejaVuSans.ttf)
  _nnplay_find_font(NNPLAY_FONT_DEJAVU_SANS_MONO DejaVuSansMono.ttf)

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/embedded_fonts")
  file(MAKE_DIRECTORY "${dir}")
  string(REPLACE ";" "\n" text_set "${NNPLAY_TEXT_CODEPOINTS}")
  string(REPLACE ";" "\n" number_set "${NNPLAY_NUMBER_CODEPOINTS}")
  string(REPLACE ";" "\n" body_set "${NNPLAY_TEXT_CODEPOINTS};${NNPLAY_NAME_CODEPOINTS}")
  file(CONFIGURE OUTPUT "${dir}/body.unicodes" CONTENT "${body_set}\n")
  file(CONFIGURE OUTPUT "${dir}/text.unicodes" CONTENT "${text_set}\n")
  file(CONFIGURE OUTPUT "${dir}/numbers.unicodes" CONTENT "${number_set}\n")
  set(tool "${PROJECT_SOURCE_DIR}/cmake/font_tool.py")
  # stb_truetype (ImGui's rasteriser) uses no hinting and no layout tables: drop them.
  set(subset_flags --no-hinting --layout-features= --drop-tables+=GSUB,GPOS,GDEF,kern,DSIG)

  # name | source font | code points | primary font it falls back for (or empty)
  set(specs
    "InterRegular|${NNPLAY_FONT_INTER_REGULAR}|body|"
    "InterSemiBold|${NNPLAY_FONT_INTER_SEMIBOLD}|text|"
    "JetBrainsMono|${NNPLAY_FONT_JETBRAINS_MONO}|text|"
    "DejaVuSans|${NNPLAY_FONT_DEJAVU_SANS}|body|${NNPLAY_FONT_INTER_REGULAR}"
    "DejaVuSansMono|${NNPLAY_FONT_DEJAVU_SANS_MONO}|text|${NNPLAY_FONT_JETBRAINS_MONO}")
  set(embed_args "")
  set(subsets "")
  foreach(spec IN LISTS specs)
    string(REPLACE "|" ";" parts "${spec}")
    list(GET parts 0 name)
    list(GET parts 1 src)
    list(GET parts 2 set)
    list(LENGTH parts n)
    set(primary "")
    if(n GREATER 3)
      list(GET parts 3 primary)
    endif()
    set(unicodes "${dir}/${set}.unicodes")
    set(out "${dir}/${name}.subset")
    if(primary)
      # A fallback carries only what its primary lacks.
      set(missing "${dir}/${name}.unicodes")
      add_custom_command(
        OUTPUT "${missing}"
        COMMAND "${NNPLAY_PYTHON}" "${tool}" missing --unicodes-file "${unicodes}"
                --primary "${primary}" --out "${missing}"
        DEPENDS "${unicodes}" "${primary}" "${tool}"
        COMMENT "Code points a fallback font supplies for ${primary}"
        VERBATIM)
      set(unicodes "${missing}")
    endif()
    add_custom_command(
      OUTPUT "${out}"
      COMMAND "${NNPLAY_PYTHON}" -m fontTools.subset "${src}" "--unicodes-file=${unicodes}"
              ${subset_flags} "--output-file=${out}"
      DEPENDS "${src}" "${unicodes}"
      COMMENT "Subsetting ${src}"
      VERBATIM)
    list(APPEND embed_args --font "${name}=${out}")
    list(APPEND subsets "${out}")
  endforeach()

  add_custom_command(
    OUTPUT "${dir}/embedded_fonts.h" "${dir}/embedded_fonts.cpp"
    COMMAND "${NNPLAY_PYTHON}" "${tool}" embed --out-dir "${dir}"
            --ranges "TextRanges=${dir}/text.unicodes" --ranges "BodyRanges=${dir}/body.unicodes"
            --ranges "NumberRanges=${dir}/numbers.unicodes" ${embed_args}
    DEPENDS ${subsets} "${dir}/text.unicodes" "${dir}/body.unicodes" "${dir}/numbers.unicodes"
            "${tool}"
    COMMENT "Embedding fonts into ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE "${dir}/embedded_fonts.h" "${dir}/embedded_fonts.cpp")
  target_include_directories(${target} PRIVATE "${dir}")

  # Licences beside the site (Debian's copyright files carry the full OFL text; JetBrains
  # Mono's is Apache-2.0, whose text Debian keeps in common-licenses).
  if(ARG_LICENSE_DIR)
    set(licences "")
    foreach(pair "inter|fonts-inter" "jetbrains-mono|fonts-jetbrains-mono"
                 "dejavu|fonts-dejavu-core")
      string(REPLACE "|" ";" p "${pair}")
      list(GET p 0 short)
      list(GET p 1 pkg)
      set(dst "${ARG_LICENSE_DIR}/LICENSE-${short}.txt")
      add_custom_command(
        OUTPUT "${dst}"
        COMMAND "${CMAKE_COMMAND}" -E make_directory "${ARG_LICENSE_DIR}"
        COMMAND "${CMAKE_COMMAND}" -E copy "/usr/share/doc/${pkg}/copyright" "${dst}"
        DEPENDS "/usr/share/doc/${pkg}/copyright"
        VERBATIM)
      list(APPEND licences "${dst}")
    endforeach()
    set(apache "${ARG_LICENSE_DIR}/LICENSE-Apache-2.0.txt")
    add_custom_command(
      OUTPUT "${apache}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${ARG_LICENSE_DIR}"
      COMMAND "${CMAKE_COMMAND}" -E copy /usr/share/common-licenses/Apache-2.0 "${apache}"
      DEPENDS /usr/share/common-licenses/Apache-2.0
      VERBATIM)
    list(APPEND licences "${apache}")
    add_custom_target(${target}_font_licences ALL DEPENDS ${licences})
    add_dependencies(${target} ${target}_font_licences)
  endif()
endfunction()
