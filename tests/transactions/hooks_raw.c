/* The transaction suite (tests/transactions/support.c): Hooks and raw SQL. */
#include "transactions.h"

/* ==== Hooks ==== */

typedef struct seen_probe {
    hook_probe counts;
    const char *email;
    int seen;          /* the row, seen from outside at hook time */
    int wrote;         /* a write through db from the hook succeeded */
} seen_probe;

static void seen_on_commit(void *arg)
{
    seen_probe *p = arg;
    p->counts.commits++;
    p->seen = user_exists(db, p->email);
}

static void seen_on_rollback(void *arg)
{
    seen_probe *p = arg;
    p->counts.rollbacks++;
    p->seen = user_exists(db, p->email);
    /* The write lock (SQLite) / row locks are released: this does not wait. */
    p->wrote = user_create(db, &(UserCreateInput){ .email = "from-hook@x" }, NULL) == PRISMA_OK;
}

static int hooks_in_callback(prisma_client *tx, void *arg)
{
    seen_probe *p = arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = p->email }, NULL);
    if (rc == PRISMA_OK)
        rc = prisma_tx_on_commit(tx, seen_on_commit, p);
    if (rc == PRISMA_OK)
        rc = prisma_tx_on_rollback(tx, seen_on_rollback, p);
    if (rc == PRISMA_OK && p->counts.commits + p->counts.rollbacks != 0)
        return prisma_fail(tx, "a hook ran early");
    return rc;
}

/* Hooks: on_commit runs once after the commit (the row is visible from
 * outside), on_rollback after the rollback (locks released); for a nested
 * transaction, commit hooks wait for the outermost commit and are dropped by
 * an outer rollback; the timeout's rollback runs them too. */
START_TEST(hooks_run_after_commit_and_after_rollback)
{
    prisma_client *t = NULL, *n = NULL;
    seen_probe p = { .email = "c@x", .seen = -1 };
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "c@x" }, NULL));
    OKC(t, prisma_tx_on_commit(t, seen_on_commit, &p));
    OKC(t, prisma_tx_on_rollback(t, seen_on_rollback, &p));
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    ck_assert_int_eq(p.counts.commits, 1);
    ck_assert_int_eq(p.counts.rollbacks, 0);
    ck_assert_int_eq(p.seen, 1);

    p = (seen_probe){ .email = "r@x", .seen = -1 };
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "r@x" }, NULL));
    OKC(t, prisma_tx_on_commit(t, seen_on_commit, &p));
    OKC(t, prisma_tx_on_rollback(t, seen_on_rollback, &p));
    OKC(t, prisma_tx_rollback(t));
    prisma_tx_free(t);
    ck_assert_int_eq(p.counts.commits, 0);
    ck_assert_int_eq(p.counts.rollbacks, 1);
    ck_assert_int_eq(p.seen, 0);
    ck_assert_int_eq(p.wrote, 1);

    /* Interactive: after prisma_transaction commits, or rolls back. */
    p = (seen_probe){ .email = "i@x", .seen = -1 };
    OK(prisma_transaction(db, hooks_in_callback, &p, NULL));
    ck_assert_int_eq(p.counts.commits, 1);
    ck_assert_int_eq(p.seen, 1);
    p = (seen_probe){ .email = "i@x", .seen = -1 }; /* a duplicate: fails */
    FAILS(db, prisma_transaction(db, hooks_in_callback, &p, NULL), "P2002", P2002_EMAIL);
    ck_assert_int_eq(p.counts.commits + p.counts.rollbacks, 0); /* registered after the failure: never */

    /* Nested: commit hooks wait for the outermost commit. */
    hook_probe h = { 0, 0 };
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &n));
    OKC(n, prisma_tx_on_commit(n, probe_commit, &h));
    OKC(n, prisma_tx_on_rollback(n, probe_rollback, &h));
    OKC(n, prisma_tx_commit(n));
    ck_assert_int_eq(h.commits, 0);
    OKC(t, prisma_tx_commit(t));
    ck_assert_int_eq(h.commits, 1);
    ck_assert_int_eq(h.rollbacks, 0);
    prisma_tx_free(t);
    /* A nested rollback runs its own rollback hooks at once. */
    h = (hook_probe){ 0, 0 };
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &n));
    OKC(n, prisma_tx_on_commit(n, probe_commit, &h));
    OKC(n, prisma_tx_on_rollback(n, probe_rollback, &h));
    OKC(n, prisma_tx_rollback(n));
    ck_assert_int_eq(h.rollbacks, 1);
    OKC(t, prisma_tx_commit(t));
    ck_assert_int_eq(h.commits, 0);
    ck_assert_int_eq(h.rollbacks, 1);
    prisma_tx_free(t);
    /* An outer rollback after a nested commit: rollback hooks only. */
    h = (hook_probe){ 0, 0 };
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &n));
    OKC(n, prisma_tx_on_commit(n, probe_commit, &h));
    OKC(n, prisma_tx_on_rollback(n, probe_rollback, &h));
    OKC(n, prisma_tx_commit(n));
    OKC(t, prisma_tx_rollback(t));
    ck_assert_int_eq(h.commits, 0);
    ck_assert_int_eq(h.rollbacks, 1);
    prisma_tx_free(t);

    /* The timeout's rollback runs the rollback hooks (on the watchdog's thread). */
    atomic_store(&watchdog_rollbacks, 0);
    OK(prisma_tx_begin(db, &(prisma_tx_options){ .timeout_ms = 150 }, &t));
    OKC(t, prisma_tx_on_rollback(t, count_watchdog_rollback, NULL));
    for (int i = 0; i < 100 && atomic_load(&watchdog_rollbacks) == 0; i++)
        sleep_ms(20);
    ck_assert_int_eq(atomic_load(&watchdog_rollbacks), 1);
    prisma_tx_free(t);
    ck_assert_int_eq(atomic_load(&watchdog_rollbacks), 1);

    /* A hook needs a function and a transaction. */
    ck_assert_int_eq(prisma_tx_on_commit(db, probe_commit, &h), PRISMA_ERROR);
    OK(prisma_tx_begin(db, NULL, &t));
    ck_assert_int_eq(prisma_tx_on_commit(t, NULL, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(t), "P2009");
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
}
END_TEST

/* ==== Raw SQL ==== */

static int raw_inside(prisma_client *tx, void *arg)
{
    int64_t *out = arg;
    int64_t affected = -1;
    int rc = prisma_execute_raw(tx, testdb_sql("INSERT INTO \"User\" (email, balance) VALUES ($1, $2)"),
                                (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("raw-tx@x"), PRISMA_RAW_INT_V(7) }, 2,
                                &affected);
    if (rc != PRISMA_OK)
        return rc;
    out[0] = affected;
    prisma_raw_rows *rows = NULL;
    rc = prisma_query_raw(tx, testdb_sql("SELECT balance FROM \"User\" WHERE email = $1"),
                          (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("raw-tx@x") }, 1, &rows);
    if (rc != PRISMA_OK)
        return rc;
    out[1] = rows->n_rows == 1 && rows->values[0].type == PRISMA_RAW_INT ? rows->values[0].i : -1;
    prisma_free(rows);
    out[2] = visible_users(db);
    return PRISMA_OK;
}

static int raw_failure_inside(prisma_client *tx, void *arg)
{
    (void)arg;
    int rc = prisma_execute_raw(tx, testdb_sql("INSERT INTO \"User\" (email) VALUES ('first@x')"), NULL, 0, NULL);
    if (rc != PRISMA_OK)
        return rc;
    return prisma_execute_raw(tx, testdb_sql("INSERT INTO \"User\" (email) VALUES ('first@x')"), NULL, 0, NULL);
}

#define RAW_DUPLICATE testdb_sql("Raw query failed. %s", testdb->raw_unique_violation("User", "email", "first@x", false))
#define RAW_SYNTAX testdb_sql("Raw query failed. %s", testdb->raw_syntax_error("SELEC 1"))

/* Raw SQL: execute_raw returns affected counts and query_raw rows (column
 * names, types, values), both with bound parameters, outside and inside
 * interactive transactions; failures are P2010 "Raw query failed. Code: ..."
 * with the database's own code. */
START_TEST(raw_sql_counts_rows_and_errors)
{
    int64_t affected = -1;
    for (int i = 1; i <= 3; i++) {
        char email[16];
        snprintf(email, sizeof email, "r%d@x", i);
        OK(prisma_execute_raw(db, testdb_sql("INSERT INTO \"User\" (email, balance) VALUES ($1, $2)"),
                              (prisma_raw_value[]){ PRISMA_RAW_TEXT_V(email), PRISMA_RAW_INT_V(i * 100) }, 2,
                              &affected));
        ck_assert_int_eq(affected, 1);
    }
    OK(prisma_execute_raw(db, testdb_sql("UPDATE \"User\" SET balance = balance + $1 WHERE balance >= $2"),
                          (prisma_raw_value[]){ PRISMA_RAW_INT_V(1), PRISMA_RAW_INT_V(200) }, 2, &affected));
    ck_assert_int_eq(affected, 2);
    OK(prisma_execute_raw(db, testdb_sql("UPDATE \"User\" SET balance = 0 WHERE email = $1"),
                          (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("nobody@x") }, 1, &affected));
    ck_assert_int_eq(affected, 0);

    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db,
                        testdb_sql("SELECT id, email, balance, CAST(balance AS %s) / 2 AS half, NULL AS empty "
                                   "FROM \"User\" WHERE balance > $1 ORDER BY id",
                                   testdb->double_type),
                        (prisma_raw_value[]){ PRISMA_RAW_INT_V(150) }, 1, &rows));
    ck_assert_uint_eq(rows->n_rows, 2);
    ck_assert_uint_eq(rows->n_cols, 5);
    static const char *const names[] = { "id", "email", "balance", "half", "empty" };
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(rows->columns[i], names[i]);
    const prisma_raw_value *r0 = &rows->values[0], *r1 = &rows->values[5];
    ck_assert_int_eq(r0[0].type, PRISMA_RAW_INT);
    ck_assert_int_eq(r0[1].type, PRISMA_RAW_TEXT);
    ck_assert_str_eq(r0[1].s, "r2@x");
    ck_assert_uint_eq(r0[1].len, 4);
    ck_assert_int_eq(r0[2].type, PRISMA_RAW_INT);
    ck_assert_int_eq(r0[2].i, 201);
    ck_assert_int_eq(r0[3].type, PRISMA_RAW_FLOAT);
    ck_assert(r0[3].f == 100.5);
    ck_assert_int_eq(r0[4].type, PRISMA_RAW_NULL);
    ck_assert_str_eq(r1[1].s, "r3@x");
    ck_assert_int_eq(r1[2].i, 301);
    ck_assert_int_gt(r1[0].i, r0[0].i);
    prisma_free(rows);

    /* Bytes, text with quotes and a float round-trip as bound parameters. */
    static const char blob[] = { 0, 1, '\'', 2, (char)0xff };
    prisma_raw_value params[] = { { .type = PRISMA_RAW_BYTES, .s = blob, .len = sizeof blob },
                                  PRISMA_RAW_TEXT_V("it's \"quoted\""), PRISMA_RAW_FLOAT_V(0.25) };
    OK(prisma_query_raw(db,
                        testdb_sql("SELECT $1%s AS b, $2%s AS t, $3%s AS f%s", testdb->cast_bytes, testdb->cast_text,
                                   testdb->cast_float, testdb->has_boolean ? ", true AS yes" : ""),
                        params, 3, &rows));
    if (testdb->has_boolean) {
        ck_assert_int_eq(rows->values[3].type, PRISMA_RAW_BOOL);
        ck_assert_int_eq(rows->values[3].i, 1);
    }
    ck_assert_uint_eq(rows->n_rows, 1);
    ck_assert_int_eq(rows->values[0].type, PRISMA_RAW_BYTES);
    ck_assert_uint_eq(rows->values[0].len, sizeof blob);
    ck_assert_mem_eq(rows->values[0].s, blob, sizeof blob);
    ck_assert_str_eq(rows->values[1].s, "it's \"quoted\"");
    ck_assert(rows->values[2].f == 0.25);
    prisma_free(rows);

    /* Inside an interactive transaction. */
    int64_t inside[3] = { -1, -1, -1 };
    OK(prisma_transaction(db, raw_inside, inside, NULL));
    ck_assert_int_eq(inside[0], 1);
    ck_assert_int_eq(inside[1], 7);
    ck_assert_int_eq(inside[2], 3);
    ck_assert(user_exists(db, "raw-tx@x"));

    /* Failures: P2010 with the database's code and words. */
    FAILS(db, prisma_query_raw(db, "SELEC 1", NULL, 0, &rows), "P2010", RAW_SYNTAX);
    ck_assert_ptr_null(rows);
    FAILS(db, prisma_execute_raw(db, "SELEC 1", NULL, 0, &affected), "P2010", RAW_SYNTAX);
    FAILS(db,
          prisma_execute_raw(db, testdb_sql("INSERT INTO \"User\" (email) VALUES ($1)"),
                             (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("r1@x") }, 1, &affected),
          "P2010", testdb_sql("Raw query failed. %s", testdb->raw_unique_violation("User", "email", "r1@x", false)));
    ck_assert_str_eq(prisma_error_db_code(db), testdb->unique_code);
    /* ... inside a transaction, which rolls back. */
    FAILS(db, prisma_transaction(db, raw_failure_inside, NULL, NULL), "P2010", RAW_DUPLICATE);
    ck_assert(!user_exists(db, "first@x"));
    ck_assert_int_eq(count_users(db), 4);
}
END_TEST

void tx_hooks_raw_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, hooks_run_after_commit_and_after_rollback);
    tcase_add_test(tc, raw_sql_counts_rows_and_errors);
}
