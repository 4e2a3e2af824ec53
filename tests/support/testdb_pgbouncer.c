/* The PgBouncer test backend: the PostgreSQL test server behind PgBouncer in
 * transaction mode (pgbouncer.h), reached with pgbouncer=true. Only the
 * crud, transactions and nested-writes suites run on it (tests/meson.build).
 * What a pooler changes: a session is not the client's (no pid to find and
 * end, nothing prepared kept on it). */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "pgbouncer.h"
#include "testdb.h"

static const char *direct_url; /* the server's own: reset goes there */

static int prepare(char *url, size_t cap, bool *skipped, char *err, size_t errlen)
{
    int skip = 0;
    const char *pooled = pgbouncer_shared_url(&direct_url, &skip, err, errlen);
    *skipped = skip != 0;
    if (*skipped)
        snprintf(err, errlen, "PRISMAC_SKIP_POSTGRES=1");
    if (!pooled)
        return -1;
    snprintf(url, cap, "%s%spgbouncer=true", pooled, strchr(pooled, '?') ? "&" : "?");
    return 0;
}

/* TRUNCATE on the server directly (libpq knows no pgbouncer= parameter). */
static int reset(const char *url, const char *const *tables, size_t n)
{
    (void)url;
    if (!direct_url)
        return -1;
    PGconn *pg = PQconnectdb(direct_url);
    if (PQstatus(pg) != CONNECTION_OK) {
        PQfinish(pg);
        return -1;
    }
    char sql[4096] = "TRUNCATE ";
    for (size_t i = 0; i < n; i++) {
        strcat(sql, i ? ", \"" : "\"");
        strcat(sql, tables[i]);
        strcat(sql, "\"");
    }
    strcat(sql, " RESTART IDENTITY CASCADE");
    PGresult *res = PQexec(pg, sql);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
    PQclear(res);
    PQfinish(pg);
    return rc;
}

static void sleep_sql(char *buf, size_t cap, int ms)
{
    snprintf(buf, cap, "SELECT pg_sleep(%d.%03d)", ms / 1000, ms % 1000);
}

static const char *raw_unique_violation(const char *table, const char *column, bool primary_key)
{
    if (primary_key)
        return testdb_sql("Code: `23505`. Message: `duplicate key value violates unique constraint \"%s_pkey\"`", table);
    return testdb_sql("Code: `23505`. Message: `duplicate key value violates unique constraint \"%s_%s_key\"`", table,
                      column);
}

static const char *check_violation(const char *constraint)
{
    return testdb_sql("violates check constraint \"%s\"", constraint);
}

static const char *raw_syntax_error(const char *near)
{
    return testdb_sql("Code: `42601`. Message: `syntax error at or near \"%s\"`", near);
}

const testdb_backend testdb_pgbouncer = {
    .name = "pgbouncer",
    .title = "PostgreSQL through PgBouncer (transaction mode)",
    .prepare = prepare,
    .reset = reset,
    .every_isolation_level = true,
    .concurrent_write_transactions = true,
    .error_aborts_transaction = true,
    .deferred_begin = true,
    .exact_decimals = true,
    .serialization_conflicts = true,
    /* The server session serving a transaction is the pooler's choice: a
     * pid read in one transaction names no session of this client. */
    .sessions_have_pids = false,
    /* pgbouncer=true prepares nothing on the server. */
    .count_prepared_sql = NULL,
    .names_violated_foreign_key = true,
    .alter_adds_constraints = true,
    .has_boolean = true,
    .keeps_negative_zero = true,
    .scalar_lists = true,
    .keeps_datetime_offsets = false,
    .placeholder = '$',
    .for_update = " FOR UPDATE",
    .rollback_to = "ROLLBACK TO SAVEPOINT ",
    .byte_order = " COLLATE \"C\"",
    .cast_bytes = "::bytea",
    .cast_text = "::text",
    .cast_float = "::float8",
    .sleep_sql = sleep_sql,
    .unreachable_url = "postgresql://nobody@127.0.0.1:1/none?pgbouncer=true",
    .unreachable_code = "P1001",
    .unreachable_mention = "127.0.0.1:1",
    .unique_code = "23505",
    .raw_unique_violation = raw_unique_violation,
    .raw_syntax_error = raw_syntax_error,
    .check_violation = check_violation,
};
