# cmake -DREADME=README.md -DOUT=FILE -P readme_example.cmake: the C block
# between <!-- resolver:begin --> and <!-- resolver:end --> of README.md,
# written to FILE (only when it changed, so that nothing is rebuilt for an
# edit elsewhere in README.md).
file(READ ${README} text)
string(REGEX MATCH "<!-- resolver:begin -->\n```c\n(.*)```\n<!-- resolver:end -->" found "${text}")
if(NOT found)
  message(FATAL_ERROR "${README}: no <!-- resolver:begin/end --> block of C")
endif()
file(WRITE ${OUT}.tmp "${CMAKE_MATCH_1}")
configure_file(${OUT}.tmp ${OUT} COPYONLY)
