# Warnings, -Werror and sanitizers for keel's own targets (not for third-party code).
function(keel_target_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports false -Wrestrict on std::string concatenation at -O3 (GCC bug 105329).
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(KEEL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Test binaries are compiled for a short build rather than for speed: the code under test lives in
# the keel_* libraries, compiled with the build type's flags, and a test's own code (fixtures,
# assertions, JSON literals) spends its time in those libraries. At -Og a test translation unit
# compiles in 55-90% of its -O1 time (a server-tests batch: 36.8 s at -O1, 21.5 s at -Og, 20.3 s at
# -O0), and -Og still optimises what -O0 leaves (register allocation, simple propagation), so a
# test's own loops do not crawl. The headers every test includes (GoogleTest and nlohmann/json,
# about 2 s of parsing each time) are precompiled once for all test binaries, in keel_test_pch (it
# was once per binary: 24 headers of 6-13 s each).
# Every test binary shares its compile options, so GCC accepts the one precompiled header for all;
# the definitions that differ between binaries (KEEL_TEST_POSTGRESQL, KEEL_BIN...) appear in
# neither header. A header that GCC did refuse would be parsed instead, never miscompiled.
function(keel_test_pch_target)
  if(TARGET keel_test_pch)
    return()
  endif()
  set(source ${PROJECT_BINARY_DIR}/keel_test_pch.cpp)
  if(NOT EXISTS ${source})
    file(WRITE ${source} "// The target that holds the test binaries' shared precompiled header.\n")
  endif()
  add_library(keel_test_pch OBJECT ${source})
  target_link_libraries(keel_test_pch PRIVATE GTest::gtest)
  keel_test_flags(keel_test_pch)
  keel_target_options(keel_test_pch)
  target_precompile_headers(keel_test_pch PRIVATE <gtest/gtest.h> <nlohmann/json.hpp>)
endfunction()

function(keel_test_flags target)
  if(CMAKE_BUILD_TYPE STREQUAL "Release")
    target_compile_options(${target} PRIVATE -Og)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      # GCC 12 at -Og reports false -Warray-bounds / -Wstringop-overflow / -Wstringop-overread
      # inside std::string's inlined copies (`std::string(dir) + "/file"`; GCC bugs 105651 and
      # 106199). The sanitizer build runs the same tests and would catch a real out-of-bounds access.
      target_compile_options(${target} PRIVATE -Wno-array-bounds -Wno-stringop-overflow -Wno-stringop-overread)
    endif()
  endif()
endfunction()

# The layers that turn a request into calls (the service, the server, the command, the Python
# module) spend their run time in the engines, the store and I/O, not in loops of their own, and
# most of their compile time in the optimiser over instantiated JSON, spec and HTTP templates. In
# Release they are compiled at -O1 and the engines at -O3 (CMake's Release default): a service
# batch took 47.8 s at -O2 and 29.0 s at -O1 on the same machine. keel_glue_flags(TARGET LEVEL)
# sets another level: the HTTP server, whose own code runs on every request, keeps -O2 (docs/
# development.md, "Build and test", gives the figures).
function(keel_glue_flags target)
  set(level -O1)
  if(ARGC GREATER 1)
    set(level ${ARGV1})
  endif()
  if(CMAKE_BUILD_TYPE STREQUAL "Release")
    target_compile_options(${target} PRIVATE ${level})
  endif()
endfunction()

function(keel_test_compile_options target)
  keel_test_flags(${target})
  keel_test_pch_target()
  target_precompile_headers(${target} REUSE_FROM keel_test_pch)
endfunction()

if(KEEL_SANITIZE)
  add_compile_options(-fsanitize=${KEEL_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${KEEL_SANITIZE})
endif()

# Layers enforced by the build (docs/development.md, "Layers"). A module does not see the whole
# include/ tree: keel_<NAME>'s include directory is <build>/layers/<NAME>, which holds one symbolic
# link, keel/<NAME> -> include/keel/<NAME>. The directory is PUBLIC, so a target sees the headers of
# exactly the keel modules it links, directly or through their DEPS (CMake's usage requirements),
# and `#include "keel/store/store.h"` in a module that does not declare keel_store fails with
# "No such file or directory". keel_layer_include_dir(NAME OUT) creates the directory and returns it.
function(keel_layer_include_dir name out)
  set(dir ${PROJECT_BINARY_DIR}/layers/${name})
  set(target ${PROJECT_SOURCE_DIR}/include/keel/${name})
  set(current "")
  if(IS_SYMLINK ${dir}/keel/${name})
    file(READ_SYMLINK ${dir}/keel/${name} current)
  endif()
  if(NOT current STREQUAL target)  # new, or the source tree moved
    file(MAKE_DIRECTORY ${dir}/keel)
    file(REMOVE ${dir}/keel/${name})
    file(CREATE_LINK ${target} ${dir}/keel/${name} SYMBOLIC)
  endif()
  set(${out} ${dir} PARENT_SCOPE)
endfunction()

# keel_module(NAME DEPS <targets...>): static library keel_<NAME> from src/<NAME>/*.cpp,
# public headers in include/keel/<NAME>/. New files are picked up on the next build. DEPS are
# public: list every keel module whose headers this module's sources or headers include. A module
# may only declare modules defined before it: src/CMakeLists.txt adds them bottom layer first, so
# an upward (or circular) dependency is a configure error rather than a silent link.
function(keel_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  foreach(d ${ARG_DEPS})
    if(d MATCHES "^keel_" AND NOT TARGET ${d})
      message(FATAL_ERROR "keel_${name} declares ${d}, which is not a module of a lower layer "
                          "(src/CMakeLists.txt adds modules bottom layer first; docs/development.md, \"Layers\")")
    endif()
  endforeach()
  keel_layer_include_dir(${name} layer_dir)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(NOT sources)
    # A header-only module so far.
    add_library(keel_${name} INTERFACE)
    target_include_directories(keel_${name} INTERFACE ${layer_dir})
    target_link_libraries(keel_${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(keel_${name} STATIC ${sources})
  target_include_directories(keel_${name} PUBLIC ${layer_dir}
                                          PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(keel_${name} PUBLIC ${ARG_DEPS})
  keel_target_options(keel_${name})
endfunction()

# keel_test_dir(MODULE DEPS <targets...>): one GoogleTest binary per tests/<MODULE> folder.
# Tests named *_slow_test.cpp go into a second binary labelled "slow" (left out of make test).
function(keel_test_dir name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB all CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*_test.cpp)
  set(fast "")
  set(slow "")
  foreach(f ${all})
    if(f MATCHES "_slow_test\\.cpp$")
      list(APPEND slow ${f})
    else()
      list(APPEND fast ${f})
    endif()
  endforeach()
  foreach(kind fast slow)
    if(NOT ${kind})
      continue()
    endif()
    set(t keel_${name}_tests)
    if(kind STREQUAL "slow")
      set(t keel_${name}_slow_tests)
    endif()
    add_executable(${t} ${${kind}})
    target_link_libraries(${t} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
    target_compile_definitions(${t} PRIVATE KEEL_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                            KEEL_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
    keel_target_options(${t})
    keel_test_compile_options(${t})
    # One label per binary (a list does not survive gtest_discover_tests' argument passing):
    # the module name for the default suite, "slow" for tests left out of it.
    set(label ${name})
    if(kind STREQUAL "slow")
      set(label slow)
    endif()
    gtest_discover_tests(${t} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${label})
  endforeach()
endfunction()
