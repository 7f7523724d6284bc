# Part of wsaevents' CMake package: reads the wsaevents.pc installed with it, so that the
# paths, the version and the system libraries have one source, written by the installer
# (install.sh or cargo-c's cargo cinstall). Sets _wsaevents_pc (the file, or empty),
# WSAEVENTS_PC_<Field> for its fields (Version, Cflags, Libs, Libs.private) and
# _wsaevents_pcvar_<name> for its variables (libdir, includedir), ${...} expanded.
#
# This package sits in <libdir>/cmake/wsaevents/ (install.sh) or
# <prefix>/share/cmake/wsaevents/ (cargo cinstall, whose libdir may be lib/<multiarch>).
set(_wsaevents_pc "")
foreach(_wsaevents_dir
        "${CMAKE_CURRENT_LIST_DIR}/../../pkgconfig"
        "${CMAKE_CURRENT_LIST_DIR}/../../../lib/${CMAKE_LIBRARY_ARCHITECTURE}/pkgconfig"
        "${CMAKE_CURRENT_LIST_DIR}/../../../lib64/pkgconfig"
        "${CMAKE_CURRENT_LIST_DIR}/../../../lib/pkgconfig")
    if(NOT _wsaevents_pc AND EXISTS "${_wsaevents_dir}/wsaevents.pc")
        get_filename_component(_wsaevents_pc "${_wsaevents_dir}/wsaevents.pc" ABSOLUTE)
    endif()
endforeach()

if(_wsaevents_pc)
    file(STRINGS "${_wsaevents_pc}" _wsaevents_lines)
    set(_wsaevents_vars "")
    foreach(_wsaevents_line IN LISTS _wsaevents_lines)
        if(_wsaevents_line MATCHES "^([A-Za-z0-9_.]+)[ \t]*([=:])[ \t]*(.*)$")
            set(_wsaevents_key "${CMAKE_MATCH_1}")
            set(_wsaevents_sep "${CMAKE_MATCH_2}")
            set(_wsaevents_value "${CMAKE_MATCH_3}")
            foreach(_wsaevents_var IN LISTS _wsaevents_vars)
                string(REPLACE "\${${_wsaevents_var}}" "${_wsaevents_pcvar_${_wsaevents_var}}"
                    _wsaevents_value "${_wsaevents_value}")
            endforeach()
            if(_wsaevents_sep STREQUAL "=")
                set(_wsaevents_pcvar_${_wsaevents_key} "${_wsaevents_value}")
                list(APPEND _wsaevents_vars "${_wsaevents_key}")
            else()
                set(WSAEVENTS_PC_${_wsaevents_key} "${_wsaevents_value}")
            endif()
        endif()
    endforeach()
endif()
