# Prepares web/shell.html for emcc --shell-file: replaces @NNPLAY_STYLE_SHA256@ with the CSP
# hash of the page's one inline <style> element, so the Content-Security-Policy can allow that
# exact stylesheet instead of 'unsafe-inline', and editing the CSS never breaks the page.
#
#   nnplay_configure_shell(<input.html> <output.html>)
#
# Runs at configure time; CMake re-runs itself when the input changes.

# CSP wants base64 of the raw digest; CMake only gives hex.
function(_nnplay_hex_to_base64 hex out_var)
  set(alphabet "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  string(LENGTH "${hex}" len)
  set(result "")
  set(i 0)
  while(i LESS len)
    string(SUBSTRING "${hex}" ${i} 6 chunk)  # up to 3 bytes -> 4 characters
    string(LENGTH "${chunk}" chunk_len)
    math(EXPR bytes "${chunk_len} / 2")
    math(EXPR value "0x${chunk} << (8 * (3 - ${bytes}))")
    foreach(shift 18 12 6 0)
      math(EXPR index "(${value} >> ${shift}) & 63")
      string(SUBSTRING "${alphabet}" ${index} 1 c)
      string(APPEND result "${c}")
    endforeach()
    if(bytes EQUAL 1)
      string(REGEX REPLACE "..$" "==" result "${result}")
    elseif(bytes EQUAL 2)
      string(REGEX REPLACE ".$" "=" result "${result}")
    endif()
    math(EXPR i "${i} + 6")
  endwhile()
  set(${out_var} "${result}" PARENT_SCOPE)
endfunction()

function(nnplay_configure_shell input output)
  file(READ "${input}" html)
  string(FIND "${html}" "<style>" open REVERSE)
  string(FIND "${html}" "</style>" close)
  if(open EQUAL -1 OR close LESS open)
    message(FATAL_ERROR "${input}: expected one <style>...</style> element")
  endif()
  math(EXPR start "${open} + 7")
  math(EXPR length "${close} - ${start}")
  string(SUBSTRING "${html}" ${start} ${length} css)
  string(SHA256 digest "${css}")
  _nnplay_hex_to_base64("${digest}" NNPLAY_STYLE_SHA256)
  configure_file("${input}" "${output}" @ONLY)  # also makes CMake re-run when input changes
endfunction()
