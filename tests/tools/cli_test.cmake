# cli_test.cmake: the nnplay command-line tool end to end (run by ctest with -DNNPLAY=...).
# `nnplay eval` on one link of every lab prints JSON holding a value known from the
# course's worked answers (exercises.md) or by hand; presets list links; every kind of bad
# input (bad link, unknown lab, missing file, unreadable file, bad JSON file, a file too
# large, bad usage) exits 1 or 2 with its message on stderr and no crash.
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
  if(NOT A_RC STREQUAL "0" AND NOT out STREQUAL "")
    message(FATAL_ERROR "nnplay ${A_ARGS}: failed, yet printed on stdout:\n${out}")
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

# ---- eval on every lab: values from exercises.md or worked by hand -------------------
# Softmax (E3): softmax(2, 1, 0.1) = [0.6590, 0.2424, 0.0986]; the sum of e^x is 11.2125.
expect_run(ARGS eval "v1/softmax?x=3:2,1,0.1&t=1&check=" RC 0
           OUT "\"p\":{\"shape\":\\[3\\],\"values\":\\[0\\.6590[0-9]*,0\\.2424[0-9]*,0\\.0985[6-9][0-9]*\\]}")
expect_run(ARGS eval "v1/softmax?x=3:2,1,0.1&t=1&check=" RC 0 OUT "\"sum\":11\\.212[45]")
# Batch normalization (E6): mu = 6, sigma^2 = 8, y = [-3.8284, -2.4142, -1, 0.4142, 1.8284];
# running statistics 0.9*0 + 0.1*6 = 0.6 and 0.9*1 + 0.1*8 = 1.7.
set(e6 "v1/batchnorm?x=1x5:2,4,6,8,10&g=1:2&b=1:-1&eps=0&mom=0.1&mode=train&rm=1:0&rv=1:1&check=")
expect_run(ARGS eval ${e6} RC 0
           OUT "\"mean\":{\"shape\":\\[1\\],\"values\":\\[6\\]},\"var\":{\"shape\":\\[1\\],\"values\":\\[8\\]}")
expect_run(ARGS eval ${e6} RC 0
           OUT "\"y\":{\"shape\":\\[1,5\\],\"values\":\\[-3\\.8284[0-9]*,-2\\.4142[0-9]*,-1,0\\.4142[0-9]*,1\\.8284[0-9]*\\]}")
expect_run(ARGS eval ${e6} RC 0
           OUT "\"running_mean\":{\"shape\":\\[1\\],\"values\":\\[0\\.6\\]},\"running_var\":{\"shape\":\\[1\\],\"values\":\\[1\\.7\\]}")
# Dropout (E8), inverted, keep 0.8: kept units are scaled by 1/0.8 = 1.25 in training,
# nothing at test time, and the expected training activation is the activation itself.
set(e8 "v1/dropout?a=5:1,2,3,4,5&p=0.8&mode=inverted&seed=1&n=1000&unit=4&check=")
expect_run(ARGS eval ${e8} RC 0 OUT "\"train_scale\":1\\.25,\"test_scale\":1,")
expect_run(ARGS eval ${e8} RC 0 OUT "\"expect_train\":{\"shape\":\\[5\\],\"values\":\\[1,2,3,4,5\\]}")
# Neuron & MLP (E4): z3 = [0.0165, 0.0555]; (E5) a dense 3-4-2 network has 26 parameters.
set(e4 "v1/mlp?x=2:0.5,-1&l1=relu&w1=2x2:0.1,-0.1,0.2,0.3&l2=relu&w2=3x2:0.1,-0.5,0.3,0.2,0.4,-0.1&l3=softmax&w3=2x3:0.1,0.2,0.1,0.4,0.7,0.3&target=1&mode=fwd&check=")
expect_run(ARGS eval ${e4} RC 0
           OUT "\"z\":{\"shape\":\\[2\\],\"values\":\\[0\\.0165[0-9]*,0\\.0555[0-9]*\\]}")
expect_run(ARGS eval "v1/mlp?x=3:1,0.5,-1&l1=relu&w1=4x3:0*12&b1=4:0*4&l2=softmax&w2=2x4:0*8&b2=2:0,0&target=1&mode=fwd&check="
           RC 0 OUT "\"parameters\":26[,}]")
# Gradient flow (E11): W = 0, ReLU, residual: every block is the identity and every
# gradient is (1, ..., 1), norm sqrt(8) = 2.828427; the plain chain passes 0 below the top.
string(REPEAT "2\\.828427[0-9]*," 20 twenty)  # CMake's regex has no {n}
expect_run(ARGS eval "v1/flow?a_act=relu&a_depth=20&a_width=8&a_init=const&a_w=0&a_seed=1&a_res=1&b_act=relu&b_depth=20&b_width=8&b_init=const&b_w=0&b_seed=1&b_res=0&xseed=1&block=10&curve=relu&check="
           RC 0 OUT "\"grad_norm\":\\[${twenty}2\\.828427[0-9]*\\]")
# Cost (E10): 1x1 convolution 28x28x192 -> 32: 6,176 parameters, 4,816,896 multiplications,
# fully connected 3,776,446,464, 784 times more.
set(e10 "v1/cost?mode=single&h=28&w=28&c=192&k=1&n=32&r=16&pad=same&stride=1&br=135p&n1=64&r3=96&n3=128&r5=16&n5=32&np=32&bias=1&check=")
expect_run(ARGS eval ${e10} RC 0 OUT "\"params\":6176,")
expect_run(ARGS eval ${e10} RC 0 OUT "\"mults\":4816896,")
expect_run(ARGS eval ${e10} RC 0 OUT "\"mults\":3776446464,")
expect_run(ARGS eval ${e10} RC 0 OUT "\"mult_ratio\":784[,}]")
# Training: 2 features -> 4 -> 2 -> 1 output has (2x4 + 4) + (4x2 + 2) + (2x1 + 1) = 25
# parameters; the 400 generated points split 50 % into 200 training and 200 test points.
expect_run(ARGS eval "v1/train?data=circle&seed=1&noise=0&split=50&feat=x,y&layers=4,2&act=tanh&loss=mse&init=uniform&opt=sgd&lr=0.03&mom=0&batch=10&steps=0"
           RC 0 OUT "\"param_count\":25,\"train_count\":200,\"test_count\":200,")
# CNN training (bars): conv 4 filters 5x5x1 + 4 biases = 104, pooled 8x8x4 = 256 into 4
# classes: 256x4 + 4 = 1,028; 1,132 in all. A blank drawing with the biases at 0 gives equal
# logits: every class 1/4.
expect_run(ARGS eval "v1/cnn?data=bars&size=16&noise=0.1&seed=1&blocks=1&f1=4&f2=8&k=5&opt=adam&lr=0.01&mom=0.9&batch=16&steps=0"
           RC 0 OUT "\"param_count\":1132,")
expect_run(ARGS eval "v1/cnn?data=bars&size=16&noise=0.1&seed=1&blocks=1&f1=4&f2=8&k=5&opt=adam&lr=0.01&mom=0.9&batch=16&steps=0"
           RC 0 OUT "\"classes\":4,.*\"probs\":\\[0\\.25,0\\.25,0\\.25,0\\.25\\]")

# ---- every error path: exit status and message ----------------------------------------
# A bad link names its field; an unknown lab says so; a link without its version says so.
expect_run(ARGS eval "v1/softmax?x=3:2,1&t=1" RC 1 ERR "^nnplay: bad link: x: ")
expect_run(ARGS eval "v1/nope?x=1" RC 1 ERR "^nnplay: bad link: lab: there is no lab called 'nope'\n$")
expect_run(ARGS eval "conv?in=1x1:1&f=1x1:1" RC 1 ERR "^nnplay: bad link: version: ")
file(WRITE ${WORK_DIR}/empty.txt "\n")  # an empty file: an empty link
expect_run(ARGS eval ${WORK_DIR}/empty.txt RC 1 ERR "^nnplay: bad link: the link is empty")
# A missing state file: named as such (eval takes a link too, but x.json is a file name).
expect_run(ARGS eval ${WORK_DIR}/missing.json RC 1
           ERR "^nnplay: cannot open '[^']*missing\\.json': No such file or directory\n$")
# Not readable as a file (a directory).
expect_run(ARGS eval ${WORK_DIR} RC 1 ERR "^nnplay: cannot read '")
# A bad file: binary bytes are neither JSON nor a link.
string(ASCII 137 80 78 71 13 10 26 10 1 binary)  # a PNG signature and a control byte
file(WRITE ${WORK_DIR}/binary.png "${binary}")
expect_run(ARGS eval ${WORK_DIR}/binary.png RC 1 ERR "^nnplay: bad link: the link contains a space or a character")
# A file with a link in it (no JSON) works like the link; a broken one names its field.
file(WRITE ${WORK_DIR}/link.txt "v1/softmax?x=3:2,1,0.1&t=1&check=\n")
expect_run(ARGS eval ${WORK_DIR}/link.txt RC 0 OUT "\"values\":\\[0\\.6590")
file(WRITE ${WORK_DIR}/badlink.txt "v1/softmax?x=3:2,1&t=1\n")
expect_run(ARGS eval ${WORK_DIR}/badlink.txt RC 1 ERR "^nnplay: bad link: x: ")
# Bad JSON files: cut off inside the link, a link that is not a string, no link at all.
file(WRITE ${WORK_DIR}/cut.json "{\"lab\":\"conv\",\"link\":\"v1/conv?in=1x1:1")
expect_run(ARGS eval ${WORK_DIR}/cut.json RC 1 ERR "^nnplay: '[^']*cut\\.json': .*link")
file(WRITE ${WORK_DIR}/number.json "{\"link\":3}")
expect_run(ARGS eval ${WORK_DIR}/number.json RC 1 ERR "^nnplay: '[^']*number\\.json': \"link\" is not a string")
expect_run(ARGS eval ${WORK_DIR}/nolink.json RC 1 ERR "^nnplay: '[^']*nolink\\.json': no \"link\"")
# Larger than 1 MiB.
string(REPEAT "v" 1100000 big)
file(WRITE ${WORK_DIR}/big.txt "${big}")
expect_run(ARGS eval ${WORK_DIR}/big.txt RC 1 ERR "^nnplay: '[^']*big\\.txt' is larger than 1 MiB")
# encode takes files only.
expect_run(ARGS encode "v1/softmax?x=3:2,1,0.1&t=1&check=" RC 1 ERR "^nnplay: cannot open 'v1/softmax")
# Bad usage: exit 2 and the usage text.
expect_run(ARGS presets extra RC 2 ERR "^usage: nnplay eval")
expect_run(ARGS eval a b RC 2 ERR "^usage: nnplay eval")
expect_run(RC 2 ERR "^usage: nnplay eval")

# ---- export and the batch commands (the referee's, tests/referee/) ---------------------
expect_run(ARGS export --torch "v1/softmax?x=3:2,1,0.1&t=1&check=" RC 0
           OUT "^# nnplay, softmax lab.*import torch.*F\\.softmax.*results = {")
expect_run(ARGS export --numpy "v1/softmax?x=3:2,1,0.1&t=1&check=" RC 0 OUT "import numpy as np")
expect_run(ARGS export --torch "v1/softmax?x=3:2,1&t=1" RC 1 ERR "^nnplay: cannot export: x: ")
expect_run(ARGS export --torch "v1/nope?x=1" RC 1 ERR "^nnplay: cannot export: lab: ")
expect_run(ARGS export --python "v1/softmax?x=3:2,1,0.1&t=1" RC 2 ERR "^usage: nnplay eval")
expect_run(ARGS export "v1/softmax?x=3:2,1,0.1&t=1" RC 2 ERR "^usage: nnplay eval")
# One JSON line per input line, bad ones included, in order.
file(WRITE ${WORK_DIR}/links.txt "v1/softmax?x=1:2&t=1\nnot a link\n\nv1/softmax?x=2:0,0&t=1\n")
execute_process(COMMAND ${NNPLAY} eval-batch INPUT_FILE ${WORK_DIR}/links.txt RESULT_VARIABLE rc
                OUTPUT_VARIABLE out)
if(NOT rc STREQUAL "0" OR NOT out MATCHES
   "^{\"lab\":\"softmax\"[^\n]*\n{\"error\":\"[^\n]*\n{\"error\":\"[^\n]*\n{\"lab\":\"softmax\".*\"p\":{\"shape\":\\[2\\],\"values\":\\[0\\.5,0\\.5\\]}[^\n]*\n$")
  message(FATAL_ERROR "nnplay eval-batch: exit ${rc}, output:\n${out}")
endif()
execute_process(COMMAND ${NNPLAY} export-batch --numpy INPUT_FILE ${WORK_DIR}/links.txt
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc STREQUAL "0" OR NOT out MATCHES
   "^{\"script\":\"# nnplay[^\n]*import numpy as np\\\\n[^\n]*\n{\"error\":[^\n]*\n{\"error\":[^\n]*\n{\"script\":[^\n]*\n$")
  message(FATAL_ERROR "nnplay export-batch: exit ${rc}, output:\n${out}")
endif()

# ---- --threads: the same bits on 1 and 3 threads; a bad count is a usage error ---------
# The digits preset trained 8 steps (two conv blocks, batch 16): the whole JSON (weights'
# results, losses, probabilities) must be byte-identical whatever the thread count.
set(cnn8 "v1/cnn?data=digits&size=16&noise=0.1&seed=3&blocks=2&f1=8&f2=16&k=3&opt=adam&lr=0.01&mom=0.9&batch=16&steps=8")
execute_process(COMMAND ${NNPLAY} --threads 1 eval ${cnn8} RESULT_VARIABLE rc1 OUTPUT_VARIABLE t1)
execute_process(COMMAND ${NNPLAY} eval ${cnn8} --threads 3 RESULT_VARIABLE rc3 OUTPUT_VARIABLE t3)
if(NOT rc1 STREQUAL "0" OR NOT rc3 STREQUAL "0" OR NOT t1 STREQUAL t3 OR NOT t1 MATCHES "\"steps\":8")
  message(FATAL_ERROR "nnplay --threads 1 / 3 differ (exit ${rc1}, ${rc3}):\n${t1}\n${t3}")
endif()
expect_run(ARGS --threads 0 presets RC 2 ERR "--threads needs a whole number from 1 to 64")
expect_run(ARGS presets --threads 2x RC 2 ERR "--threads needs a whole number")
expect_run(ARGS eval --threads RC 2 ERR "--threads needs a whole number")
expect_run(ARGS --threads 2 RC 2 ERR "usage")
