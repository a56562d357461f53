# kolokol_module(NAME <name> LAYER <n> SOURCES ... DEPS ...)
#
# Every module declares its layer (ARCHITECTURE.md section 1). A module may link only modules of
# a lower layer or of its own layer; the check below fails the configure step otherwise, so the
# layering is enforced by the build, not by review.
#   0 base  1 runtime  2 config, storage (interfaces and backends)
#   3 sip/msg, sdp, directory, media/{rtp,codec,dsp,audio,record,mix}
#   4 sip/transport, sip/auth, media/engine  5 sip/txn  6 sip/dialog  7 sip/core
#   8 registrar, call (over sip/dialog and media/engine), api
#   9 pbx (the SIP PBX over registrar and call)  server: the kolokold executable over all
function(kolokol_module)
  cmake_parse_arguments(M "" "NAME;LAYER" "SOURCES;DEPS;EXTERNAL" ${ARGN})
  if(M_SOURCES)
    add_library(${M_NAME} STATIC ${M_SOURCES})
    set(scope PUBLIC)
  else()
    add_library(${M_NAME} INTERFACE)  # headers only, for now
    set(scope INTERFACE)
  endif()
  target_include_directories(${M_NAME} ${scope} ${PROJECT_SOURCE_DIR}/src)
  set_property(TARGET ${M_NAME} PROPERTY KOLOKOL_LAYER ${M_LAYER})
  foreach(dep IN LISTS M_DEPS)
    get_property(dep_layer TARGET ${dep} PROPERTY KOLOKOL_LAYER)
    if(dep_layer STREQUAL "")
      message(FATAL_ERROR "${M_NAME}: dependency ${dep} is not a kolokol module (declare it first)")
    endif()
    if(dep_layer GREATER M_LAYER)
      message(FATAL_ERROR "${M_NAME} (layer ${M_LAYER}) must not depend on ${dep} (layer ${dep_layer})")
    endif()
  endforeach()
  target_link_libraries(${M_NAME} ${scope} ${M_DEPS} ${M_EXTERNAL})
endfunction()
