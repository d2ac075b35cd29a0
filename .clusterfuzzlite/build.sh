#!/bin/bash -eu
# Build every mtasts fuzz target against $LIB_FUZZING_ENGINE into $OUT, with
# its .dict, .options and <target>_seed_corpus.zip beside it. A parser entry
# point has two targets from one source (fuzz/README.md): fuzz_<entry> and
# fuzz_<entry>_oracle (-DFZ_DIFFERENTIAL=1), sharing corpus/fuzz_<entry>/
# and fuzz_<entry>.dict; each has its own .options.
#
# In ClusterFuzzLite / OSS-Fuzz the environment provides CC, CXX, CFLAGS,
# LIB_FUZZING_ENGINE, SRC and OUT. Locally, for example:
#   CC=clang CXX=clang++ CFLAGS="-fsanitize=address,undefined,fuzzer-no-link -g" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out bash .clusterfuzzlite/build.sh

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -n "${SRC:-}" ] && [ -d "$SRC/mtasts/fuzz" ]; then
  ROOT=$SRC/mtasts   # build.sh is copied to $SRC in the image
fi
: "${CC:=clang}" "${CXX:=clang++}" "${CFLAGS:=}" "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:?set OUT to the output directory}"
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

TARGETS="txt_record txt_record_oracle txt_strings txt_strings_oracle txt_rrset txt_rrset_oracle
  policy policy_oracle mx_match mx_match_oracle tlsrpt_record tlsrpt_record_oracle
  tlsrpt_rrset tlsrpt_rrset_oracle roundtrip roundtrip_oracle fetch http_response smtp_reply socketmap report"
STD="-std=c11"
INC="-I$ROOT/parser/include -I$ROOT/fuzz -I$ROOT/fuzz/oracle -I$ROOT/engine/include -I$ROOT/engine/src -I$ROOT/wire/include -I$ROOT/report/include"
# The library gets the engine's coverage flags; the oracle and the checks
# do not need them (they would only slow the target and steer the fuzzer
# towards the oracle's branches), so fuzzer-no-link is dropped for those.
CHECK_CFLAGS=${CFLAGS//-fsanitize=fuzzer-no-link/}
CHECK_CFLAGS=${CHECK_CFLAGS//,fuzzer-no-link/}

objs=()
for src in "$ROOT"/parser/src/*.c; do
  obj=$WORK/lib_$(basename "$src" .c).o
  $CC $CFLAGS $STD $INC -c "$src" -o "$obj"
  objs+=("$obj")
done
# Code under test beyond the parser, linked only into its own target:
# fuzz_fetch the engine, fuzz_http_response, fuzz_smtp_reply and
# fuzz_socketmap the HTTP, SMTP and socketmap readers of wire/,
# fuzz_report the report reader (report/).
extra_fetch=()
for src in "$ROOT"/engine/src/*.c; do
  obj=$WORK/engine_$(basename "$src" .c).o
  $CC $CFLAGS $STD $INC -c "$src" -o "$obj"
  extra_fetch+=("$obj")
done
$CC $CFLAGS $STD $INC -c "$ROOT/wire/src/http_response.c" -o "$WORK/wire_http_response.o"
extra_http_response=("$WORK/wire_http_response.o")
$CC $CFLAGS $STD $INC -c "$ROOT/wire/src/smtp_reply.c" -o "$WORK/wire_smtp_reply.o"
extra_smtp_reply=("$WORK/wire_smtp_reply.o")
$CC $CFLAGS $STD $INC -c "$ROOT/wire/src/socketmap.c" -o "$WORK/wire_socketmap.o"
extra_socketmap=("$WORK/wire_socketmap.o")
extra_report=()
for src in "$ROOT"/report/src/*.c; do
  obj=$WORK/report_$(basename "$src" .c).o
  $CC $CFLAGS $STD $INC -c "$src" -o "$obj"
  extra_report+=("$obj")
done

for src in "$ROOT"/fuzz/fuzz_common.c "$ROOT"/fuzz/oracle/abnf.c "$ROOT"/fuzz/oracle/grammar.c \
           "$ROOT"/fuzz/oracle/oracle.c "$ROOT"/fuzz/oracle/media_model.c \
           "$ROOT"/fuzz/oracle/http_model.c "$ROOT"/fuzz/oracle/smtp_model.c; do
  obj=$WORK/check_$(basename "$src" .c).o
  $CC $CHECK_CFLAGS $STD $INC -c "$src" -o "$obj"
  objs+=("$obj")
done

for t in $TARGETS; do
  e=${t%_oracle}
  diff=0
  [ "$e" = "$t" ] || diff=1
  $CC $CHECK_CFLAGS $STD $INC -DFZ_DIFFERENTIAL=$diff -c "$ROOT/fuzz/fuzz_$e.c" -o "$WORK/fuzz_$t.o"
  # The engine is C++: link with the C++ driver.
  extra=()
  case "$e" in
    fetch) extra=("${extra_fetch[@]}") ;;
    http_response) extra=("${extra_http_response[@]}") ;;
    smtp_reply) extra=("${extra_smtp_reply[@]}") ;;
    socketmap) extra=("${extra_socketmap[@]}") ;;
    report) extra=("${extra_report[@]}") ;;
  esac
  $CXX $CFLAGS "$WORK/fuzz_$t.o" "${extra[@]}" "${objs[@]}" $LIB_FUZZING_ENGINE -o "$OUT/fuzz_$t"
  cp "$ROOT/fuzz/fuzz_$e.dict" "$ROOT/fuzz/fuzz_$t.options" "$OUT/"
  rm -f "$OUT/fuzz_${t}_seed_corpus.zip"
  if [ -d "$ROOT/corpus/fuzz_$e" ]; then
    (cd "$ROOT/corpus/fuzz_$e" && zip -q -j "$OUT/fuzz_${t}_seed_corpus.zip" ./*)
  fi
done
echo "built $(echo $TARGETS | wc -w) fuzz targets into $OUT"
