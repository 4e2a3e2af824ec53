/* Test databases for behaviour tests: a SQLite file in a temporary folder,
 * or a database on the throwaway PostgreSQL server (pgserver.h), with the
 * schema pushed by `prismac db push`. */
#ifndef PRISMAC_TESTDB_H
#define PRISMAC_TESTDB_H

#include <stdbool.h>
#include <stddef.h>

/* Prepares a database for `schema_path` and returns its URL (static storage).
 * backend: "sqlite" or "postgresql". prismac: the prismac binary.
 * On failure returns NULL and writes the reason to errbuf; *skipped is set
 * when the user opted out of PostgreSQL tests (PRISMAC_SKIP_POSTGRES=1). */
const char *testdb_setup(const char *backend, const char *prismac, const char *schema_path, bool *skipped,
                         char *errbuf, size_t errlen);

/* Empties every table of the database (between tests). Returns 0 or -1. */
int testdb_truncate(const char *url, const char *const *tables, size_t n);

/* Runs a program with arguments; returns its exit status, or -1. Output goes
 * to a file whose content is copied to `out` (may be NULL). */
int testdb_run(const char *const *argv, char *out, size_t outlen);

#endif
