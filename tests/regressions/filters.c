/* Filters and orderings a planted bug got past the rest of the suite with:
 * wildcards in patterns, empty lists, enums, ties under a cursor or a
 * negative take. */
#include "regressions.h"

static void add(const char *email, const char *name, Role role, int balance)
{
    OK(user_create(db, &(UserCreateInput){ .email = email, .name = name, .role = role, .balance = PRISMA_INT(balance) },
                   NULL));
}

static int64_t count(const UserWhereInput *w)
{
    int64_t n = -1;
    OK(user_count(db, w, &n));
    return n;
}

/* A count with mode: insensitive on the name; where the database has no
 * such mode (Prisma on MySQL) it is refused (P2009), and the filter without
 * it counts the same, the text comparing ignoring case already. */
static int64_t count_insensitive(UserWhereInput w)
{
    if (testdb->insensitive_mode)
        return count(&w);
    int64_t n = -1;
    ck_assert_int_eq(user_count(db, &w, &n), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    ck_assert(testdb->case_insensitive_text);
    w.name.mode = PRISMA_MODE_DEFAULT;
    return count(&w);
}

/* The wildcards of LIKE (% _ \) and of GLOB (* ? [) in a pattern are the
 * characters themselves, in both modes. */
START_TEST(pattern_wildcards_match_only_themselves)
{
    static const char *const names[] = { "a_b", "axb", "a%b", "a?b", "a*b", "a[b]", "a\\b", "A_B" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char email[16];
        snprintf(email, sizeof email, "%zu@x", i);
        add(email, names[i], ROLE_USER, 0);
    }
    static const struct {
        const char *pattern;
        int64_t sensitive, insensitive;
    } cases[] = { { "a_b", 1, 2 }, { "a%b", 1, 1 }, { "a?b", 1, 1 }, { "a*b", 1, 1 },
                  { "a[b]", 1, 1 }, { "a\\b", 1, 1 }, { "_", 2, 2 }, { "?", 1, 1 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = cases[i].pattern;
        int64_t s = count(&(UserWhereInput){ .name = { .contains = p } });
        int64_t ins = count_insensitive((UserWhereInput){ .name = { .contains = p, .mode = PRISMA_INSENSITIVE } });
        /* Where text ignores case, "a_b" is "A_B" without the mode too. */
        int64_t sensitive = testdb->case_insensitive_text ? cases[i].insensitive : cases[i].sensitive;
        ck_assert_msg(s == sensitive, "contains \"%s\": %lld rows", p, (long long)s);
        ck_assert_msg(ins == cases[i].insensitive, "contains \"%s\" (insensitive): %lld rows", p, (long long)ins);
    }
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .starts_with = "a_" } }), testdb->case_insensitive_text ? 2 : 1);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .ends_with = "?b" } }), 1);
    ck_assert_int_eq(count_insensitive((UserWhereInput){ .name = { .ends_with = "_b", .mode = PRISMA_INSENSITIVE } }), 2);
}
END_TEST

/* starts_with and ends_with are anchored at their end of the value. */
START_TEST(starts_with_and_ends_with_are_anchored)
{
    add("1@x", "abc", ROLE_USER, 0);
    add("2@x", "abcabc", ROLE_USER, 0);
    add("3@x", "xabcx", ROLE_USER, 0);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .ends_with = "abc" } }), 2);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .ends_with = "ab" } }), 0);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .starts_with = "bc" } }), 0);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .starts_with = "abc" } }), 2);
    ck_assert_int_eq(count_insensitive((UserWhereInput){ .name = { .ends_with = "AB", .mode = PRISMA_INSENSITIVE } }), 0);
    ck_assert_int_eq(count_insensitive((UserWhereInput){ .name = { .starts_with = "BC", .mode = PRISMA_INSENSITIVE } }), 0);
}
END_TEST

/* in [] matches nothing, not_in [] everything; an enum filter compares with
 * its own value; null and not-null are told apart. */
START_TEST(empty_lists_enums_and_nulls)
{
    add("u@x", "u", ROLE_USER, 1);
    add("a@x", NULL, ROLE_ADMIN, 2);
    add("g@x", "g", ROLE_GUEST, 3);
    ck_assert_int_eq(count(&(UserWhereInput){ .balance = { .not_in = PRISMA_EMPTY_LIST } }), 3);
    ck_assert_int_eq(count(&(UserWhereInput){ .email = { .not_in = PRISMA_EMPTY_LIST } }), 3);
    ck_assert_int_eq(count(&(UserWhereInput){ .role = { .not_in = PRISMA_EMPTY_LIST } }), 3);
    ck_assert_int_eq(count(&(UserWhereInput){ .role = { .in = PRISMA_EMPTY_LIST } }), 0);
    static const Role roles[] = { ROLE_USER, ROLE_ADMIN, ROLE_GUEST };
    for (int i = 0; i < 3; i++) {
        User *u = NULL;
        OK(user_find_first(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .role = { .equals = roles[i] } } }, &u));
        ck_assert_ptr_nonnull(u);
        ck_assert_int_eq(u->role, roles[i]);
        ck_assert_int_eq(u->balance, i + 1);
        user_free(u);
        ck_assert_int_eq(count(&(UserWhereInput){ .role = { .not_ = roles[i] } }), 2);
    }
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .equals = PRISMA_NULL } }), 1);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .not_ = PRISMA_NULL } }), 2);
    ck_assert_int_eq(count(&(UserWhereInput){ .score = { .equals = PRISMA_INT_NULL } }), 3);
    ck_assert_int_eq(count(&(UserWhereInput){ .score = { .not_ = PRISMA_INT_NULL } }), 0);
}
END_TEST

/* Ties in the ordering are broken by the primary key, in the direction of
 * the read: a cursor continues after its row, a negative take ends at the
 * last row. Balances: 1 1 1 2 2 (ids 1..5). */
START_TEST(ties_under_a_cursor_and_a_negative_take)
{
    static const int balances[] = { 1, 1, 1, 2, 2 };
    int ids[5];
    for (int i = 0; i < 5; i++) {
        char email[16];
        snprintf(email, sizeof email, "%d@x", i);
        User *u = NULL;
        OK(user_create(db, &(UserCreateInput){ .email = email, .balance = PRISMA_INT(balances[i]) }, &u));
        ids[i] = u->id;
        user_free(u);
    }
    const UserOrderByInput by_balance = { .balance = PRISMA_ASC };
    UserList *l = NULL;
    /* From the second row of the tie, three rows. */
    OK(user_find_many(db, &(UserFindManyArgs){ .cursor = &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[1]) },
                                               .order_by = &by_balance, .order_by_len = 1, .take = PRISMA_TAKE(3) },
                      &l));
    ck_assert_uint_eq(l->len, 3);
    ck_assert_int_eq(l->items[0].id, ids[1]);
    ck_assert_int_eq(l->items[1].id, ids[2]);
    ck_assert_int_eq(l->items[2].id, ids[3]);
    user_list_free(l);
    /* Backwards from the fourth row, two rows. */
    OK(user_find_many(db, &(UserFindManyArgs){ .cursor = &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[3]) },
                                               .order_by = &by_balance, .order_by_len = 1, .take = PRISMA_TAKE(-2) },
                      &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_int_eq(l->items[0].id, ids[2]);
    ck_assert_int_eq(l->items[1].id, ids[3]);
    user_list_free(l);
    /* The last two of the tie of 1s. */
    OK(user_find_many(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .balance = { .equals = PRISMA_INT(1) } },
                                               .order_by = &by_balance, .order_by_len = 1, .take = PRISMA_TAKE(-2) },
                      &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_int_eq(l->items[0].id, ids[1]);
    ck_assert_int_eq(l->items[1].id, ids[2]);
    user_list_free(l);
}
END_TEST

/* An upsert on a compound unique targets all its columns: two rows that
 * share the first column are two rows. (Membership also has
 * @@unique([level, note]): each row its own note.) */
START_TEST(upsert_on_a_compound_unique)
{
    static const char *const created[] = { "new 1", "new 2" }, *const updated[] = { "again 1", "again 2" };
    for (int user = 1; user <= 2; user++)
        for (int round = 0; round < 2; round++)
            OK(membership_upsert(db, &(MembershipWhereUniqueInput){ .orgId_userId = { .orgId = PRISMA_INT(7), .userId = PRISMA_INT(user) } },
                                 &(MembershipCreateInput){ .orgId = PRISMA_INT(7), .userId = PRISMA_INT(user), .note = created[user - 1] },
                                 &(MembershipUpdateInput){ .note = updated[user - 1] }, NULL));
    MembershipList *l = NULL;
    OK(membership_find_many(db, &(MembershipFindManyArgs){ .order_by = &(MembershipOrderByInput){ .userId = PRISMA_ASC },
                                                           .order_by_len = 1 },
                            &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_str_eq(l->items[0].note, "again 1");
    ck_assert_str_eq(l->items[1].note, "again 2");
    membership_list_free(l);
    /* With nothing to update, the row comes back as it is. */
    Membership *m = NULL;
    OK(membership_upsert(db, &(MembershipWhereUniqueInput){ .orgId_userId = { .orgId = PRISMA_INT(7), .userId = PRISMA_INT(1) } },
                         &(MembershipCreateInput){ .orgId = PRISMA_INT(7), .userId = PRISMA_INT(1) },
                         &(MembershipUpdateInput){ 0 }, &m));
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->note, "again 1");
    membership_free(m);
}
END_TEST

void add_filter_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, pattern_wildcards_match_only_themselves);
    tcase_add_test(tc, starts_with_and_ends_with_are_anchored);
    tcase_add_test(tc, empty_lists_enums_and_nulls);
    tcase_add_test(tc, ties_under_a_cursor_and_a_negative_take);
    tcase_add_test(tc, upsert_on_a_compound_unique);
}
