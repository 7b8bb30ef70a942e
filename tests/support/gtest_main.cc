// The main() of every GoogleTest binary in tests/ (target mtasts::gtest_main). GoogleTest 1.12
// exits 0 when --gtest_filter selects no test, so a renamed suite would turn its ctest test into
// a silent pass; here a run that selects nothing fails and says why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>

int main(int argc, char** argv) {
  testing::InitGoogleMock(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  if (GTEST_FLAG_GET(list_tests)) return failed;
  if (testing::UnitTest::GetInstance()->test_to_run_count() == 0) {
    std::cerr << argv[0] << ": no test matches --gtest_filter=" << GTEST_FLAG_GET(filter)
              << "; a run that tests nothing fails\n";
    return 1;
  }
  return failed;
}
