#include "engine_tests.h"
void order_by_tests(TCase *tc) { (void)tc; }
