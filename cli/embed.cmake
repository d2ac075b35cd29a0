# cmake -DIN=FILE -DOUT=FILE.c -DNAME=ident -P embed.cmake
# Writes FILE's bytes as a C array (NAME, NAME_len), so that the interop data
# (conformance/interop/*.json) is read from its one home at build time, with
# no path to find at run time.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}"
  "/* Generated from ${NAME}'s JSON by cli/embed.cmake; do not edit. */\n"
  "#include <stddef.h>\n"
  "extern const unsigned char ${NAME}[];\n"
  "extern const size_t ${NAME}_len;\n"
  "const unsigned char ${NAME}[] = {${bytes}0x00};\n"
  "const size_t ${NAME}_len = sizeof ${NAME} - 1;\n")
