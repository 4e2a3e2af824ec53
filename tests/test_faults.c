/* Faults and hostile values (issue 11, item 6): DateTimes at the edges of
 * what the databases hold, connections the server ends (a lost connection is
 * P1017; a dead idle connection is replaced, not handed to the next call).
 * Built once per backend of tests/meson.build's test_backends, on the CRUD
 * suite's schema. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include TEST_CLIENT_H
#include "pgserver.h"
#include "testmain.h"

static const char *url;
static prisma_client *db;

static const char *const tables[] = { "_PostToTag", "Post", "Profile", "users", "Tag", "Item", "Membership" };

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

#define CODE(c) (prisma_error_code(c) ? prisma_error_code(c) : "-")
#define OK_ON(c, call) ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, CODE(c), prisma_error_message(c))
#define OK(call) OK_ON(db, call)

static int32_t make_user(const char *email)
{
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = email }, &u));
    int32_t id = u->id;
    user_free(u);
    return id;
}

/* ---- DateTime ---- */

/* Instants both databases hold, as ms since the epoch (proleptic Gregorian);
 * those outside the years 0000-9999, MySQL's DATETIME refuses. */
static bool four_digit_year(int64_t ms)
{
    return ms >= -62167219200000 /* 0000-01-01 */ && ms < 253402300800000 /* 10000-01-01 */;
}

static const int64_t edge_instants[] = {
    253402300800000,        /* 10000-01-01 */
    327416976550500,        /* 12345-06-07 08:09:10.500 */
    9224318015999999,       /* 294276-12-31 23:59:59.999, PostgreSQL's last */
    -62135596800000,        /* 0001-01-01 */
    -62135596800500,        /* 1 BC, Dec 31 23:59:59.500 */
    -63517780800000,        /* 44 BC, Mar 15 12:00 */
    -210863520000000,       /* 4713 BC, Jan 1 */
    -210866803200000,       /* 4714 BC, Nov 24: PostgreSQL's first */
    -1,                     /* 1969-12-31 23:59:59.999 */
    500,
};

START_TEST(datetimes_at_the_edges_round_trip)
{
    for (size_t k = 0; k < sizeof edge_instants / sizeof edge_instants[0]; k++) {
        char email[32];
        snprintf(email, sizeof email, "dt%zu@x", k);
        User *u = NULL;
        if (testdb->datetime_years_0_to_9999 && !four_digit_year(edge_instants[k])) {
            ck_assert_int_eq(user_create(db, &(UserCreateInput){ .email = email, .birthday = PRISMA_DATETIME(edge_instants[k]) },
                                         &u),
                             PRISMA_ERROR);
            ck_assert_str_eq(CODE(db), "P2007");
            int64_t n = -1;
            OK(user_count(db, &(UserWhereInput){ .email = { .equals = email } }, &n));
            ck_assert_int_eq(n, 0);
            continue;
        }
        OK(user_create(db, &(UserCreateInput){ .email = email, .birthday = PRISMA_DATETIME(edge_instants[k]) }, &u));
        ck_assert_ptr_nonnull(u->birthday);
        ck_assert_msg(*u->birthday == edge_instants[k], "created %lld, returned %lld", (long long)edge_instants[k],
                      (long long)*u->birthday);
        int32_t id = u->id;
        user_free(u);
        OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u));
        ck_assert_ptr_nonnull(u);
        ck_assert_ptr_nonnull(u->birthday);
        ck_assert_msg(*u->birthday == edge_instants[k], "stored %lld, read %lld", (long long)edge_instants[k],
                      (long long)*u->birthday);
        user_free(u);
        /* Filters compare the same instant. */
        UserList *l = NULL;
        OK(user_find_many(db, &(UserFindManyArgs){ .where = &(UserWhereInput){
                                      .birthday = { .equals = PRISMA_DATETIME(edge_instants[k]) } } },
                          &l));
        ck_assert_uint_eq(l->len, 1);
        ck_assert_int_eq(l->items[0].id, id);
        user_list_free(l);
    }
}
END_TEST

/* Text another program wrote: read as the instant it names. */
START_TEST(datetime_text_written_by_raw_sql_reads_as_its_instant)
{
    static const struct {
        const char *text;
        int64_t ms;
    } cases[] = {
        { "10000-01-01 00:00:00", 253402300800000 },
        { "12345-06-07 08:09:10.5", 327416976550500 },
        { "0044-03-15 12:00:00 BC", -63517780800000 },
        { "4713-01-01 00:00:00 BC", -210863520000000 },
        { "4714-11-24 00:00:00 BC", -210866803200000 },
        { "2024-02-29 23:59:59.999", 1709251199999 },
    };
    int32_t id = make_user("raw@x");
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int64_t n = 0;
        prisma_raw_value p[] = { PRISMA_RAW_TEXT_V(cases[k].text), PRISMA_RAW_INT_V(id) };
        const char *sql = testdb_sql("UPDATE users SET birthday = $1%s WHERE id = $2",
                                     testdb->placeholder == '$' ? "::timestamp" : "");
        if (testdb->datetime_years_0_to_9999 && !four_digit_year(cases[k].ms)) {
            /* Text DATETIME cannot hold: the database's own refusal. */
            ck_assert_int_eq(prisma_execute_raw(db, sql, p, 2, &n), PRISMA_ERROR);
            ck_assert_str_eq(CODE(db), "P2010");
            continue;
        }
        OK(prisma_execute_raw(db, sql, p, 2, &n));
        ck_assert_int_eq(n, 1);
        User *u = NULL;
        OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u));
        ck_assert_ptr_nonnull(u->birthday);
        ck_assert_msg(*u->birthday == cases[k].ms, "%s: read %lld, want %lld", cases[k].text, (long long)*u->birthday,
                      (long long)cases[k].ms);
        user_free(u);
    }
}
END_TEST

/* infinity and -infinity are no instant: refused (P2023), never read as 1970. */
START_TEST(infinite_datetimes_are_refused)
{
    static const char *const texts[] = { "infinity", "-infinity" };
    int32_t id = make_user("inf@x");
    if (testdb->datetime_years_0_to_9999) {
        /* DATETIME has no infinity (the database refuses the text); its
         * value that is no instant is the zero date. */
        const char *sql = testdb_sql("UPDATE users SET birthday = $1 WHERE id = $2");
        for (size_t k = 0; k < 2; k++) {
            prisma_raw_value p[] = { PRISMA_RAW_TEXT_V(texts[k]), PRISMA_RAW_INT_V(id) };
            ck_assert_int_eq(prisma_execute_raw(db, sql, p, 2, NULL), PRISMA_ERROR);
            ck_assert_str_eq(CODE(db), "P2010");
        }
        prisma_raw_value p[] = { PRISMA_RAW_TEXT_V("0000-00-00 00:00:00"), PRISMA_RAW_INT_V(id) };
        OK(prisma_execute_raw(db, sql, p, 2, NULL));
        User *u = (User *)1;
        ck_assert_int_eq(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u), PRISMA_ERROR);
        ck_assert_str_eq(CODE(db), "P2023");
        ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "Inconsistent column data"));
        ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "User.birthday"));
        UserList *l = NULL;
        ck_assert_int_eq(user_find_many(db, NULL, &l), PRISMA_ERROR);
        ck_assert_str_eq(CODE(db), "P2023");
        return;
    }
    for (size_t k = 0; k < 2; k++) {
        int64_t n = 0;
        prisma_raw_value p[] = { PRISMA_RAW_TEXT_V(texts[k]), PRISMA_RAW_INT_V(id) };
        OK(prisma_execute_raw(db, testdb_sql("UPDATE users SET birthday = $1%s WHERE id = $2",
                                             testdb->placeholder == '$' ? "::timestamp" : ""),
                              p, 2, &n));
        User *u = (User *)1;
        ck_assert_int_eq(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u), PRISMA_ERROR);
        ck_assert_str_eq(CODE(db), "P2023");
        ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "Inconsistent column data"));
        ck_assert_ptr_nonnull(strstr(prisma_error_message(db), texts[k]));
        ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "User.birthday"));
        UserList *l = NULL;
        ck_assert_int_eq(user_find_many(db, NULL, &l), PRISMA_ERROR);
        ck_assert_str_eq(CODE(db), "P2023");
    }
}
END_TEST

/* ---- connections the server ends ---- */

/* url with connection_limit=n. */
static const char *url_with_limit(int n)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s%cconnection_limit=%d", url, strchr(url, '?') ? '&' : '?', n);
    return buf;
}

static int64_t query_int(prisma_client *c, const char *sql)
{
    prisma_raw_rows *rows = NULL;
    OK_ON(c, prisma_query_raw(c, sql, NULL, 0, &rows));
    ck_assert_uint_eq(rows->n_rows, 1);
    int64_t v = rows->values[0].i;
    prisma_free(rows);
    return v;
}

/* Ends session `pid` from another client, and waits until it is gone. */
static void terminate(int64_t pid)
{
    prisma_client *admin = NULL;
    ck_assert_msg(prisma_connect(&admin, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    prisma_raw_value p[] = { PRISMA_RAW_INT_V(pid) };
    prisma_raw_rows *rows = NULL;
    OK_ON(admin, prisma_query_raw(admin, "SELECT pg_terminate_backend($1::int)", p, 1, &rows));
    prisma_free(rows);
    for (int i = 0; i < 500; i++) {
        OK_ON(admin, prisma_query_raw(admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int", p, 1, &rows));
        int64_t left = rows->values[0].i;
        prisma_free(rows);
        if (!left)
            break;
        nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
    }
    prisma_disconnect(admin);
}

/* A connection the server ended while it sat in the pool: the next call
 * takes a fresh one and succeeds, every kind of call. */
START_TEST(a_dead_idle_connection_is_replaced)
{
    prisma_client *c = NULL;
    ck_assert_msg(prisma_connect(&c, url_with_limit(1)) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    for (int round = 0; round < 4; round++) {
        int64_t pid = query_int(c, "SELECT pg_backend_pid()");
        User *u = NULL;
        char email[32];
        snprintf(email, sizeof email, "idle%d@x", round);
        /* Warm the statement cache: the fresh connection must prepare again. */
        OK_ON(c, user_create(c, &(UserCreateInput){ .email = email }, &u));
        int32_t id = u->id;
        user_free(u);
        terminate(pid);
        switch (round) {
        case 0:
            OK_ON(c, user_find_unique(c, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u));
            ck_assert_ptr_nonnull(u);
            user_free(u);
            break;
        case 1:
            OK_ON(c, user_update(c, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) },
                                 &(UserUpdateInput){ .name = "after" }, &u));
            ck_assert_str_eq(u->name, "after");
            user_free(u);
            break;
        case 2: {
            prisma_client *tx = NULL;
            OK_ON(c, prisma_tx_begin(c, NULL, &tx));
            OK_ON(tx, user_delete(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u));
            user_free(u);
            OK_ON(tx, prisma_tx_commit(tx));
            prisma_tx_free(tx);
            break;
        }
        default: {
            int64_t n = 0;
            OK_ON(c, prisma_execute_raw(c, "DELETE FROM users", NULL, 0, &n));
            break;
        }
        }
        ck_assert_int_ne(query_int(c, "SELECT pg_backend_pid()"), pid);
    }
    prisma_disconnect(c);
}
END_TEST

/* Every connection of the pool ended at once (what a server restart does):
 * each dead one is dropped, and calls go on. */
START_TEST(a_pool_of_dead_connections_is_replaced)
{
    prisma_client *c = NULL;
    ck_assert_msg(prisma_connect(&c, url_with_limit(3)) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    /* Three connections open at once: three transactions. */
    prisma_client *tx[3];
    int64_t pids[3];
    for (int i = 0; i < 3; i++) {
        OK_ON(c, prisma_tx_begin(c, NULL, &tx[i]));
        prisma_raw_rows *rows = NULL;
        OK_ON(tx[i], prisma_query_raw(tx[i], "SELECT pg_backend_pid()", NULL, 0, &rows));
        pids[i] = rows->values[0].i;
        prisma_free(rows);
    }
    for (int i = 0; i < 3; i++) {
        OK_ON(tx[i], prisma_tx_commit(tx[i]));
        prisma_tx_free(tx[i]);
    }
    for (int i = 0; i < 3; i++)
        terminate(pids[i]);
    for (int i = 0; i < 5; i++) {
        char email[32];
        snprintf(email, sizeof email, "pool%d@x", i);
        User *u = NULL;
        OK_ON(c, user_create(c, &(UserCreateInput){ .email = email }, &u));
        user_free(u);
    }
    prisma_disconnect(c);
}
END_TEST

/* A connection ended while a transaction holds it: that call fails, with
 * Prisma's P1017, and the next call outside works. */
START_TEST(a_connection_lost_in_a_transaction_is_p1017)
{
    prisma_client *c = NULL;
    ck_assert_msg(prisma_connect(&c, url_with_limit(1)) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    int32_t id = make_user("lost@x");
    for (int round = 0; round < 3; round++) {
        prisma_client *tx = NULL;
        OK_ON(c, prisma_tx_begin(c, NULL, &tx));
        int64_t pid = query_int(tx, "SELECT pg_backend_pid()");
        terminate(pid);
        User *u = NULL;
        int rc;
        switch (round) {
        case 0: rc = user_find_unique(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u); break;
        case 1:
            rc = user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) },
                             &(UserUpdateInput){ .name = "never" }, &u);
            break;
        default: rc = prisma_tx_commit(tx); break;
        }
        ck_assert_int_eq(rc, PRISMA_ERROR);
        ck_assert_str_eq(CODE(tx), "P1017");
        ck_assert_str_eq(prisma_error_message(tx), "Server has closed the connection.");
        prisma_tx_rollback(tx);
        prisma_tx_free(tx);
        OK_ON(c, user_find_unique(c, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u));
        ck_assert_ptr_nonnull(u);
        ck_assert_ptr_null(u->name);
        user_free(u);
    }
    prisma_disconnect(c);
}
END_TEST

/* A statement running when the server ends the session: P1017, not P2039. */
START_TEST(a_connection_lost_mid_statement_is_p1017)
{
    prisma_client *c = NULL;
    ck_assert_msg(prisma_connect(&c, url_with_limit(1)) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    int64_t n = 0;
    /* The session ends itself while its statement runs. */
    int rc = prisma_execute_raw(c, "SELECT pg_terminate_backend(pg_backend_pid())", NULL, 0, &n);
    ck_assert_int_eq(rc, PRISMA_ERROR);
    ck_assert_str_eq(CODE(c), "P1017");
    ck_assert_str_eq(prisma_error_message(c), "Server has closed the connection.");
    User *u = NULL;
    OK_ON(c, user_create(c, &(UserCreateInput){ .email = "after@x" }, &u));
    user_free(u);
    prisma_disconnect(c);
}
END_TEST

/* A server of this test's own, restarted and stopped under a client: the
 * pool's connections die with it. After a restart calls go on (each dead
 * idle connection is replaced); while the server is down a call is P1001
 * (a fresh connection cannot reach it), and once it is back calls work. */
START_TEST(a_server_restart_is_survived_and_a_down_server_is_p1001)
{
    pgserver *srv = NULL;
    char why[2048];
    ck_assert_msg(pgserver_start(&srv, why, sizeof why) == 0, "%s", why);
    char own[256];
    snprintf(own, sizeof own, "%s?connection_limit=3", pgserver_url(srv));
    prisma_client *c = NULL;
    ck_assert_msg(prisma_connect(&c, own) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    /* Three connections in the pool. */
    prisma_client *tx[3];
    for (int i = 0; i < 3; i++) {
        OK_ON(c, prisma_tx_begin(c, NULL, &tx[i]));
        query_int(tx[i], "SELECT 1");
    }
    for (int i = 0; i < 3; i++) {
        OK_ON(tx[i], prisma_tx_commit(tx[i]));
        prisma_tx_free(tx[i]);
    }
    ck_assert_msg(pgserver_restart(srv, why, sizeof why) == 0, "%s", why);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(query_int(c, "SELECT 41 + 1"), 42);

    pgserver_halt(srv);
    prisma_raw_rows *rows = NULL;
    ck_assert_int_eq(prisma_query_raw(c, "SELECT 1", NULL, 0, &rows), PRISMA_ERROR);
    ck_assert_str_eq(CODE(c), "P1001");
    char hp[64];
    snprintf(hp, sizeof hp, "`127.0.0.1`:`%d`", pgserver_port(srv));
    char want[256];
    snprintf(want, sizeof want,
             "Can't reach database server at %s\n\nPlease make sure your database server is running at %s.", hp, hp);
    ck_assert_str_eq(prisma_error_message(c), want);

    ck_assert_msg(pgserver_restart(srv, why, sizeof why) == 0, "%s", why);
    ck_assert_int_eq(query_int(c, "SELECT 41 + 1"), 42);
    prisma_disconnect(c);
    pgserver_stop(srv);
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    tcase_add_test(tc, datetimes_at_the_edges_round_trip);
    tcase_add_test(tc, datetime_text_written_by_raw_sql_reads_as_its_instant);
    tcase_add_test(tc, infinite_datetimes_are_refused);
    if (b->sessions_have_pids) {
        tcase_add_test(tc, a_dead_idle_connection_is_replaced);
        tcase_add_test(tc, a_pool_of_dead_connections_is_replaced);
        tcase_add_test(tc, a_connection_lost_in_a_transaction_is_p1017);
        tcase_add_test(tc, a_connection_lost_mid_statement_is_p1017);
        tcase_add_test(tc, a_server_restart_is_survived_and_a_down_server_is_p1001);
    }
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = {
        .name = "faults", .timeout = 120, .url = &url, .setup = setup, .teardown = teardown,
        .add_tests = add_tests,
    };
    return testmain_run(&suite, argc, argv);
}
