/* The SQLite test backend: a file in a fresh temporary folder. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testdb.h"

static int prepare(char *url, size_t cap, bool *skipped, char *err, size_t errlen)
{
    *skipped = false;
    char dir[] = "/tmp/prismac-test-XXXXXX";
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, "mkdtemp failed");
        return -1;
    }
    snprintf(url, cap, "file:%s/test.db", dir);
    return 0;
}

static int reset(const char *url, const char *const *tables, size_t n)
{
    sqlite3 *db;
    if (sqlite3_open(url + 5, &db) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    /* One transaction for every table: one journal and one fsync per reset,
     * not one per table (the prisma_engine_tests schema has over 80 tables,
     * reset before each of its 200+ tests). */
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char sql[512];
        snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", tables[i]);
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    }
    /* No AUTOINCREMENT table means no sqlite_sequence: not an error. A
     * statement that fails inside a transaction leaves it open, and the
     * deletes before it stay part of it. */
    if (rc == 0)
        (void)sqlite3_exec(db, "DELETE FROM sqlite_sequence", NULL, NULL, NULL);
    if (rc == 0)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    if (rc != 0)
        (void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static const char *raw_unique_violation(const char *table, const char *column, const char *value, bool primary_key)
{
    (void)value; /* SQLite names the column, not the value */
    /* SQLITE_CONSTRAINT_PRIMARYKEY (1555) or SQLITE_CONSTRAINT_UNIQUE (2067) */
    return testdb_sql("Code: `%s`. Message: `UNIQUE constraint failed: %s.%s`", primary_key ? "1555" : "2067", table,
                      column);
}

static const char *raw_syntax_error(const char *statement)
{
    /* SQLite quotes the token where it stopped: the statement's first word. */
    return testdb_sql("Code: `1`. Message: `near \"%.*s\": syntax error`", (int)strcspn(statement, " "), statement);
}

const testdb_backend testdb_sqlite = {
    .name = "sqlite",
    .title = "SQLite",
    .prepare = prepare,
    .reset = reset,
    .every_isolation_level = false,
    .concurrent_write_transactions = false,
    .error_aborts_transaction = false,
    .deferred_begin = false,
    .exact_decimals = false, /* DECIMAL affinity keeps 15 significant digits */
    .serialization_conflicts = false,
    .sessions_have_pids = false,
    .count_prepared_sql = NULL,
    .names_violated_foreign_key = false,
    .alter_adds_constraints = false,
    .has_boolean = false,
    .keeps_negative_zero = false, /* REAL stores a whole number as an integer: -0.0 is 0 */
    .scalar_lists = false, /* Prisma refuses String[] on SQLite */
    .insensitive_mode = true,
    .json_index_from_end = true, /* $[#-1] */
    .raw_boolean_columns = true, /* by the declared type */
    .update_returning = true,
    .other_provider_url = "mysql://localhost/x",
    .keeps_datetime_offsets = true, /* the text as another program wrote it */
    .placeholder = '?',
    .for_update = "",
    .rollback_to = "ROLLBACK TO ",
    .byte_order = "", /* BINARY is SQLite's default collation */
    .cast_bytes = "",
    .cast_text = "",
    .cast_float = "",
    .shape_sql = testdb_circle_sql, /* any type name: the text as written */
    .shape_text = testdb_circle_text,
    .shape_of = testdb_cast_as_text,
    .text_of = testdb_cast_as_text,
    .double_type = "REAL",
    .sleep_sql = NULL,
    .unreachable_url = "file:/nonexistent-dir/x/y.db",
    .unreachable_code = NULL,
    .unreachable_mention = NULL,
    .unique_code = "2067",
    .raw_unique_violation = raw_unique_violation,
    .raw_syntax_error = raw_syntax_error,
    .check_violation = NULL,
};
