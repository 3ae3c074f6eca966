# ctest script: build tests/wasm/sim_digest.cpp NATIVELY with the host C++
# compiler (same flags as a native Release build), run it and the Wasm build
# under node, and require byte-identical output with every scenario present.
# Inputs: -DSRC_DIR=<repo> -DWORK=<dir> -DJS=<sim_digest.js> -DNODE=<node> -DHOST_CXX=<c++>
file(GLOB_RECURSE sim_sources "${SRC_DIR}/src/sim/*.cpp")
# The UI-free widget layer: the catalog, every widget's info and scenario, the Run.
file(GLOB widget_sources "${SRC_DIR}/src/widgets/*.cpp" "${SRC_DIR}/src/widgets/*/info.cpp"
     "${SRC_DIR}/src/widgets/*/scenario.cpp")
list(FILTER widget_sources EXCLUDE REGEX "/views\\.cpp$")
list(APPEND sim_sources ${widget_sources})
execute_process(
  COMMAND "${HOST_CXX}" -std=c++20 -O3 -DNDEBUG -I${SRC_DIR}/src -I${SRC_DIR}/tests
          ${SRC_DIR}/tests/wasm/sim_digest.cpp ${sim_sources} -o ${WORK}/sim_digest_native
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "native build of sim_digest failed:\n${err}")
endif()
execute_process(COMMAND ${WORK}/sim_digest_native OUTPUT_VARIABLE native RESULT_VARIABLE rc_native)
execute_process(COMMAND "${NODE}" --no-experimental-fetch "${JS}" OUTPUT_VARIABLE wasm RESULT_VARIABLE rc_wasm)
if(NOT rc_native EQUAL 0 OR NOT rc_wasm EQUAL 0)
  message(FATAL_ERROR "sim_digest exited with native=${rc_native} wasm=${rc_wasm}")
endif()
string(REGEX MATCHALL "\n" newlines "${native}")
list(LENGTH newlines n_lines)
# 17 model scenarios + 3 network runs + at least hello's defaults and action run.
if(n_lines LESS 22)
  message(FATAL_ERROR "native sim_digest printed only ${n_lines} lines:\n${native}")
endif()
if(NOT native STREQUAL wasm)
  message(FATAL_ERROR "native and Wasm digests differ\n--- native\n${native}--- wasm\n${wasm}")
endif()
message(STATUS "native and Wasm agree on ${n_lines} scenarios:\n${native}")
