# mtasts_check_gtest_binaries(DIR): fails configuration when a GoogleTest binary under DIR could
# pass without testing: each must link mtasts::gtest_main (not GoogleTest's own main, which
# passes a run that selects no test) and be registered with mtasts_gtest(), so each of its tests
# is a ctest test of its own. (That every test has a TIMEOUT is checked when ctest runs, by
# tests.every_test_has_timeout, which also sees the tests discovered from the binaries.)
function(mtasts_check_gtest_binaries dir)
  get_property(registered GLOBAL PROPERTY MTASTS_GTEST_TARGETS)
  set(problems "")
  set(pending ${dir})
  while(pending)
    list(POP_FRONT pending current)
    get_property(subdirs DIRECTORY ${current} PROPERTY SUBDIRECTORIES)
    list(APPEND pending ${subdirs})
    get_property(targets DIRECTORY ${current} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target IN LISTS targets)
      get_property(libs TARGET ${target} PROPERTY LINK_LIBRARIES)
      if("GTest::gtest_main" IN_LIST libs OR "GTest::gmock_main" IN_LIST libs)
        list(APPEND problems "${target} links GoogleTest's main; link mtasts::gtest_main")
      elseif("mtasts::gtest_main" IN_LIST libs AND NOT target IN_LIST registered
             AND NOT target STREQUAL "zero_selected_test")
        list(APPEND problems "${target} is not registered with mtasts_gtest()")
      endif()
    endforeach()
  endwhile()
  if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "GoogleTest binaries that could pass without testing:\n  ${text}")
  endif()
endfunction()
