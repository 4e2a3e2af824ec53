/* The statement cache under pressure, on a real database: a connection keeps
 * at most STMT_CACHE_LIMIT prepared shapes, evicts the least recently used
 * one at a time, and never finalizes a statement that something still holds:
 * a pipelined batch whose later shapes evict while its earlier statements
 * wait to be sent (the use-after-free of the review's D1), a stream reading
 * while shapes come and go. Run under ASan this fails on the old cache,
 * which freed every statement when it filled. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include TEST_CLIENT_H
#include "testmain.h"

static const char *url;
static prisma_client *db;

static const char *const tables[] = { "_PostToTag", "Post", "Profile", "users", "Tag", "Item", "Membership" };

#define OK(call)                                                                                                  \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, prisma_error_code(db) ? prisma_error_code(db) : "-", \
                  prisma_error_message(db))

static void connect_pool(int pool_size)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    prisma_options o = { .pool_size = pool_size };
    ck_assert_msg(prisma_connect_with(&db, url, &o) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

/* Runs `n` raw statements of distinct shapes, numbered from `first`. */
static void distinct_shapes(const char *tag, int first, int n)
{
    char sql[96];
    for (int i = first; i < first + n; i++) {
        snprintf(sql, sizeof sql, "SELECT %d AS %s_%d", i, tag, i);
        OK(prisma_execute_raw(db, sql, NULL, 0, NULL));
    }
}

/* The most statements a connection keeps: STMT_CACHE_LIMIT, or the
 * backend's own limit (MySQL: statement_cache_size, Prisma's default 100). */
static size_t cache_limit(void)
{
    client_shared *sh = db->sh;
    pthread_mutex_lock(&sh->primary.mu);
    size_t limit = 0;
    if (sh->primary.n_idle > 0)
        limit = sh->primary.idle[0]->cache_limit;
    size_t idle = sh->primary.n_idle;
    pthread_mutex_unlock(&sh->primary.mu);
    ck_assert_msg(idle > 0, "no idle connection to ask");
    return limit ? limit : STMT_CACHE_LIMIT;
}

/* How many statements each idle connection keeps (the client is idle). */
static size_t most_cached(void)
{
    client_shared *sh = db->sh;
    size_t most = 0;
    pthread_mutex_lock(&sh->primary.mu);
    for (size_t i = 0; i < sh->primary.n_idle; i++)
        if (stmt_cache_len(sh->primary.idle[i]) > most)
            most = stmt_cache_len(sh->primary.idle[i]);
    pthread_mutex_unlock(&sh->primary.mu);
    return most;
}

/* The statements the server holds prepared for this session (where it keeps
 * them: testdb->count_prepared_sql). */
static int64_t server_prepared(const char *where)
{
    char sql[1024];
    int len = snprintf(sql, sizeof sql, "%s%s%s", testdb->count_prepared_sql, where ? " WHERE " : "", where ? where : "");
    ck_assert_int_lt(len, (int)sizeof sql);
    prisma_raw_rows *r = NULL;
    OK(prisma_query_raw(db, sql, NULL, 0, &r));
    ck_assert_uint_eq(r->n_rows, 1);
    int64_t n = r->values[0].i;
    prisma_free(r);
    return n;
}

START_TEST(a_batch_whose_shapes_evict_mid_batch_runs_every_statement)
{
    connect_pool(1); /* one connection: one cache */
    /* A cache a few shapes short of full: the batch's own shapes evict. */
    distinct_shapes("fill", 0, (int)cache_limit() - 4);
    enum { N = 12 };
    char texts[N][96];
    int64_t affected[N];
    prisma_batch *b;
    OK(prisma_batch_new(db, &b));
    User *made = NULL, *found = NULL;
    OK(user_batch_create(b, &(UserCreateInput){ .email = "d1@x", .name = "before", .balance = PRISMA_INT(7) }, &made));
    for (int i = 0; i < N; i++) {
        snprintf(texts[i], sizeof texts[i], "%s", testdb_sql("INSERT INTO \"Tag\" (\"name\") VALUES ('tag %d')", i));
        OK(prisma_batch_execute_raw(b, texts[i], NULL, 0, &affected[i]));
    }
    OK(user_batch_find_unique(b, &(UserWhereUniqueInput){ .email = "d1@x" }, &found));
    int64_t n_users = -1;
    OK(user_batch_count(b, NULL, &n_users));
    size_t failed = 0;
    OK(prisma_batch_run(b, NULL, &failed));
    ck_assert_uint_eq(failed, SIZE_MAX);
    prisma_batch_free(b);
    ck_assert_ptr_nonnull(made);
    ck_assert_str_eq(made->email, "d1@x");
    ck_assert_int_eq(made->balance, 7);
    ck_assert_ptr_nonnull(found);
    ck_assert_int_eq(found->id, made->id);
    ck_assert_str_eq(found->name, "before");
    ck_assert_int_eq(n_users, 1);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(affected[i], 1);
    int64_t n_tags;
    OK(tag_count(db, NULL, &n_tags));
    ck_assert_int_eq(n_tags, N);
    Tag *t = NULL;
    OK(tag_find_unique(db, &(TagWhereUniqueInput){ .name = "tag 11" }, &t));
    ck_assert_ptr_nonnull(t);
    prisma_free(t);
    prisma_free(made);
    prisma_free(found);
    ck_assert_uint_le(most_cached(), cache_limit());
}
END_TEST

START_TEST(a_batch_bigger_than_the_cache_keeps_all_its_statements)
{
    connect_pool(1);
    distinct_shapes("fill", 0, (int)cache_limit());
    /* More distinct statements in one batch than the cache holds: every one
     * stays prepared until the batch has run, then the cache shrinks back. */
    const int N = (int)cache_limit() + 40;
    char (*texts)[64] = calloc(N, sizeof *texts);
    int64_t *affected = calloc(N, sizeof *affected);
    prisma_batch *b;
    OK(prisma_batch_new(db, &b));
    for (int i = 0; i < N; i++) {
        snprintf(texts[i], sizeof texts[i], "%s", testdb_sql("UPDATE \"Tag\" SET \"name\" = 'x' WHERE %d = 0", i + 1));
        OK(prisma_batch_execute_raw(b, texts[i], NULL, 0, &affected[i]));
    }
    OK(prisma_batch_run(b, NULL, NULL));
    prisma_batch_free(b);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(affected[i], 0);
    distinct_shapes("after", 0, 8);
    ck_assert_uint_le(most_cached(), cache_limit());
    free(texts);
    free(affected);
}
END_TEST

typedef struct each_state {
    int seen;
    bool ordered;
} each_state;

/* Every row: a few shapes no one has run, on the client (another
 * connection's cache), so the caches turn over while the stream reads. */
static int each_user(const User *u, void *arg)
{
    each_state *e = arg;
    if (u->balance != e->seen)
        e->ordered = false;
    char sql[96];
    for (int k = 0; k < 6; k++) {
        snprintf(sql, sizeof sql, "SELECT %d AS stream_%d_%d", k, e->seen, k);
        if (prisma_execute_raw(db, sql, NULL, 0, NULL) != PRISMA_OK)
            return 1;
    }
    e->seen++;
    return PRISMA_OK;
}

START_TEST(a_stream_spanning_evictions_reads_every_row)
{
    connect_pool(2); /* the stream holds one connection; the callback uses the other */
    enum { N = 400 };
    UserCreateInput *rows = calloc(N, sizeof *rows);
    char (*emails)[24] = calloc(N, sizeof *emails);
    for (int i = 0; i < N; i++) {
        snprintf(emails[i], sizeof emails[i], "e%d@x", i);
        rows[i] = (UserCreateInput){ .email = emails[i], .balance = PRISMA_INT(i) };
    }
    int64_t n;
    OK(user_create_many(db, rows, N, false, &n));
    ck_assert_int_eq(n, N);
    /* The stream's own connection full too: its statement goes in by eviction. */
    distinct_shapes("fill", 0, (int)cache_limit());
    each_state e = { .ordered = true };
    OK(user_find_each(db, &(UserFindManyArgs){ .order_by = (UserOrderByInput[]){ { .balance = PRISMA_ASC } }, .order_by_len = 1 },
                      each_user, &e));
    ck_assert_int_eq(e.seen, N);
    ck_assert(e.ordered);
    ck_assert_uint_le(most_cached(), cache_limit());
    /* The streamed shape is still usable afterwards. */
    e = (each_state){ .ordered = true };
    OK(user_find_each(db, &(UserFindManyArgs){ .order_by = (UserOrderByInput[]){ { .balance = PRISMA_ASC } }, .order_by_len = 1 },
                      each_user, &e));
    ck_assert_int_eq(e.seen, N);
    free(rows);
    free(emails);
}
END_TEST

START_TEST(the_cache_stays_bounded_and_keeps_what_is_used)
{
    connect_pool(1);
    const char *hot = "SELECT 1 AS hot";
    OK(prisma_execute_raw(db, hot, NULL, 0, NULL));
    /* Twice the cache's worth of shapes, the hot one used all along. */
    for (int round = 0; round < 2 * (int)cache_limit() / 100 + 1; round++) {
        distinct_shapes("cold", round * 100, 100);
        OK(prisma_execute_raw(db, hot, NULL, 0, NULL));
    }
    ck_assert_uint_le(most_cached(), cache_limit());
    ck_assert_uint_ge(most_cached(), cache_limit() - 1);
    if (testdb->count_prepared_sql) {
        /* The server agrees: evicted statements were deallocated, one at a time
         * (the hot one was never dropped, the oldest cold ones were). */
        ck_assert_int_le(server_prepared(NULL), cache_limit() + 1);
        ck_assert_int_eq(server_prepared("statement = 'SELECT 1 AS hot'"), 1);
        ck_assert_int_eq(server_prepared("statement = 'SELECT 0 AS cold_0'"), 0);
        /* Each query above prepared itself and pushed one more cold shape out. */
        ck_assert_int_ge(server_prepared("statement LIKE 'SELECT % AS cold_%'"), cache_limit() - 8);
    }
    /* An evicted shape prepares again. */
    distinct_shapes("cold", 0, 1);
    ck_assert_uint_le(most_cached(), cache_limit());
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, a_batch_whose_shapes_evict_mid_batch_runs_every_statement);
    tcase_add_test(tc, a_batch_bigger_than_the_cache_keeps_all_its_statements);
    tcase_add_test(tc, a_stream_spanning_evictions_reads_every_row);
    tcase_add_test(tc, the_cache_stays_bounded_and_keeps_what_is_used);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = {
        .name = "stmt_cache", .timeout = 120, .url = &url, .teardown = teardown, .add_tests = add_tests,
    };
    return testmain_run(&suite, argc, argv);
}
