# install_check.cmake - `cmake --install` of the cli component puts the
# binary, the man page and the JSON schema where they belong, and the
# installed binary runs. Run with -DBUILD_DIR=... -DPREFIX=... -P.
include(GNUInstallDirs)
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --component cli --prefix ${PREFIX}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc}):\n${out}")
endif()
foreach(f ${CMAKE_INSTALL_BINDIR}/mtasts ${CMAKE_INSTALL_MANDIR}/man1/mtasts.1
    ${CMAKE_INSTALL_DATADIR}/mtasts/diagnostics.schema.json)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "not installed: ${f}\n${out}")
  endif()
  message(STATUS "installed ${f}")
endforeach()
execute_process(COMMAND ${PREFIX}/${CMAKE_INSTALL_BINDIR}/mtasts --version
  RESULT_VARIABLE rc OUTPUT_VARIABLE version)
if(NOT rc EQUAL 0 OR NOT version MATCHES "^mtasts [0-9]+\\.[0-9]+\\.[0-9]+\n$")
  message(FATAL_ERROR "the installed mtasts --version says '${version}' (exit ${rc})")
endif()
message(STATUS "the installed binary runs: ${version}")
file(REMOVE_RECURSE ${PREFIX})
