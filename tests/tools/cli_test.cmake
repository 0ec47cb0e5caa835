# cli_test.cmake: the nnplay command-line tool end to end (run by ctest with -DNNPLAY=...).
# A good link prints JSON holding the E9 output; presets list links; bad input exits
# non-zero with a message on stderr and no crash.
function(expect_run)
  cmake_parse_arguments(A "" "RC;OUT;ERR" "ARGS" ${ARGN})
  execute_process(COMMAND ${NNPLAY} ${A_ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc STREQUAL A_RC)
    message(FATAL_ERROR "nnplay ${A_ARGS}: exit ${rc}, expected ${A_RC}\n${out}\n${err}")
  endif()
  if(A_OUT AND NOT out MATCHES "${A_OUT}")
    message(FATAL_ERROR "nnplay ${A_ARGS}: stdout lacks '${A_OUT}':\n${out}")
  endif()
  if(A_ERR AND NOT err MATCHES "${A_ERR}")
    message(FATAL_ERROR "nnplay ${A_ARGS}: stderr lacks '${A_ERR}':\n${err}")
  endif()
endfunction()

set(e9 "http://127.0.0.1:8080/#v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1")
expect_run(ARGS eval ${e9} RC 0
           OUT "\"output\":{\"shape\":\\[1,4,4\\],\"values\":\\[0,30,30,0,0,30,30,0,0,30,30,0,0,30,30,0\\]}")
expect_run(ARGS presets RC 0 OUT "conv\te9-vertical-edge\t#v1/conv\\?in=6x6:")
expect_run(ARGS eval "v1/conv?in=6x6:1&f=3x3:(1,0,-1)*3" RC 1 ERR "in: expected 36 values")
expect_run(ARGS eval "v2/conv?in=1x1:1&f=1x1:1" RC 1 ERR "version:")
expect_run(ARGS eval "v1/conv?in=1x1:1&f=1x1:nan" RC 1 ERR "f: 'nan' is not a number")
# A JSON state file (what the page exports) works wherever a link does.
execute_process(COMMAND ${NNPLAY} eval ${e9} OUTPUT_FILE ${WORK_DIR}/state.json)
expect_run(ARGS eval ${WORK_DIR}/state.json RC 0 OUT "\"values\":\\[0,30,30,0,")
expect_run(ARGS encode ${WORK_DIR}/state.json RC 0
           OUT "^#v1/conv\\?in=6x6:\\(10\\*3,0\\*3\\)\\*6&f=3x3:\\(1,0,-1\\)\\*3&pad=valid")
file(WRITE ${WORK_DIR}/broken.json "{\"lab\":\"conv\",\"link\":\"v1/conv?in=2x2:1&f=1x1:1\"}")
expect_run(ARGS eval ${WORK_DIR}/broken.json RC 1 ERR "in: expected 4 values")
file(WRITE ${WORK_DIR}/nolink.json "{\"state\":{\"link\":\"v1/conv\"}}")
expect_run(ARGS encode ${WORK_DIR}/nolink.json RC 1 ERR "no \"link\"")
expect_run(ARGS encode ${WORK_DIR}/missing.json RC 1 ERR "cannot open")
expect_run(ARGS eval RC 2 ERR "usage")
expect_run(ARGS frobnicate RC 2 ERR "usage")
