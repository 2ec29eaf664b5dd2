# Removes the plugin that "cmake --install" put into Wireshark's system plugin
# folder (or the per-user copy of install-user); run by the uninstall and
# uninstall-user targets:
#   cmake -DPLUGIN=/path/to/portnote.so -P uninstall.cmake
# A copy that a Debian package installed is left to apt (removing it here
# would leave dpkg's records wrong).
if(NOT PLUGIN)
  message(FATAL_ERROR "usage: cmake -DPLUGIN=/path/to/portnote.so -P uninstall.cmake")
endif()
set(target "$ENV{DESTDIR}${PLUGIN}")
if(NOT EXISTS "${target}" AND NOT IS_SYMLINK "${target}")
  message(STATUS "Nothing to remove: ${target} is not there")
  return()
endif()
find_program(DPKG_QUERY_EXECUTABLE dpkg-query)
if(DPKG_QUERY_EXECUTABLE AND "$ENV{DESTDIR}" STREQUAL "")
  execute_process(COMMAND dpkg-query -S "${target}"
                  OUTPUT_VARIABLE owner RESULT_VARIABLE status ERROR_QUIET
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(status EQUAL 0)
    string(REGEX REPLACE ":.*" "" owner "${owner}")
    message(FATAL_ERROR "${target} belongs to the Debian package ${owner}: remove it with apt-get remove ${owner}")
  endif()
endif()
file(REMOVE "${target}")
if(EXISTS "${target}")
  message(FATAL_ERROR "Could not remove ${target} (permissions? the system folder needs root)")
endif()
message(STATUS "Removed ${target}")
