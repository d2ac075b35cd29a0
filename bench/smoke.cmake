# bench_smoke: run mtasts-bench with tiny blocks and check what other tools
# rely on - the exact BENCH line format, one line per input and
# implementation, the memory lines, the emitted inputs - and that parsing
# made no allocator call. Timings are never checked.
#   cmake -DBENCH=<mtasts-bench> -DWORK=<dir> -DCOUNTS_ALLOCS=ON|OFF -P smoke.cmake
cmake_minimum_required(VERSION 3.16) # IN_LIST
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${BENCH} --smoke --emit-inputs ${WORK}/inputs
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(WRITE ${WORK}/output.txt "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mtasts-bench --smoke exited with ${rc}:\n${err}\n${out}")
endif()

set(inputs txt policy-typical policy-64k mx-match tlsrpt
    policy-mx0 policy-mx1 policy-mx10 policy-mx100 policy-mx1000 policy-mx2700)
set(impls mtasts-strict mtasts-lenient memchr byteclass)

string(REPLACE ";" "," out "${out}")
string(REPLACE "\n" ";" lines "${out}")
set(errors "")
set(bench_lines 0)
set(size_lines 0)
set(seen "")
foreach(line IN LISTS lines)
  if(line MATCHES "^BENCH ")
    math(EXPR bench_lines "${bench_lines} + 1")
    if(NOT line MATCHES "^BENCH input=([a-z0-9-]+) impl=([a-z0-9.-]+) ns_per_op=[0-9]+\\.[0-9] gbps=[0-9]+\\.[0-9][0-9][0-9] ratio=([0-9]+\\.[0-9][0-9])$")
      string(APPEND errors "malformed: ${line}\n")
    else()
      list(APPEND seen "${CMAKE_MATCH_1}/${CMAKE_MATCH_2}")
      if(CMAKE_MATCH_2 STREQUAL "memchr" AND NOT CMAKE_MATCH_3 STREQUAL "1.00")
        string(APPEND errors "the memchr baseline's ratio is not 1.00: ${line}\n")
      endif()
    endif()
  elseif(line MATCHES "^SIZEOF struct=mtasts_[a-z_]+ bytes=[1-9][0-9]*$")
    math(EXPR size_lines "${size_lines} + 1")
  endif()
endforeach()

list(LENGTH inputs n_inputs)
list(LENGTH impls n_impls)
math(EXPR want_lines "${n_inputs} * ${n_impls}")
if(NOT bench_lines EQUAL want_lines)
  string(APPEND errors "${bench_lines} BENCH lines, want ${want_lines}\n")
endif()
foreach(input IN LISTS inputs)
  foreach(impl IN LISTS impls)
    if(NOT "${input}/${impl}" IN_LIST seen)
      string(APPEND errors "no BENCH line for input=${input} impl=${impl}\n")
    endif()
  endforeach()
endforeach()
if(NOT size_lines EQUAL 14)
  string(APPEND errors "${size_lines} SIZEOF lines, want 14 (every public struct)\n")
endif()

# Zero allocation, where the allocator can be interposed.
if(COUNTS_ALLOCS)
  if(NOT out MATCHES "\nALLOC heap_calls_during_parse=0 parse_calls=[1-9][0-9]* counter_check=ok\n")
    string(APPEND errors "no 'ALLOC heap_calls_during_parse=0 ... counter_check=ok' line\n")
  endif()
elseif(NOT out MATCHES "\nALLOC heap_calls_during_parse=unavailable ")
  string(APPEND errors "no 'ALLOC heap_calls_during_parse=unavailable' line\n")
endif()

foreach(pattern
    "\nMEM peak_rss_kb=[1-9][0-9]*\n"
    "\nSTACK (worst_frame_bytes=[0-9]+ function=[A-Za-z0-9_.]+ |skipped: )"
    "\nLINEARITY impl=mtasts-strict smallest=1 largest=2700 per_line_ratio=[0-9.]+ "
    "\nLINEARITY impl=mtasts-lenient "
    "\nTARGET input=policy-64k impl=mtasts-strict vs=memchr ratio=[0-9.]+ limit=2.0 met=(yes|no)"
    "\nTARGET input=policy-64k impl=mtasts-strict vs=byteclass ratio=[0-9.]+ limit=1.3 met="
    "\nTARGET input=policy-typical impl=mtasts-strict vs=memchr ratio=[0-9.]+ limit=4.0 met="
    "\nTARGET input=txt impl=mtasts-strict vs=memchr ratio=[0-9.]+ limit=3.0 met="
    "\nTARGET scaling impl=mtasts-strict worst_deviation=")
  if(NOT out MATCHES "${pattern}")
    string(APPEND errors "no line matching: ${pattern}\n")
  endif()
endforeach()

# The emitted inputs: one manifest line and one file per input; the 64k
# policy fills all but the last few bytes of the size limit.
if(NOT EXISTS ${WORK}/inputs/manifest.txt)
  string(APPEND errors "no inputs/manifest.txt\n")
else()
  file(STRINGS ${WORK}/inputs/manifest.txt manifest REGEX "^[^#]")
  list(LENGTH manifest n_manifest)
  if(NOT n_manifest EQUAL n_inputs)
    string(APPEND errors "manifest has ${n_manifest} inputs, want ${n_inputs}\n")
  endif()
  foreach(input IN LISTS inputs)
    if(NOT EXISTS ${WORK}/inputs/${input}.in)
      string(APPEND errors "no inputs/${input}.in\n")
    endif()
  endforeach()
  if(NOT "mx-match mx-match mx-match.in 2847 0 policy-64k.in" IN_LIST manifest)
    string(APPEND errors "manifest line of mx-match is not as expected: ${manifest}\n")
  endif()
  file(SIZE ${WORK}/inputs/policy-64k.in size_64k)
  if(NOT size_64k EQUAL 65526)
    string(APPEND errors "policy-64k.in is ${size_64k} bytes, want 65526 (2847 mx lines)\n")
  endif()
  file(READ ${WORK}/inputs/mx-match.in host)
  if(NOT host STREQUAL "mx2846.example.com")
    string(APPEND errors "mx-match.in is '${host}', want the last pattern mx2846.example.com\n")
  endif()
endif()

if(errors)
  message(FATAL_ERROR "bench_smoke:\n${errors}\n--- output ---\n${out}")
endif()
message(STATUS "bench_smoke: ${bench_lines} BENCH lines, ${size_lines} struct sizes, output ok")
