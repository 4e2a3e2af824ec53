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
#include "testdb_postgresql.h"

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
    return direct_url ? testdb_pg_truncate(direct_url, tables, n) : -1;
}

const testdb_backend testdb_pgbouncer = {
    .name = "pgbouncer",
    .title = "PostgreSQL through PgBouncer (transaction mode)",
    .prepare = prepare,
    .reset = reset,
    TESTDB_PG_SPELLING,
    /* The server session serving a transaction is the pooler's choice: a
     * pid read in one transaction names no session of this client. */
    .sessions_have_pids = false,
    /* pgbouncer=true prepares nothing on the server. */
    .count_prepared_sql = NULL,
    .unreachable_url = "postgresql://nobody@127.0.0.1:1/none?pgbouncer=true",
    .unreachable_code = "P1001",
    .unreachable_mention = "`127.0.0.1`:`1`",
};
