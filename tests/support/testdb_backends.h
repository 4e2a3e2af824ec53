/* The entries of testdb.c's backend table, one file each
 * (testdb_<name>.c). A new backend adds its file and its line here. */
#ifndef PRISMAC_TESTDB_BACKENDS_H
#define PRISMAC_TESTDB_BACKENDS_H

#include "testdb.h"

extern const testdb_backend testdb_sqlite;
extern const testdb_backend testdb_postgresql;

#endif
