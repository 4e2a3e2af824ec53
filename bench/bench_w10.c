/* W10 of shared/bench/WORKLOAD.md: group users by name (20 values, set up
 * untimed), the sum and average of balance and the count of each group,
 * having more than 10 names, ordered by the sum of balance descending;
 * through the generated client (user_group_by) and through a hand-written
 * prepared statement, both reading every column of every row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_w10.h"
#include "client.h"

#if defined(BENCH_PG)
#include <libpq-fe.h>
#elif defined(BENCH_MYSQL)
#include "bench_mysql.h"
#else
#include <sqlite3.h>
#endif

static prisma_client *db;
static volatile int64_t sink;
static double dsink;

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "bench: %s: %s\n", what, detail ? detail : "");
    exit(1);
}

#if defined(BENCH_MYSQL)
/* MySQL quotes names with backticks, and its || is OR. */
static const char setup_sql[] = "UPDATE `User` SET `name` = CONCAT('name', `id` % 20)";
#else
static const char setup_sql[] = "UPDATE \"User\" SET \"name\" = 'name' || (\"id\" % 20)";
#endif
static const char w10_sql[] =
    "SELECT \"name\", SUM(\"balance\"), AVG(\"balance\"), COUNT(*) FROM \"User\" GROUP BY \"name\" "
#if defined(BENCH_PG)
    "HAVING COUNT(\"name\") > $1 "
#else
    "HAVING COUNT(\"name\") > ? "
#endif
    "ORDER BY SUM(\"balance\") DESC";

static const UserScalarField by_name[] = { USER_FIELD_NAME };

static void pw10(int i)
{
    (void)i;
    static const UserNumberAggregateInput balance = { .balance = true };
    static const UserCountAggregateInput all = { ._all = true };
    UserGroupByOrderByInput order = { ._sum = { .balance = PRISMA_DESC } };
    UserScalarWhereWithAggregatesInput having = { .name = { ._count = { .gt = PRISMA_BIGINT(10) } } };
    UserGroupByList *l;
    if (user_group_by(db, &(UserGroupByArgs){ .by = by_name, .by_len = 1, .order_by = &order, .order_by_len = 1,
                                              .having = &having, ._sum = &balance, ._avg = &balance, ._count = &all },
                      &l) != PRISMA_OK)
        fail("W10", prisma_error_message(db));
    for (size_t k = 0; k < l->len; k++) {
        const UserGroupBy *g = &l->items[k];
        sink += (int64_t)strlen(g->name) + (g->_sum.balance ? *g->_sum.balance : 0) + g->_count._all;
        dsink += g->_avg.balance ? *g->_avg.balance : 0;
    }
    user_group_by_list_free(l);
}

#if defined(BENCH_PG)
static PGconn *raw;

static void rw10(int i)
{
    (void)i;
    const char *vals[] = { "10" };
    PGresult *r = PQexecPrepared(raw, "w10", 1, vals, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail("raw W10", PQerrorMessage(raw));
    for (int k = 0; k < PQntuples(r); k++) {
        sink += (int64_t)strlen(PQgetvalue(r, k, 0)) + strtoll(PQgetvalue(r, k, 1), NULL, 10) +
                strtoll(PQgetvalue(r, k, 3), NULL, 10);
        dsink += strtod(PQgetvalue(r, k, 2), NULL);
    }
    PQclear(r);
}

static void raw_setup(void)
{
    PGresult *r = PQexec(raw, setup_sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail("raw W10 setup", PQerrorMessage(raw));
    PQclear(r);
    r = PQprepare(raw, "w10", w10_sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail("raw W10 prepare", PQerrorMessage(raw));
    PQclear(r);
}

static void raw_done(void) {}
#elif defined(BENCH_MYSQL)
static MYSQL *raw;
static bm_stmt *s_w10;

static void rw10(int i)
{
    (void)i;
    int64_t s = 0;
    bm_run(s_w10, (bm_param[]){ BM_I(10) }, 1, &s, NULL, 0, NULL);
    sink += s;
}

static void raw_setup(void)
{
    bm_query(raw, setup_sql);
    s_w10 = bm_prepare(raw, w10_sql);
}

static void raw_done(void)
{
    bm_close(s_w10);
}
#else
static sqlite3 *raw;
static sqlite3_stmt *s_w10;

static void rw10(int i)
{
    (void)i;
    sqlite3_bind_int(s_w10, 1, 10);
    int rc;
    while ((rc = sqlite3_step(s_w10)) == SQLITE_ROW) {
        sink += sqlite3_column_bytes(s_w10, 0) + (int64_t)(sqlite3_column_text(s_w10, 0) != NULL) +
                sqlite3_column_int64(s_w10, 1) + sqlite3_column_int64(s_w10, 3);
        dsink += sqlite3_column_double(s_w10, 2);
    }
    if (rc != SQLITE_DONE)
        fail("raw W10", sqlite3_errmsg(raw));
    sqlite3_reset(s_w10);
}

static void raw_setup(void)
{
    if (sqlite3_exec(raw, setup_sql, NULL, NULL, NULL) != SQLITE_OK)
        fail("raw W10 setup", sqlite3_errmsg(raw));
    if (sqlite3_prepare_v3(raw, w10_sql, -1, SQLITE_PREPARE_PERSISTENT, &s_w10, NULL) != SQLITE_OK)
        fail("raw W10 prepare", sqlite3_errmsg(raw));
}

static void raw_done(void)
{
    sqlite3_finalize(s_w10);
}
#endif

void bench_w10(prisma_client *client, void *raw_handle, int n, bench_measure_fn measure, bench_report_fn report)
{
    db = client;
    raw = raw_handle;
    int64_t changed = 0;
    if (prisma_execute_raw(db, setup_sql, NULL, 0, &changed) != PRISMA_OK)
        fail("W10 setup", prisma_error_message(db));
    raw_setup();
    double p, r;
    measure(pw10, rw10, 0, n / 10 > 0 ? n / 10 : 1, &p, &r); /* warm-up */
    measure(pw10, rw10, 0, n, &p, &r);
    report("W10", p, r);
    raw_done();
    if (sink == 42 && dsink < 0)
        printf("\n");
}
