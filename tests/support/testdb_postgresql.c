/* The PostgreSQL test backend: the throwaway server of pgserver.c, shared by
 * the process (PRISMAC_SKIP_POSTGRES=1 skips, PRISMAC_TEST_PG_URL uses another). */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "pgserver.h"
#include "testdb.h"
#include "testdb_postgresql.h"

static int prepare(char *url, size_t cap, bool *skipped, char *err, size_t errlen)
{
    int skip = 0;
    const char *base = pgserver_shared_url(&skip, err, errlen);
    *skipped = skip != 0;
    if (*skipped)
        snprintf(err, errlen, "PRISMAC_SKIP_POSTGRES=1");
    if (!base)
        return -1;
    snprintf(url, cap, "%s", base);
    return 0;
}

int testdb_pg_truncate(const char *url, const char *const *tables, size_t n)
{
    PGconn *pg = PQconnectdb(url);
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

void testdb_pg_sleep_sql(char *buf, size_t cap, int ms)
{
    snprintf(buf, cap, "SELECT pg_sleep(%d.%03d)", ms / 1000, ms % 1000);
}

const char *testdb_pg_flaky_setup(int fails, int k)
{
    switch (k) {
    case 0:
        return "CREATE SEQUENCE IF NOT EXISTS regressions_attempts";
    case 1:
        return "SELECT setval('regressions_attempts', 1, false)";
    case 2:
        return testdb_sql("CREATE OR REPLACE FUNCTION regressions_flaky() RETURNS int AS $f$ BEGIN "
                          "IF nextval('regressions_attempts') <= %d THEN "
                          "RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END IF; "
                          "RETURN 1; END $f$ LANGUAGE plpgsql",
                          fails);
    default:
        return NULL;
    }
}

const char *testdb_pg_raw_unique_violation(const char *table, const char *column, const char *value, bool primary_key)
{
    (void)value; /* the value is in the DETAIL, which the message leaves out */
    if (primary_key)
        return testdb_sql("Code: `23505`. Message: `duplicate key value violates unique constraint \"%s_pkey\"`", table);
    return testdb_sql("Code: `23505`. Message: `duplicate key value violates unique constraint \"%s_%s_key\"`", table,
                      column);
}

const char *testdb_pg_check_violation(const char *constraint)
{
    return testdb_sql("violates check constraint \"%s\"", constraint);
}

const char *testdb_pg_raw_syntax_error(const char *statement)
{
    /* PostgreSQL quotes the token where it stopped: the statement's first word. */
    return testdb_sql("Code: `42601`. Message: `syntax error at or near \"%.*s\"`", (int)strcspn(statement, " "),
                      statement);
}

const testdb_backend testdb_postgresql = {
    .name = "postgresql",
    .title = "PostgreSQL",
    .prepare = prepare,
    .reset = testdb_pg_truncate,
    TESTDB_PG_SPELLING,
    .sessions_have_pids = true,
    .count_prepared_sql = "SELECT count(*)::int AS n FROM pg_prepared_statements",
    .unreachable_url = "postgresql://nobody@127.0.0.1:1/none",
    .unreachable_code = "P1001",
    .unreachable_mention = "`127.0.0.1`:`1`",
};
