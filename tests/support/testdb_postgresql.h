/* What the test backends that speak PostgreSQL's protocol share
 * (testdb_postgresql.c, testdb_pgbouncer.c): the server's capabilities and
 * spelling, and its helpers. */
#ifndef PRISMAC_TESTS_TESTDB_POSTGRESQL_H
#define PRISMAC_TESTS_TESTDB_POSTGRESQL_H

#include "testdb.h"

/* TRUNCATE ... RESTART IDENTITY CASCADE of the tables, on the server at url. */
int testdb_pg_truncate(const char *url, const char *const *tables, size_t n);
void testdb_pg_sleep_sql(char *buf, size_t cap, int ms);
const char *testdb_pg_flaky_setup(int fails, int k);
const char *testdb_pg_raw_unique_violation(const char *table, const char *column, const char *value,
                                           bool primary_key);
const char *testdb_pg_check_violation(const char *constraint);
const char *testdb_pg_raw_syntax_error(const char *statement);

/* The designated initializers of a testdb_backend that are the server's own. */
#define TESTDB_PG_SPELLING                                                                       \
    .every_isolation_level = true, .concurrent_write_transactions = true,                        \
    .error_aborts_transaction = true, .deferred_begin = true, .exact_decimals = true,           \
    .serialization_conflicts = true, .isolation_in_session = true, .names_violated_foreign_key = true,\
    .alter_adds_constraints = true, .has_boolean = true, .keeps_negative_zero = true,            \
    .scalar_lists = true, .insensitive_mode = true, .other_provider_url = "mysql://localhost/x",     \
    .json_index_from_end = true, .raw_boolean_columns = true, .update_returning = true,          \
    .keeps_datetime_offsets = false, /* timestamp (without time zone) drops the offset */       \
    .placeholder = '$', .for_update = " FOR UPDATE", .rollback_to = "ROLLBACK TO SAVEPOINT ",    \
    .byte_order = " COLLATE \"C\"", .cast_bytes = "::bytea", .cast_text = "::text",             \
    .cast_float = "::float8", .double_type = "REAL", .shape_sql = testdb_circle_sql, .shape_text = testdb_circle_text,    \
    .shape_of = testdb_cast_as_text, .text_of = testdb_cast_as_text, .sleep_sql = testdb_pg_sleep_sql,   \
    .flaky_setup = testdb_pg_flaky_setup, .flaky_runs_sql = "SELECT last_value FROM regressions_attempts", .unique_code = "23505",          \
    .deadlock_code = "40P01",                                                                    \
    .raw_unique_violation = testdb_pg_raw_unique_violation,                                      \
    .raw_syntax_error = testdb_pg_raw_syntax_error, .check_violation = testdb_pg_check_violation

#endif
