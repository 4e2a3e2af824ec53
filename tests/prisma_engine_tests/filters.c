#include "engine_tests.h"
void filters_tests(TCase *tc) { (void)tc; }
