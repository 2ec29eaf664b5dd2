# Debian package of the plugin for the Wireshark it was built against:
#   cmake --build build --target deb     (or: cd build && cpack -G DEB)
# makes build/portnote_VERSION+wsMAJOR.MINOR_ARCH.deb, which installs
# portnote.so into that Wireshark's system plugin folder and depends on the
# runtime packages (found with dpkg -S) of the libraries it links, so that apt
# refuses it on another Wireshark: libwireshark's package name carries the
# library's soname (libwireshark16 is 4.0, libwireshark18 4.4, ...), and the
# version range pins MAJOR.MINOR.
# Included from the top CMakeLists.txt after the portnote target and its
# install() rule; expects WS_VERSION_MAJOR_MINOR, WIRESHARK_* and GLIB_*.

# portnote_owning_package(OUT LIBRARY): the Debian package that ships the file
# LIBRARY resolves to (the -dev package only owns the .so symlink).
function(portnote_owning_package out library)
  get_filename_component(real "${library}" REALPATH)
  execute_process(COMMAND dpkg-query -S "${real}"
                  OUTPUT_VARIABLE owner RESULT_VARIABLE status ERROR_QUIET
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT status EQUAL 0)
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  string(REGEX REPLACE "^([^:,]+).*" "\\1" owner "${owner}")
  set(${out} "${owner}" PARENT_SCOPE)
endfunction()

find_program(DPKG_QUERY_EXECUTABLE dpkg-query)
if(NOT DPKG_QUERY_EXECUTABLE)
  message(STATUS "No dpkg-query: no Debian package target")
  return()
endif()

set(portnote_deb_depends "")
set(portnote_wireshark_package "")
foreach(library ${WIRESHARK_LINK_LIBRARIES} ${GLIB_LINK_LIBRARIES})
  portnote_owning_package(package "${library}")
  if(NOT package)
    message(WARNING "No Debian package owns ${library}: the .deb will not depend on it")
    continue()
  endif()
  get_filename_component(name "${library}" NAME)
  if(name MATCHES "^libwireshark\\.so")
    set(portnote_wireshark_package "${package}")
    # 4.0 -> (>= 4.0), (<< 4.1~): any Debian revision of this MAJOR.MINOR
    string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" _ "${WS_VERSION}")
    math(EXPR next_minor "${CMAKE_MATCH_2} + 1")
    list(APPEND portnote_deb_depends
         "${package} (>= ${WS_VERSION_MAJOR_MINOR})" "${package} (<< ${CMAKE_MATCH_1}.${next_minor}~)")
  else()
    list(APPEND portnote_deb_depends "${package}")
  endif()
endforeach()
list(REMOVE_DUPLICATES portnote_deb_depends)
if(NOT portnote_wireshark_package)
  message(WARNING "libwireshark's Debian package not found: no Debian package target")
  return()
endif()
string(REPLACE ";" ", " portnote_deb_depends "${portnote_deb_depends}")
message(STATUS "Debian package depends on: ${portnote_deb_depends}")

execute_process(COMMAND dpkg --print-architecture
                OUTPUT_VARIABLE portnote_deb_arch OUTPUT_STRIP_TRAILING_WHITESPACE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME portnote)
set(CPACK_PACKAGE_VENDOR "portnote")
set(CPACK_PACKAGE_CONTACT "portnote maintainers <portnote@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Wireshark plugin: service and security notes for transport ports")
set(CPACK_PACKAGE_DESCRIPTION
    "portnote tags every documented TCP, UDP and SCTP port with its service and the security notes that go with it (trojans, amplification, cleartext logins, ...), and checks first payloads against the port's protocol. Built for Wireshark ${WS_VERSION_MAJOR_MINOR}.")
# The Wireshark MAJOR.MINOR is part of the version: one package per Wireshark.
set(CPACK_DEBIAN_PACKAGE_VERSION "${PROJECT_VERSION}+ws${WS_VERSION_MAJOR_MINOR}")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "${portnote_deb_arch}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${portnote_deb_depends}")
set(CPACK_DEBIAN_PACKAGE_ENHANCES "tshark, wireshark")
set(CPACK_DEBIAN_FILE_NAME
    "portnote_${CPACK_DEBIAN_PACKAGE_VERSION}_${portnote_deb_arch}.deb")
# The plugin folder is absolute (Wireshark's own); the packaging prefix only
# decides which empty folder the package would carry (/usr/local otherwise).
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}")
set(CPACK_OUTPUT_CONFIG_FILE "${CMAKE_BINARY_DIR}/CPackConfig.cmake")
include(CPack)

add_custom_target(deb
  COMMAND ${CMAKE_CPACK_COMMAND} -G DEB --config "${CMAKE_BINARY_DIR}/CPackConfig.cmake"
  DEPENDS portnote
  WORKING_DIRECTORY "${CMAKE_BINARY_DIR}"
  COMMENT "Making the Debian package (portnote for Wireshark ${WS_VERSION_MAJOR_MINOR})")
