# Fashion-MNIST for the cnn lab, baked at build time from Debian's dataset-fashion-mnist
# (installed by scripts/deps.sh) into one asset (format: engine/data/fashion.h): the first
# 8,000 training and 2,000 test images of the IDX files, 7.85 MB (4.4 MB gzip). The images are
# never part of the repository. The page fetches the asset only when the dataset is picked; the
# CLI reads it from the build (tools/nnplay.cpp).
#
#   include(BakeFashion)
#   nnplay_bake_fashion(<output file>)   # a target nnplay_fashion_asset (ALL) that makes it
#
# NNPLAY_FASHION_DIR: where the IDX files are (default Debian's path).
set(NNPLAY_FASHION_DIR "/usr/share/datasets/fashion-mnist" CACHE PATH
    "Fashion-MNIST IDX files (Debian's dataset-fashion-mnist)")
set(NNPLAY_FASHION_TRAIN 8000)
set(NNPLAY_FASHION_TEST 2000)

function(nnplay_bake_fashion out)
  if(TARGET nnplay_fashion_asset)
    return()
  endif()
  if(NOT NNPLAY_PYTHON)
    set(NNPLAY_PYTHON "/usr/bin/python3")
  endif()
  set(inputs "")
  foreach(stem train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte
               t10k-labels-idx1-ubyte)
    if(NOT EXISTS "${NNPLAY_FASHION_DIR}/${stem}.gz")
      message(FATAL_ERROR "No ${NNPLAY_FASHION_DIR}/${stem}.gz: run scripts/deps.sh (it installs "
                          "dataset-fashion-mnist) or set NNPLAY_FASHION_DIR")
    endif()
    list(APPEND inputs "${NNPLAY_FASHION_DIR}/${stem}.gz")
  endforeach()
  set(tool "${PROJECT_SOURCE_DIR}/cmake/fashion_tool.py")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND "${NNPLAY_PYTHON}" "${tool}" --dir "${NNPLAY_FASHION_DIR}"
            --train ${NNPLAY_FASHION_TRAIN} --test ${NNPLAY_FASHION_TEST} --out "${out}"
    DEPENDS ${inputs} "${tool}"
    COMMENT "Baking Fashion-MNIST into ${out}"
    VERBATIM)
  add_custom_target(nnplay_fashion_asset ALL DEPENDS "${out}")
endfunction()
