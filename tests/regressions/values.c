/* Values that must read back as written: the cases a planted bug in the
 * decoders got past the rest of the suite with. */
#include "regressions.h"

/* SQLite hands a whole-number Decimal back as an integer's text ("100"):
 * only a fraction's padding zeros may be dropped, never an integer's. */
START_TEST(whole_number_decimals_keep_their_zeros)
{
    static const char *const written[] = { "100", "-100", "10", "0", "1000000", "100.5", "2.50", "0.001" };
    static const char *const read[] = { "100", "-100", "10", "0", "1000000", "100.5", "2.5", "0.001" };
    enum { N = sizeof written / sizeof written[0] };
    for (int i = 0; i < N; i++) {
        char email[32];
        snprintf(email, sizeof email, "d%d@x", i);
        User *u = NULL;
        OK(user_create(db, &(UserCreateInput){ .email = email, .price = written[i] }, &u));
        ck_assert_str_eq(u->price, read[i]);
        user_free(u);
    }
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .order_by = &(UserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 },
                      &l));
    ck_assert_uint_eq(l->len, N);
    for (int i = 0; i < N; i++)
        ck_assert_msg(strcmp(l->items[i].price, read[i]) == 0, "wrote %s, read %s", written[i], l->items[i].price);
    user_list_free(l);
}
END_TEST

/* PostgreSQL prints fractions of a second without their trailing zeros
 * (.5 for 500 ms): each digit keeps its place. */
START_TEST(datetime_milliseconds_ending_in_zero_round_trip)
{
    static const int ms[] = { 500, 120, 100, 10, 1, 0, 999, 50 };
    enum { N = sizeof ms / sizeof ms[0] };
    const int64_t base = 1700000000000; /* 2023-11-14T22:13:20Z */
    for (int i = 0; i < N; i++) {
        char email[32];
        snprintf(email, sizeof email, "t%d@x", i);
        OK(user_create(db, &(UserCreateInput){ .email = email, .birthday = PRISMA_DATETIME(base + ms[i]) }, NULL));
    }
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .order_by = &(UserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 },
                      &l));
    ck_assert_uint_eq(l->len, N);
    for (int i = 0; i < N; i++) {
        ck_assert_ptr_nonnull(l->items[i].birthday);
        ck_assert_msg(*l->items[i].birthday == base + ms[i], "wrote %d ms, read %lld ms", ms[i],
                      (long long)(*l->items[i].birthday - base));
    }
    user_list_free(l);
    /* And as a filter's value: the row written with 500 ms is found by it. */
    int64_t n = -1;
    OK(user_count(db, &(UserWhereInput){ .birthday = { .equals = PRISMA_DATETIME(base + 500) } }, &n));
    ck_assert_int_eq(n, 1);
}
END_TEST

/* Every double keeps its 17 significant digits on the way in and out. */
START_TEST(floats_keep_every_digit)
{
    static const double written[] = { 0.30000000000000004, 1.0000000000000002, 2.2250738585072014e-308,
                                       1.7976931348623157e308, -123456789.12345679, 4.9406564584124654e-324 };
    enum { N = sizeof written / sizeof written[0] };
    for (int i = 0; i < N; i++) {
        char email[32];
        snprintf(email, sizeof email, "f%d@x", i);
        OK(user_create(db, &(UserCreateInput){ .email = email, .ratio = PRISMA_FLOAT(written[i]) }, NULL));
        /* The same value as a filter finds the row. */
        int64_t n = -1;
        OK(user_count(db, &(UserWhereInput){ .ratio = { .equals = PRISMA_FLOAT(written[i]) } }, &n));
        ck_assert_msg(n == 1, "%.17g: found %lld rows by equality", written[i], (long long)n);
    }
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .order_by = &(UserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 },
                      &l));
    ck_assert_uint_eq(l->len, N);
    for (int i = 0; i < N; i++)
        ck_assert_msg(l->items[i].ratio == written[i], "wrote %.17g, read %.17g", written[i], l->items[i].ratio);
    user_list_free(l);
}
END_TEST

/* Before 1970 the milliseconds still count forwards from the second before. */
START_TEST(datetimes_before_1970_round_trip)
{
    static const int64_t written[] = { -1, -999, -1000, -1001, -86400001, -2208988800500LL /* 1899-12-31T23:59:59.500Z */ };
    enum { N = sizeof written / sizeof written[0] };
    for (int i = 0; i < N; i++) {
        char email[32];
        snprintf(email, sizeof email, "b%d@x", i);
        OK(user_create(db, &(UserCreateInput){ .email = email, .birthday = PRISMA_DATETIME(written[i]) }, NULL));
    }
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .order_by = &(UserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 },
                      &l));
    ck_assert_uint_eq(l->len, N);
    for (int i = 0; i < N; i++)
        ck_assert_msg(*l->items[i].birthday == written[i], "wrote %lld ms, read %lld ms", (long long)written[i],
                      (long long)*l->items[i].birthday);
    user_list_free(l);
    int64_t n = -1;
    OK(user_count(db, &(UserWhereInput){ .birthday = { .lt = PRISMA_DATETIME(-1000) } }, &n));
    ck_assert_int_eq(n, 3); /* -1001, -86400001 and 1899 */
}
END_TEST

/* An Int column holding more than 32 bits (written behind the client's
 * back, where the database lets that happen) is refused with P2020, never
 * read as a truncated number. */
START_TEST(an_int_column_past_32_bits_is_refused_not_truncated)
{
    OK(user_create(db, &(UserCreateInput){ .email = "big@x" }, NULL));
    if (prisma_execute_raw(db, "UPDATE users SET balance = 2147483648", NULL, 0, NULL) != PRISMA_OK) {
        /* The database holds 32 bits in the column itself. */
        ck_assert_str_eq(prisma_error_code(db), "P2010");
        return;
    }
    User *u = NULL;
    ck_assert_int_eq(user_find_unique(db, &(UserWhereUniqueInput){ .email = "big@x" }, &u), PRISMA_ERROR);
    ck_assert_ptr_null(u);
    ck_assert_str_eq(prisma_error_code(db), "P2020");
}
END_TEST

/* A DateTime written as text by another program, with a UTC offset: where
 * the database keeps the text (SQLite), the offset counts, its sign
 * included; where it drops the offset (PostgreSQL's timestamp), the local
 * time stands; where it refuses such text (MariaDB's DATETIME), P2010. */
START_TEST(datetime_text_with_an_offset_reads_as_its_instant)
{
    static const struct { const char *text; int64_t kept, dropped; } cases[] = {
        { "2020-01-01T00:00:00.250-05:30", 1577856600250LL, 1577836800250LL },
        { "2020-01-01T00:00:00.250+02:00", 1577829600250LL, 1577836800250LL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        User *u = NULL;
        char email[32];
        snprintf(email, sizeof email, "tz%zu@x", i);
        OK(user_create(db, &(UserCreateInput){ .email = email }, &u));
        int id = u->id;
        user_free(u);
        const char *sql = testdb_sql("UPDATE users SET birthday = '%s' WHERE id = %d", cases[i].text, id);
        if (testdb->refuses_datetime_offsets) {
            ck_assert_int_eq(prisma_execute_raw(db, sql, NULL, 0, NULL), PRISMA_ERROR);
            ck_assert_str_eq(prisma_error_code(db), "P2010");
            continue;
        }
        run_sql(sql);
        OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u));
        ck_assert_ptr_nonnull(u);
        ck_assert_ptr_nonnull(u->birthday);
        int64_t want = testdb->keeps_datetime_offsets ? cases[i].kept : cases[i].dropped;
        ck_assert_msg(*u->birthday == want, "%s read as %lld ms, not %lld", cases[i].text, (long long)*u->birthday,
                      (long long)want);
        user_free(u);
    }
}
END_TEST

void add_value_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, datetime_text_with_an_offset_reads_as_its_instant);
    tcase_add_test(tc, floats_keep_every_digit);
    tcase_add_test(tc, datetimes_before_1970_round_trip);
    tcase_add_test(tc, an_int_column_past_32_bits_is_refused_not_truncated);
    tcase_add_test(tc, whole_number_decimals_keep_their_zeros);
    tcase_add_test(tc, datetime_milliseconds_ending_in_zero_round_trip);
}
