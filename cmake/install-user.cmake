# install-user.cmake: copies the built plugin into the personal plugin folder
# of whoever runs it (or removes it), for the install-user and uninstall-user
# targets:
#   cmake -DPLUGIN=/path/to/build/.../portnote.so -DWS_VERSION=4.0 [-DSOURCES=dir|dir]
#         [-DREMOVE=ON] -P install-user.cmake
# The folder comes from HOME when the target runs, not when the build was
# configured: the one who built and the one who installs may differ.  The
# targets do not depend on the build (checking it writes into the build folder,
# which the other user may not write); instead a source newer than the built
# plugin stops the copy, saying to build first.
if(NOT PLUGIN OR NOT WS_VERSION)
  message(FATAL_ERROR "usage: cmake -DPLUGIN=portnote.so -DWS_VERSION=MAJOR.MINOR [-DREMOVE=ON] -P install-user.cmake")
endif()
if("$ENV{HOME}" STREQUAL "")
  message(FATAL_ERROR "HOME is not set: cannot tell whose plugin folder to use")
endif()
get_filename_component(name "${PLUGIN}" NAME)
set(dir "$ENV{HOME}/.local/lib/wireshark/plugins/${WS_VERSION}/epan")
if(REMOVE)
  set(PLUGIN "${dir}/${name}")
  include("${CMAKE_CURRENT_LIST_DIR}/uninstall.cmake")
  return()
endif()
if(NOT EXISTS "${PLUGIN}")
  message(FATAL_ERROR "No built plugin at ${PLUGIN}: build first (cmake --build build)")
endif()
string(REPLACE "|" ";" SOURCES "${SOURCES}")
foreach(source_dir IN LISTS SOURCES)
  file(GLOB_RECURSE sources "${source_dir}/*")
  foreach(source IN LISTS sources)
    file(TIMESTAMP "${source}" source_time "%s" UTC)
    file(TIMESTAMP "${PLUGIN}" plugin_time "%s" UTC)
    if(source_time GREATER plugin_time)
      message(FATAL_ERROR "${source} is newer than ${PLUGIN}: build first (cmake --build build)")
    endif()
  endforeach()
endforeach()
file(MAKE_DIRECTORY "${dir}")
file(COPY "${PLUGIN}" DESTINATION "${dir}")
message(STATUS "Installed ${dir}/${name}")
