#include "engine_tests.h"
void top_level_writes_tests(TCase *tc) { (void)tc; }
