/* stub, replaced by the real tests */
#include "testutil.h"
static void test_stub(void **state) { (void)state; assert_int_equal(mtasts_errname(MTASTS_OK)[0], 'O'); }
int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_stub)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
