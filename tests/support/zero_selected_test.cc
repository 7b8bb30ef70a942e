// One passing test, for gtest_main.zero_selected_fails: run with a filter that selects nothing,
// this binary must fail.
#include <gtest/gtest.h>

TEST(ZeroSelectedTest, Passes) { SUCCEED(); }
