# CMake package for wsaevents (the Winsock event model on Linux and macOS):
#
#   find_package(wsaevents 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE wsaevents::wsaevents)         # the shared library
#   target_link_libraries(app PRIVATE wsaevents::wsaevents_static)  # or the static one
#
# Both targets put <includedir>/wsaevents (winsock2.h, windows.h, ws2tcpip.h, ...) on the
# include path; the static one also links the system libraries the Rust standard library
# needs (Libs.private of wsaevents.pc, which rustc's --print native-static-libs gave).
# Installed by install.sh (or cargo cinstall) with wsaevents.pc, which it reads.
include("${CMAKE_CURRENT_LIST_DIR}/wsaevents-pkgconfig.cmake")
if(NOT _wsaevents_pc OR NOT _wsaevents_pcvar_libdir)
    set(wsaevents_FOUND FALSE)
    set(wsaevents_NOT_FOUND_MESSAGE
        "wsaevents.pc was not found beside ${CMAKE_CURRENT_LIST_DIR}: reinstall wsaevents")
    return()
endif()

set(_wsaevents_includes "")
separate_arguments(_wsaevents_cflags UNIX_COMMAND "${WSAEVENTS_PC_Cflags}")
foreach(_wsaevents_flag IN LISTS _wsaevents_cflags)
    if(_wsaevents_flag MATCHES "^-I(.+)$")
        list(APPEND _wsaevents_includes "${CMAKE_MATCH_1}")
    endif()
endforeach()

# "-framework X" (macOS) stays one item; "-lfoo" items are passed to the linker as they are.
set(_wsaevents_system_libs "")
separate_arguments(_wsaevents_private UNIX_COMMAND "${WSAEVENTS_PC_Libs.private}")
set(_wsaevents_framework FALSE)
foreach(_wsaevents_item IN LISTS _wsaevents_private)
    if(_wsaevents_framework)
        list(APPEND _wsaevents_system_libs "-framework ${_wsaevents_item}")
        set(_wsaevents_framework FALSE)
    elseif(_wsaevents_item STREQUAL "-framework")
        set(_wsaevents_framework TRUE)
    else()
        list(APPEND _wsaevents_system_libs "${_wsaevents_item}")
    endif()
endforeach()

set(_wsaevents_libdir "${_wsaevents_pcvar_libdir}")
if(APPLE)
    set(_wsaevents_shared "${_wsaevents_libdir}/libwsaevents.dylib")
else()
    set(_wsaevents_shared "${_wsaevents_libdir}/libwsaevents.so")
endif()
set(_wsaevents_static "${_wsaevents_libdir}/libwsaevents.a")

foreach(_wsaevents_file IN ITEMS "${_wsaevents_shared}" "${_wsaevents_static}")
    if(NOT EXISTS "${_wsaevents_file}")
        set(wsaevents_FOUND FALSE)
        set(wsaevents_NOT_FOUND_MESSAGE "${_wsaevents_file} is missing: reinstall wsaevents")
        return()
    endif()
endforeach()

if(NOT TARGET wsaevents::wsaevents)
    add_library(wsaevents::wsaevents SHARED IMPORTED)
    set_target_properties(wsaevents::wsaevents PROPERTIES
        IMPORTED_LOCATION "${_wsaevents_shared}"
        INTERFACE_INCLUDE_DIRECTORIES "${_wsaevents_includes}")
endif()
if(NOT TARGET wsaevents::wsaevents_static)
    add_library(wsaevents::wsaevents_static STATIC IMPORTED)
    set_target_properties(wsaevents::wsaevents_static PROPERTIES
        IMPORTED_LOCATION "${_wsaevents_static}"
        IMPORTED_LINK_INTERFACE_LANGUAGES "C"
        INTERFACE_INCLUDE_DIRECTORIES "${_wsaevents_includes}"
        INTERFACE_LINK_LIBRARIES "${_wsaevents_system_libs}")
endif()

set(wsaevents_INCLUDE_DIRS "${_wsaevents_includes}")
set(wsaevents_LIBRARY_DIR "${_wsaevents_libdir}")
