/* Reads a planted bug got past the rest of the suite with: includes across
 * the loader's statement boundaries, find_first with a negative take. */
#include "regressions.h"

/* More parents than one include statement holds (500 a statement), so that
 * the loader's boundaries fall inside the page: 1,001 users with a post, a
 * profile and (through their post) a tag each. */
enum { PARENTS = 1001 };

static void make_family(void)
{
    UserCreateInput *users = calloc(PARENTS, sizeof *users);
    char (*emails)[16] = calloc(PARENTS, sizeof *emails);
    ck_assert(users && emails);
    for (int i = 0; i < PARENTS; i++) {
        snprintf(emails[i], sizeof emails[i], "u%04d@x", i);
        users[i] = (UserCreateInput){ .email = emails[i], .balance = PRISMA_INT(i) };
    }
    int64_t n = 0;
    OK(user_create_many(db, users, PARENTS, false, &n));
    ck_assert_int_eq(n, PARENTS);
    free(users);
    free(emails);
    run_sql("INSERT INTO \"Post\" (title, \"authorId\") SELECT email, id FROM users");
    run_sql("INSERT INTO \"Profile\" (bio, \"userId\") SELECT email, id FROM users");
    run_sql("INSERT INTO \"Tag\" (name) SELECT title FROM \"Post\"");
    run_sql("INSERT INTO \"_PostToTag\" (\"A\", \"B\") SELECT p.id, t.id FROM \"Post\" p JOIN \"Tag\" t ON t.name = p.title");
}

START_TEST(include_fills_every_parent_across_statement_boundaries)
{
    make_family();
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .include = &(UserInclude){ .posts = true, .profile = true },
                                               .order_by = &(UserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 },
                      &l));
    ck_assert_uint_eq(l->len, PARENTS);
    for (size_t i = 0; i < l->len; i++) {
        const User *u = &l->items[i];
        ck_assert_msg(u->posts && u->posts->len == 1, "user %zu of %d has %zu posts", i + 1, PARENTS,
                      u->posts ? u->posts->len : 0);
        ck_assert_str_eq(u->posts->items[0].title, u->email);
        ck_assert_msg(u->profile != NULL, "user %zu of %d has no profile", i + 1, PARENTS);
        ck_assert_str_eq(u->profile->bio, u->email);
    }
    user_list_free(l);

    PostList *pl = NULL;
    OK(post_find_many(db, &(PostFindManyArgs){ .include = &(PostInclude){ .author = true, .tags = true },
                                               .order_by = &(PostOrderByInput){ .id = PRISMA_DESC }, .order_by_len = 1 },
                      &pl));
    ck_assert_uint_eq(pl->len, PARENTS);
    for (size_t i = 0; i < pl->len; i++) {
        const Post *p = &pl->items[i];
        ck_assert_msg(p->author != NULL, "post %zu of %d has no author", i + 1, PARENTS);
        ck_assert_str_eq(p->author->email, p->title);
        ck_assert_msg(p->tags && p->tags->len == 1, "post %zu of %d has %zu tags", i + 1, PARENTS,
                      p->tags ? p->tags->len : 0);
        ck_assert_str_eq(p->tags->items[0].name, p->title);
    }
    post_list_free(pl);
}
END_TEST

static void add_user(const char *email, int balance)
{
    OK(user_create(db, &(UserCreateInput){ .email = email, .balance = PRISMA_INT(balance) }, NULL));
}

/* take -1 reads from the end of the ordering: the last record, not the first. */
START_TEST(find_first_with_take_minus_one_is_the_last_record)
{
    add_user("b@x", 2);
    add_user("c@x", 3);
    add_user("a@x", 1);
    User *u = NULL;
    OK(user_find_first(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(-1) }, &u));
    ck_assert_ptr_nonnull(u);
    ck_assert_str_eq(u->email, "a@x"); /* the last by id */
    user_free(u);
    OK(user_find_first(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(-1), .order_by = &(UserOrderByInput){ .balance = PRISMA_ASC },
                                                .order_by_len = 1 },
                       &u));
    ck_assert_str_eq(u->email, "c@x");
    user_free(u);
    OK(user_find_first(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(-1), .order_by = &(UserOrderByInput){ .balance = PRISMA_DESC },
                                                .order_by_len = 1 },
                       &u));
    ck_assert_str_eq(u->email, "a@x");
    user_free(u);
    OK(user_find_first(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(1), .order_by = &(UserOrderByInput){ .balance = PRISMA_ASC },
                                                .order_by_len = 1 },
                       &u));
    ck_assert_str_eq(u->email, "a@x");
    user_free(u);
    /* find_first_or_throw and find_many agree. */
    OK(user_find_first_or_throw(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(-1), .where = &(UserWhereInput){ .balance = { .lt = PRISMA_INT(3) } } },
                                &u));
    ck_assert_str_eq(u->email, "a@x");
    user_free(u);
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(-2), .order_by = &(UserOrderByInput){ .balance = PRISMA_ASC },
                                               .order_by_len = 1 },
                      &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_str_eq(l->items[0].email, "b@x");
    ck_assert_str_eq(l->items[1].email, "c@x");
    user_list_free(l);
}
END_TEST

void add_read_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, include_fills_every_parent_across_statement_boundaries);
    tcase_add_test(tc, find_first_with_take_minus_one_is_the_last_record);
}
