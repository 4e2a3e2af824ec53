/* The transaction suite (tests/transactions/support.c): Isolation levels, write conflicts and retries. */
#include "transactions.h"

/* ==== Isolation levels (section D, as asked for these suites) ==== */

static const char *isolation_in(prisma_client *tx, char *out, size_t cap)
{
    prisma_raw_rows *rows = NULL;
    OKC(tx, prisma_query_raw(tx, "SHOW transaction_isolation", NULL, 0, &rows));
    ck_assert_uint_eq(rows->n_rows, 1);
    ck_assert_uint_eq(rows->n_cols, 1);
    ck_assert_str_eq(rows->columns[0], "transaction_isolation");
    ck_assert_int_eq(rows->values[0].type, PRISMA_RAW_TEXT);
    snprintf(out, cap, "%s", rows->values[0].s);
    prisma_free(rows);
    return out;
}

static int record_isolation(prisma_client *tx, void *arg)
{
    isolation_in(tx, arg, 32);
    return PRISMA_OK;
}

/* Every level on PostgreSQL, checked with SHOW transaction_isolation inside
 * the transaction: manual, interactive, batch (one-statement batches and
 * mixed ones), the client-wide default and a per-call override. */
START_TEST(isolation_levels_on_postgresql)
{
    static const struct {
        prisma_isolation level;
        const char *name;
    } levels[] = {
        { PRISMA_ISOLATION_DEFAULT, "read committed" },
        { PRISMA_READ_UNCOMMITTED, "read uncommitted" },
        { PRISMA_READ_COMMITTED, "read committed" },
        { PRISMA_REPEATABLE_READ, "repeatable read" },
        { PRISMA_SERIALIZABLE, "serializable" },
    };
    char got[32];
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        prisma_tx_options o = { .isolation = levels[i].level };
        prisma_client *t = NULL;
        OK(prisma_tx_begin(db, &o, &t));
        ck_assert_str_eq(isolation_in(t, got, sizeof got), levels[i].name);
        OKC(t, prisma_tx_commit(t));
        prisma_tx_free(t);
        got[0] = '\0';
        OK(prisma_transaction(db, record_isolation, got, &o));
        ck_assert_str_eq(got, levels[i].name);
        /* A batch with a raw query ... */
        prisma_batch *b = NULL;
        prisma_raw_rows *rows = NULL;
        OK(prisma_batch_new(db, &b));
        OK(prisma_batch_query_raw(b, "SHOW transaction_isolation", NULL, 0, &rows));
        OK(prisma_batch_run(b, &o, NULL));
        ck_assert_ptr_nonnull(rows);
        ck_assert_str_eq(rows->values[0].s, levels[i].name);
        prisma_free(rows);
        prisma_batch_free(b);
        /* ... and one of single statements (the pipelined path). */
        OK(prisma_batch_new(db, &b));
        int64_t affected = 0;
        OK(prisma_batch_execute_raw(b,
                                    testdb_sql("INSERT INTO \"User\" (email) SELECT $1"
                                    " || current_setting('transaction_isolation')"),
                                    (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("iso:") }, 1, &affected));
        OK(user_batch_count(b, NULL, &(int64_t){ 0 }));
        OK(prisma_batch_run(b, &o, NULL));
        ck_assert_int_eq(affected, 1);
        prisma_batch_free(b);
        char email[64];
        snprintf(email, sizeof email, "iso:%s", levels[i].name);
        ck_assert_msg(user_exists(db, email), "batch at %s", levels[i].name);
        OK(user_delete_many(db, NULL, NULL));
    }
    /* Client-wide Serializable, overridden per call. */
    prisma_client *c = client_with((prisma_options){ .isolation = PRISMA_SERIALIZABLE });
    OKC(c, prisma_transaction(c, record_isolation, got, NULL));
    ck_assert_str_eq(got, "serializable");
    OKC(c, prisma_transaction(c, record_isolation, got, &(prisma_tx_options){ .isolation = PRISMA_READ_COMMITTED }));
    ck_assert_str_eq(got, "read committed");
    prisma_disconnect(c);
}
END_TEST

/* issue 16: MySQL (InnoDB) does not show a one-transaction level inside
 * the session (@@tx_isolation keeps the session's), so every level is read
 * from a second session, in information_schema.INNODB_TRX, while the
 * transaction is open: SET TRANSACTION went out before BEGIN, as it must
 * (after BEGIN MySQL refuses it, 1568), for manual and interactive
 * transactions and a client-wide default. INNODB_TRX is a cache refreshed
 * at most every 100 ms: each read waits past that, and is repeated for up to
 * 3 s until the transaction shows. */
static const char *isolation_seen_by_another_session(prisma_client *tx, char *out, size_t cap)
{
    prisma_raw_rows *rows = NULL;
    /* The transaction touches a table: InnoDB lists it from then on. */
    OKC(tx, prisma_query_raw(tx, testdb_sql("SELECT CONNECTION_ID() AS id, COUNT(*) AS n FROM \"User\""), NULL, 0,
                             &rows));
    int64_t id = rows->values[0].i;
    prisma_free(rows);
    out[0] = '\0';
    for (int attempt = 0; attempt < 20 && !out[0]; attempt++) {
        sleep_ms(150); /* past the cache's refresh: a row of an earlier transaction of the session is gone */
        OK(prisma_query_raw(db, "SELECT LOWER(trx_isolation_level) AS level FROM information_schema.INNODB_TRX "
                                "WHERE trx_mysql_thread_id = ?",
                            (prisma_raw_value[]){ PRISMA_RAW_INT_V(id) }, 1, &rows));
        if (rows->n_rows == 1)
            snprintf(out, cap, "%s", rows->values[0].s);
        prisma_free(rows);
    }
    return out;
}

static int record_isolation_seen(prisma_client *tx, void *arg)
{
    isolation_seen_by_another_session(tx, arg, 32);
    return PRISMA_OK;
}

START_TEST(isolation_levels_seen_from_another_session)
{
    static const struct {
        prisma_isolation level;
        const char *name;
    } levels[] = {
        { PRISMA_ISOLATION_DEFAULT, "repeatable read" },
        { PRISMA_READ_UNCOMMITTED, "read uncommitted" },
        { PRISMA_READ_COMMITTED, "read committed" },
        { PRISMA_REPEATABLE_READ, "repeatable read" },
        { PRISMA_SERIALIZABLE, "serializable" },
    };
    char got[32];
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        prisma_tx_options o = { .isolation = levels[i].level };
        prisma_client *t = NULL;
        OK(prisma_tx_begin(db, &o, &t));
        ck_assert_str_eq(isolation_seen_by_another_session(t, got, sizeof got), levels[i].name);
        OKC(t, prisma_tx_commit(t));
        prisma_tx_free(t);
        got[0] = '\0';
        OK(prisma_transaction(db, record_isolation_seen, got, &o));
        ck_assert_str_eq(got, levels[i].name);
    }
    /* Client-wide Serializable, overridden per call. */
    prisma_client *c = client_with((prisma_options){ .isolation = PRISMA_SERIALIZABLE });
    OKC(c, prisma_transaction(c, record_isolation_seen, got, NULL));
    ck_assert_str_eq(got, "serializable");
    OKC(c, prisma_transaction(c, record_isolation_seen, got, &(prisma_tx_options){ .isolation = PRISMA_READ_COMMITTED }));
    ck_assert_str_eq(got, "read committed");
    prisma_disconnect(c);
}
END_TEST

/* SQLite has only Serializable: the other levels are refused with a clear
 * P2023 (item 49's "Error in connector: Conversion error: <LEVEL>"), for
 * manual, interactive and batch transactions and as a client default. */
START_TEST(isolation_levels_on_sqlite)
{
    static const struct {
        prisma_isolation level;
        const char *prefix;
    } refused[] = {
        { PRISMA_READ_UNCOMMITTED, "Error in connector: Conversion error: READ UNCOMMITTED" },
        { PRISMA_READ_COMMITTED, "Error in connector: Conversion error: READ COMMITTED" },
        { PRISMA_REPEATABLE_READ, "Error in connector: Conversion error: REPEATABLE READ" },
    };
    int calls = 0;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        prisma_tx_options o = { .isolation = refused[i].level };
        prisma_client *t = NULL;
        FAILS_WITH_PREFIX(db, prisma_tx_begin(db, &o, &t), "P2023", refused[i].prefix);
        ck_assert_ptr_null(t);
        FAILS_WITH_PREFIX(db, prisma_transaction(db, count_calls, &calls, &o), "P2023", refused[i].prefix);
        prisma_batch *b = NULL;
        OK(prisma_batch_new(db, &b));
        OK(user_batch_create(b, &(UserCreateInput){ .email = "never@x" }, NULL));
        FAILS_WITH_PREFIX(db, prisma_batch_run(b, &o, NULL), "P2023", refused[i].prefix);
        prisma_batch_free(b);
        prisma_client *c = client_with((prisma_options){ .isolation = refused[i].level });
        FAILS_WITH_PREFIX(c, prisma_transaction(c, count_calls, &calls, NULL), "P2023", refused[i].prefix);
        prisma_disconnect(c);
    }
    ck_assert_int_eq(calls, 0);
    ck_assert_int_eq(count_users(db), 0);
    /* Serializable (and the default) work. */
    OK(prisma_transaction(db, count_calls, &calls, &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE }));
    OK(prisma_transaction(db, count_calls, &calls, NULL));
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "serializable@x" }, NULL));
    OK(prisma_batch_run(b, &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE }, NULL));
    prisma_batch_free(b);
    ck_assert_int_eq(calls, 2);
    ck_assert_int_eq(count_users(db), 1);
}
END_TEST

/* ==== Write conflicts (item 25) and retries ==== */

typedef struct retry_arg {
    prisma_client *root;
    int attempts;
    int interfere; /* attempts that see a concurrent committed update */
    bool user_failure;
} retry_arg;

static int conflicting_increment(prisma_client *tx, void *arg)
{
    retry_arg *a = arg;
    a->attempts++;
    if (a->user_failure)
        return prisma_fail(tx, "not a conflict");
    User *u = NULL;
    int rc = user_find_unique(tx, &(UserWhereUniqueInput){ .email = "c@x" }, &u);
    user_free(u);
    if (rc != PRISMA_OK)
        return rc;
    if (a->attempts <= a->interfere &&
        user_update(a->root, &(UserWhereUniqueInput){ .email = "c@x" },
                    &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(100) } }, NULL) != PRISMA_OK)
        return prisma_fail(tx, "the concurrent update failed: %s", prisma_error_message(a->root));
    return user_update(tx, &(UserWhereUniqueInput){ .email = "c@x" },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
}

/* max_retries re-runs only after P2034: a callback failure is not retried. */
START_TEST(max_retries_does_not_retry_other_failures)
{
    retry_arg a = { .root = db, .user_failure = true };
    FAILS(db, prisma_transaction(db, conflicting_increment, &a, &(prisma_tx_options){ .max_retries = 5 }), "USER",
          "not a conflict");
    ck_assert_int_eq(a.attempts, 1);
}
END_TEST

/* Item 25: two Serializable transactions read the row; A updates and
 * commits; B's update fails with P2034 (SQLSTATE 40001). */
START_TEST(a_write_conflict_is_p2034)
{
    add_user(db, "c@x", 0);
    prisma_tx_options ser = { .isolation = PRISMA_SERIALIZABLE };
    prisma_client *a = NULL, *b = NULL;
    OK(prisma_tx_begin(db, &ser, &a));
    OK(prisma_tx_begin(db, &ser, &b));
    ck_assert_int_eq(balance_of(a, "c@x"), 0);
    ck_assert_int_eq(balance_of(b, "c@x"), 0);
    int64_t n = 0;
    OKC(a, user_update_many(a, NULL, &(UserUpdateInput){ .balance = { .set = PRISMA_INT(1) } }, &n));
    ck_assert_int_eq(n, 1);
    OKC(a, prisma_tx_commit(a));
    FAILS(b, user_update_many(b, NULL, &(UserUpdateInput){ .balance = { .set = PRISMA_INT(2) } }, &n), "P2034",
          P2034_MSG);
    ck_assert_str_eq(prisma_error_db_code(b), "40001");
    OKC(b, prisma_tx_rollback(b));
    prisma_tx_free(a);
    prisma_tx_free(b);
    ck_assert_int_eq(balance_of(db, "c@x"), 1);
}
END_TEST

/* Item 25 at commit time: write skew between two Serializable transactions
 * is detected at the second COMMIT, which fails with P2034; nothing of it
 * persists, its rollback hooks run and the handle is closed. */
START_TEST(a_serialization_failure_at_commit_is_p2034)
{
    add_user(db, "x@x", 50);
    add_user(db, "y@x", 50);
    prisma_tx_options ser = { .isolation = PRISMA_SERIALIZABLE };
    prisma_client *a = NULL, *b = NULL;
    OK(prisma_tx_begin(db, &ser, &a));
    OK(prisma_tx_begin(db, &ser, &b));
    UserList *l = NULL;
    OKC(a, user_find_many(a, NULL, &l));
    user_list_free(l);
    OKC(b, user_find_many(b, NULL, &l));
    user_list_free(l);
    OKC(a, user_update(a, &(UserWhereUniqueInput){ .email = "x@x" },
                       &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(100) } }, NULL));
    OKC(b, user_update(b, &(UserWhereUniqueInput){ .email = "y@x" },
                       &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(100) } }, NULL));
    hook_probe p = { 0, 0 };
    OKC(b, prisma_tx_on_commit(b, probe_commit, &p));
    OKC(b, prisma_tx_on_rollback(b, probe_rollback, &p));
    OKC(a, prisma_tx_commit(a));
    FAILS(b, prisma_tx_commit(b), "P2034", P2034_MSG);
    ck_assert_str_eq(prisma_error_db_code(b), "40001");
    ck_assert_int_eq(p.commits, 0);
    ck_assert_int_eq(p.rollbacks, 1);
    FAILS(b, prisma_tx_commit(b), "P2028", CLOSED("commit", ROLLED_BACK));
    prisma_tx_free(a);
    prisma_tx_free(b);
    ck_assert_int_eq(balance_of(db, "x@x"), -50);
    ck_assert_int_eq(balance_of(db, "y@x"), 50);
}
END_TEST

/* Item 25 with retries (issue 9678: retry on P2034): max_retries re-runs the
 * callback after a conflict and finally succeeds; without retries, or when
 * every attempt conflicts, P2034 is reported after max_retries + 1 attempts. */
START_TEST(max_retries_reruns_after_a_write_conflict)
{
    add_user(db, "c@x", 0);
    prisma_client *c = client_with((prisma_options){ .pool_size = 3 });
    retry_arg a = { .root = c, .interfere = 1 };
    OKC(c, prisma_transaction(c, conflicting_increment, &a,
                              &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE, .max_retries = 3 }));
    ck_assert_int_eq(a.attempts, 2);
    ck_assert_int_eq(balance_of(c, "c@x"), 101);

    a = (retry_arg){ .root = c, .interfere = 1 };
    FAILS(c, prisma_transaction(c, conflicting_increment, &a, &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE }),
          "P2034", P2034_MSG);
    ck_assert_int_eq(a.attempts, 1);
    ck_assert_int_eq(balance_of(c, "c@x"), 201);

    a = (retry_arg){ .root = c, .interfere = 99 };
    FAILS(c,
          prisma_transaction(c, conflicting_increment, &a,
                             &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE, .max_retries = 2 }),
          "P2034", P2034_MSG);
    ck_assert_int_eq(a.attempts, 3);
    ck_assert_int_eq(balance_of(c, "c@x"), 501);
    prisma_disconnect(c);
}
END_TEST

static int conflicting_raw_lock(prisma_client *tx, void *arg)
{
    retry_arg *a = arg;
    a->attempts++;
    User *u = NULL;
    int rc = user_find_unique(tx, &(UserWhereUniqueInput){ .email = "c@x" }, &u);
    user_free(u);
    if (rc != PRISMA_OK)
        return rc;
    if (a->attempts <= a->interfere &&
        user_update(a->root, &(UserWhereUniqueInput){ .email = "c@x" },
                    &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(100) } }, NULL) != PRISMA_OK)
        return prisma_fail(tx, "the concurrent update failed: %s", prisma_error_message(a->root));
    /* The row changed since the snapshot: locking it is a serialization failure (40001). */
    rc = prisma_execute_raw(tx, testdb_sql("SELECT balance FROM \"User\" WHERE email = $1 FOR UPDATE"),
                            (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("c@x") }, 1, NULL);
    if (rc != PRISMA_OK)
        return rc;
    return user_update(tx, &(UserWhereUniqueInput){ .email = "c@x" },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
}

/* Item 25 with retries, the conflict raised by raw SQL (a locking read at
 * Repeatable Read, SQLSTATE 40001): the failure itself is P2010 with the
 * database's code, as Prisma reports raw errors, and it is still a write
 * conflict that max_retries re-runs. */
START_TEST(max_retries_reruns_a_conflict_raised_by_raw_sql)
{
    add_user(db, "c@x", 0);
    prisma_client *c = client_with((prisma_options){ .pool_size = 3 });
    retry_arg a = { .root = c, .interfere = 1 };
    FAILS(c, prisma_transaction(c, conflicting_raw_lock, &a, &(prisma_tx_options){ .isolation = PRISMA_REPEATABLE_READ }),
          "P2010", "Raw query failed. Code: `40001`. Message: `could not serialize access due to concurrent update`");
    ck_assert_int_eq(a.attempts, 1);
    ck_assert_int_eq(balance_of(c, "c@x"), 100);
    a = (retry_arg){ .root = c, .interfere = 1 };
    int rc = prisma_transaction(c, conflicting_raw_lock, &a,
                                &(prisma_tx_options){ .isolation = PRISMA_REPEATABLE_READ, .max_retries = 3 });
    ck_assert_msg(rc == PRISMA_OK && a.attempts == 2, "not retried: %d attempt(s), %s %s", a.attempts, code_of(c),
                  prisma_error_message(c));
    ck_assert_int_eq(balance_of(c, "c@x"), 201);
    prisma_disconnect(c);
}
END_TEST

typedef struct deadlocker {
    prisma_client *tx;
    int rc;
    char code[16], db_code[16];
} deadlocker;

static void *update_y(void *p)
{
    deadlocker *d = p;
    d->rc = user_update(d->tx, &(UserWhereUniqueInput){ .email = "y@x" },
                        &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
    snprintf(d->code, sizeof d->code, "%s", code_of(d->tx));
    const char *dbc = prisma_error_db_code(d->tx); /* errors are per thread */
    snprintf(d->db_code, sizeof d->db_code, "%s", dbc ? dbc : "-");
    return NULL;
}

/* Item 25: a deadlock (SQLSTATE 40P01) is P2034 too. */
START_TEST(a_deadlock_is_p2034)
{
    add_user(db, "x@x", 0);
    add_user(db, "y@x", 0);
    prisma_client *a = NULL, *b = NULL;
    prisma_tx_options o = { .timeout_ms = 20000 };
    OK(prisma_tx_begin(db, &o, &a));
    OK(prisma_tx_begin(db, &o, &b));
    OKC(a, user_update(a, &(UserWhereUniqueInput){ .email = "x@x" },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL));
    OKC(b, user_update(b, &(UserWhereUniqueInput){ .email = "y@x" },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL));
    deadlocker d = { a, -1, "", "" };
    pthread_t th;
    pthread_create(&th, NULL, update_y, &d); /* waits for b */
    sleep_ms(200);
    int rc = user_update(b, &(UserWhereUniqueInput){ .email = "x@x" },
                         &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
    char code[16];
    snprintf(code, sizeof code, "%s", code_of(b));
    const char *dbcode = rc == PRISMA_OK ? NULL : prisma_error_db_code(b);
    char dbc[16];
    snprintf(dbc, sizeof dbc, "%s", dbcode ? dbcode : "-");
    if (rc != PRISMA_OK)
        (void)prisma_tx_rollback(b); /* lets a go on */
    pthread_join(th, NULL);
    ck_assert_msg((rc == PRISMA_OK) != (d.rc == PRISMA_OK), "one of the two is the victim: %s / %s", code, d.code);
    if (rc != PRISMA_OK) {
        ck_assert_str_eq(code, "P2034");
        ck_assert_str_eq(dbc, testdb->deadlock_code);
    } else {
        ck_assert_str_eq(d.code, "P2034");
        ck_assert_str_eq(d.db_code, testdb->deadlock_code);
    }
    (void)prisma_tx_rollback(a);
    (void)prisma_tx_rollback(b);
    prisma_tx_free(a);
    prisma_tx_free(b);
}
END_TEST

void tx_isolation_tests(TCase *tc, const testdb_backend *b)
{
    if (b->every_isolation_level && b->isolation_in_session)
        tcase_add_test(tc, isolation_levels_on_postgresql);
    else if (b->every_isolation_level)
        tcase_add_test(tc, isolation_levels_seen_from_another_session);
    else
        tcase_add_test(tc, isolation_levels_on_sqlite);
    if (b->serialization_conflicts) {
        tcase_add_test(tc, a_write_conflict_is_p2034);
        tcase_add_test(tc, a_serialization_failure_at_commit_is_p2034);
        tcase_add_test(tc, max_retries_reruns_after_a_write_conflict);
        tcase_add_test(tc, max_retries_reruns_a_conflict_raised_by_raw_sql);
    }
    if (b->deadlock_code)
        tcase_add_test(tc, a_deadlock_is_p2034);
    tcase_add_test(tc, max_retries_does_not_retry_other_failures);
}
