# install_lists.cmake - run by `cmake --install` (component conformance):
# installs conformance/impls.json and conformance/world/mtas.json under
# share/mtasts/ with each build-tree product they name (${build}/...) renamed
# to its installed place, relative to ${root} (= share/mtasts), so that the
# install stays relocatable. The source files stay the one home of the lists.
# Exim's ${build}/mta is a work directory, not a product: it stays.
foreach(_pair "impls.json" "world/mtas.json")
  file(READ "${_conf_src}/${_pair}" _text)
  string(REPLACE "\${build}/conformance/mtasts-adapter" "\${root}/${_conf_libexec}/mtasts-adapter"
         _text "${_text}")
  string(REPLACE "\${build}/cli/mtasts" "\${root}/${_conf_bin}/mtasts" _text "${_text}")
  string(REPLACE "\${build}/daemon/mtasts-daemon" "\${root}/${_conf_sbin}/mtasts-daemon" _text
         "${_text}")
  set(_dest "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/${_conf_share}/conformance/${_pair}")
  message(STATUS "Installing: ${_dest}")
  file(WRITE "${_dest}" "${_text}")
endforeach()
