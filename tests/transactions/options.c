/* The transaction suite (tests/transactions/support.c): A. Defaults and options. */
#include "transactions.h"

/* ==== A. Defaults and options ==== */

/* Items 1 and 13: maxWait defaults to 2000 ms and timeout to 5000 ms (the
 * expired message names 5000 ms); a transaction that cannot get the only
 * connection gives up after the default max_wait. */
START_TEST(defaults_are_max_wait_2000_and_timeout_5000)
{
    prisma_client *c = client_with((prisma_options){ .pool_size = 1 });
    prisma_client *a = NULL, *b = NULL;
    int64_t started = now_ms();
    OKC(c, prisma_tx_begin(c, NULL, &a));
    OKC(a, user_create(a, &(UserCreateInput){ .email = "held@x" }, NULL));
    int64_t t0 = now_ms();
    FAILS_WITH_PREFIX(c, prisma_tx_begin(c, NULL, &b), "P2028", START_TIMEOUT);
    int64_t waited = now_ms() - t0;
    ck_assert_ptr_null(b);
    ck_assert_msg(strstr(prisma_error_message(c), "2000 ms") != NULL, "%s", prisma_error_message(c));
    ck_assert_int_ge(waited, 1900);
    ck_assert_int_lt(waited, 4500);
    /* The first one is rolled back 5000 ms after it started. */
    sleep_ms(5400 - (now_ms() - started));
    ck_assert_int_eq(user_create(a, &(UserCreateInput){ .email = "late@x" }, NULL), PRISMA_ERROR);
    EXPIRED(a, "query", 5000, 5000, 7500);
    ck_assert_int_eq(prisma_tx_commit(a), PRISMA_ERROR);
    EXPIRED(a, "commit", 5000, 5000, 7500);
    ck_assert(!user_exists(c, "held@x"));
    ck_assert(!user_exists(c, "late@x"));
    prisma_tx_free(a);
    prisma_disconnect(c);
}
END_TEST

/* Items 2 and 4: client-wide defaults (prisma_connect_with) apply to manual,
 * interactive and batch transactions, and a per-call option overrides them
 * ("timeout override", "timeout override by PrismaClient", "batching timeout
 * override": a client-level timeout of 1 ms, a batch with 5000 ms succeeds). */
START_TEST(client_wide_options_apply_and_each_call_overrides_them)
{
    prisma_client *c = client_with((prisma_options){ .timeout_ms = 300, .pool_size = 2 });
    /* Manual, the client's 300 ms. */
    prisma_client *t = NULL;
    OKC(c, prisma_tx_begin(c, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "manual@x" }, NULL));
    sleep_ms(600);
    ck_assert_int_eq(prisma_tx_commit(t), PRISMA_ERROR);
    EXPIRED(t, "commit", 300, 300, 2300);
    prisma_tx_free(t);
    ck_assert(!user_exists(c, "manual@x"));
    /* Interactive, the client's 300 ms ... */
    sleepy s = { .email = "interactive@x", .sleep_ms = 600 };
    ck_assert_int_eq(prisma_transaction(c, sleepy_cb, &s, NULL), PRISMA_ERROR);
    EXPIRED(c, "commit", 300, 300, 2300);
    ck_assert(!user_exists(c, "interactive@x"));
    /* ... overridden per call. */
    s = (sleepy){ .email = "override@x", .sleep_ms = 600 };
    OKC(c, prisma_transaction(c, sleepy_cb, &s, &(prisma_tx_options){ .timeout_ms = 10000 }));
    ck_assert(user_exists(c, "override@x"));
    /* A batch that takes longer than the client's timeout finishes with a
     * per-call one (see a_batch_past_its_timeout_is_rolled_back for the
     * client's timeout on a batch). */
    prisma_batch *b = NULL;
    OKC(c, prisma_batch_new(c, &b));
    OKC(c, user_batch_create(b, &(UserCreateInput){ .email = "batch@x" }, NULL));
    OKC(c, prisma_batch_execute_raw(b, slow_sql(600), NULL, 0, NULL));
    OKC(c, prisma_batch_run(b, &(prisma_tx_options){ .timeout_ms = 30000 }, NULL));
    ck_assert(user_exists(c, "batch@x"));
    prisma_batch_free(b);
    prisma_disconnect(c);

    /* "batching timeout override": timeout 1 ms on the client, 5000 per call. */
    c = client_with((prisma_options){ .timeout_ms = 1 });
    OKC(c, prisma_batch_new(c, &b));
    User *u1 = NULL, *u2 = NULL;
    OKC(c, user_batch_create(b, &(UserCreateInput){ .email = "one@x" }, &u1));
    OKC(c, user_batch_create(b, &(UserCreateInput){ .email = "two@x" }, &u2));
    OKC(c, prisma_batch_run(b, &(prisma_tx_options){ .timeout_ms = 5000 }, NULL));
    ck_assert_ptr_nonnull(u1);
    ck_assert_ptr_nonnull(u2);
    ck_assert_str_eq(u2->email, "two@x");
    user_free(u1);
    user_free(u2);
    prisma_batch_free(b);
    ck_assert_int_eq(count_users(c), 4);
    prisma_disconnect(c);
}
END_TEST

/* Items 4 and 12: a batch takes the timeout too (the client's, or its own):
 * a statement still running at the timeout is interrupted, the batch reports
 * the expiry (P2028) and none of its writes persist. Both the one-round-trip
 * form (only single statements) and the statement-by-statement form (with a
 * raw query). */
START_TEST(a_batch_past_its_timeout_is_rolled_back)
{
    prisma_client *c = client_with((prisma_options){ .timeout_ms = 300 });
    for (int form = 0; form < 2; form++) {
        for (int own = 0; own < 2; own++) {
            prisma_batch *b = NULL;
            prisma_raw_rows *rows = NULL;
            prisma_client *on = own ? db : c;
            OKC(on, prisma_batch_new(on, &b));
            OKC(on, user_batch_create(b, &(UserCreateInput){ .email = "batch@x" }, NULL));
            if (form == 0)
                OKC(on, prisma_batch_execute_raw(b, slow_sql(1500), NULL, 0, NULL));
            else
                OKC(on, prisma_batch_query_raw(b, slow_sql(1500), NULL, 0, &rows));
            int64_t t0 = now_ms();
            int rc = prisma_batch_run(b, own ? &(prisma_tx_options){ .timeout_ms = 300 } : NULL, NULL);
            int64_t took = now_ms() - t0;
            prisma_batch_free(b);
            prisma_free(rows);
            ck_assert_msg(rc == PRISMA_ERROR, "form %d, %s timeout: the batch ran past its timeout (%lld ms)", form,
                          own ? "its own" : "the client's", (long long)took);
            ck_assert_msg(strcmp(code_of(on), "P2028") == 0 && strstr(prisma_error_message(on), "expired transaction") &&
                              strstr(prisma_error_message(on), "The timeout for this transaction was 300 ms"),
                          "form %d: a batch past its timeout: %s %s", form, code_of(on), prisma_error_message(on));
            ck_assert_int_lt(took, 1400);
            ck_assert(!user_exists(c, "batch@x"));
        }
    }
    prisma_disconnect(c);
}
END_TEST

/* Item 2, max_wait: the client's default applies and a per-call value
 * overrides it (on one connection held by another transaction). */
START_TEST(client_wide_max_wait_is_overridden_per_call)
{
    prisma_client *c = client_with((prisma_options){ .pool_size = 1, .max_wait_ms = 150 });
    prisma_client *hold = NULL, *t = NULL;
    OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .timeout_ms = 20000 }, &hold));
    int64_t t0 = now_ms();
    FAILS_WITH_PREFIX(c, prisma_tx_begin(c, NULL, &t), "P2028", START_TIMEOUT);
    int64_t w1 = now_ms() - t0;
    ck_assert_msg(strstr(prisma_error_message(c), "150 ms") != NULL, "%s", prisma_error_message(c));
    t0 = now_ms();
    FAILS_WITH_PREFIX(c, prisma_tx_begin(c, &(prisma_tx_options){ .max_wait_ms = 700 }, &t), "P2028",
                      START_TIMEOUT);
    int64_t w2 = now_ms() - t0;
    ck_assert_msg(strstr(prisma_error_message(c), "700 ms") != NULL, "%s", prisma_error_message(c));
    ck_assert_int_ge(w1, 140);
    ck_assert_int_lt(w1, 650);
    ck_assert_int_ge(w2, 690);
    ck_assert_int_lt(w2, 2500);
    OKC(hold, prisma_tx_commit(hold));
    prisma_tx_free(hold);
    prisma_disconnect(c);
}
END_TEST

/* Item 3 (and 48): invalid values fail at construction with Prisma's words;
 * per call they fail before anything runs. Zero means "the default" in C. */
START_TEST(invalid_option_values_are_rejected)
{
    prisma_client *c = NULL;
    ck_assert_int_eq(prisma_connect_with(&c, url, &(prisma_options){ .max_wait_ms = -1 }), PRISMA_ERROR);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(prisma_last_connect_error(),
                     "Invalid value -1 for maxWait in \"transactionOptions\" provided to PrismaClient constructor. "
                     "maxWait needs to be greater than 0");
    ck_assert_int_eq(prisma_connect_with(&c, url, &(prisma_options){ .timeout_ms = -5 }), PRISMA_ERROR);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(prisma_last_connect_error(),
                     "Invalid value -5 for timeout in \"transactionOptions\" provided to PrismaClient constructor. "
                     "timeout needs to be greater than 0");

    /* Per call: nothing starts, the callback is not called, the batch does not run. */
    prisma_client *t = NULL;
    ck_assert_int_eq(prisma_tx_begin(db, &(prisma_tx_options){ .max_wait_ms = -1 }, &t), PRISMA_ERROR);
    ck_assert_ptr_null(t);
    ck_assert_msg(strstr(prisma_error_message(db), "Invalid value -1 for maxWait") &&
                      strstr(prisma_error_message(db), "maxWait needs to be greater than 0"),
                  "%s", prisma_error_message(db));
    int calls = 0;
    ck_assert_int_eq(prisma_transaction(db, count_calls, &calls, &(prisma_tx_options){ .timeout_ms = -7 }),
                     PRISMA_ERROR);
    ck_assert_int_eq(calls, 0);
    ck_assert_msg(strstr(prisma_error_message(db), "Invalid value -7 for timeout") &&
                      strstr(prisma_error_message(db), "timeout needs to be greater than 0"),
                  "%s", prisma_error_message(db));
    /* Item 48: a level that is not one. */
    const char *bad_level = "Inconsistent column data: Conversion failed: Invalid isolation level `42`";
    FAILS(db, prisma_tx_begin(db, &(prisma_tx_options){ .isolation = (prisma_isolation)42 }, &t), "P2023",
          bad_level);
    ck_assert_ptr_null(t);
    FAILS(db, prisma_transaction(db, count_calls, &calls, &(prisma_tx_options){ .isolation = (prisma_isolation)42 }),
          "P2023", bad_level);
    ck_assert_int_eq(calls, 0);
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "never@x" }, NULL));
    size_t failed = 0;
    FAILS(db, prisma_batch_run(b, &(prisma_tx_options){ .isolation = (prisma_isolation)42 }, &failed), "P2023",
          bad_level);
    ck_assert(!user_exists(db, "never@x"));
    /* Negative times on a batch. */
    ck_assert_int_eq(prisma_batch_run(b, &(prisma_tx_options){ .timeout_ms = -7 }, &failed), PRISMA_ERROR);
    ck_assert_msg(strstr(prisma_error_message(db), "Invalid value -7 for timeout") != NULL, "batch: %s %s",
                  code_of(db), prisma_error_message(db));
    ck_assert_uint_eq(failed, SIZE_MAX);
    ck_assert_int_eq(prisma_batch_run(b, &(prisma_tx_options){ .max_wait_ms = -3 }, &failed), PRISMA_ERROR);
    ck_assert_msg(strstr(prisma_error_message(db), "Invalid value -3 for maxWait") != NULL, "batch: %s %s",
                  code_of(db), prisma_error_message(db));
    ck_assert(!user_exists(db, "never@x"));
    prisma_batch_free(b);
}
END_TEST

void tx_options_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, defaults_are_max_wait_2000_and_timeout_5000);
    tcase_add_test(tc, client_wide_options_apply_and_each_call_overrides_them);
    tcase_add_test(tc, a_batch_past_its_timeout_is_rolled_back);
    tcase_add_test(tc, client_wide_max_wait_is_overridden_per_call);
    tcase_add_test(tc, invalid_option_values_are_rejected);
}
