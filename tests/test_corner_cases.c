/* Prisma's results in the corner cases: take 0, empty in / not_in lists,
 * AND / OR / NOT with no members, a where on NULL versus one not given, ties
 * in an ordering, a cursor on a missing record, duplicates in nested lists,
 * records returned after nested writes, and integer arithmetic that
 * overflows (refused, and nothing committed). On every backend of
 * tests/meson.build's test_backends, on tests/schemas/crud.prisma.in. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

static const char *url;
static prisma_client *db;

static const char *const tables[] = { "_PostToTag", "Post", "Profile", "users", "Tag", "Item", "Membership" };

#define OK(call)                                                                                                   \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, prisma_error_code(db) ? prisma_error_code(db) : "-", \
                  prisma_error_message(db))

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

/* Five users; balances 10, 20, 20, 20, 30; names NULL for the 2nd and 4th. */
static int ids[5];
static void seed(void)
{
    static const int balances[] = { 10, 20, 20, 20, 30 };
    for (int i = 0; i < 5; i++) {
        char email[16];
        snprintf(email, sizeof email, "u%d@x", i);
        User *u = NULL;
        OK(user_create(db,
                       &(UserCreateInput){ .email = email, .name = i % 2 ? PRISMA_NULL : "N",
                                           .balance = PRISMA_INT(balances[i]), .score = i % 2 ? PRISMA_INT_NULL : PRISMA_INT(i) },
                       &u));
        ids[i] = u->id;
        user_free(u);
    }
}

static size_t count_where(const UserWhereInput *w)
{
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .where = w }, &l));
    size_t n = l->len;
    int64_t c = -1;
    OK(user_count(db, w, &c));
    ck_assert_int_eq(c, (int64_t)n);
    user_list_free(l);
    return n;
}

static void count_statement(void *arg, const char *sql)
{
    (void)sql;
    ++*(int *)arg;
}

static int count_record(const User *u, void *arg)
{
    (void)u;
    ++*(int *)arg;
    return PRISMA_OK;
}

START_TEST(take_zero_returns_no_rows_and_unset_take_every_row)
{
    seed();
    UserList *l = NULL;
    int sent = 0;
    prisma_set_trace(db, count_statement, &sent);
    OK(user_find_many(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(0) }, &l));
    prisma_set_trace(db, NULL, NULL);
    ck_assert_ptr_nonnull(l);
    ck_assert_uint_eq(l->len, 0);
    ck_assert_int_eq(sent, 0);
    user_list_free(l);
    OK(user_find_many(db, &(UserFindManyArgs){ .skip = 1 }, &l));
    ck_assert_uint_eq(l->len, 4);
    user_list_free(l);
    OK(user_find_many(db, &(UserFindManyArgs){ 0 }, &l));
    ck_assert_uint_eq(l->len, 5);
    user_list_free(l);
    OK(user_find_many(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(2) }, &l));
    ck_assert_uint_eq(l->len, 2);
    user_list_free(l);
    int seen = 0;
    OK(user_find_each(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(0) }, count_record, &seen));
    ck_assert_int_eq(seen, 0);
    OK(user_find_each(db, &(UserFindManyArgs){ 0 }, count_record, &seen));
    ck_assert_int_eq(seen, 5);
    /* In a batch too. */
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    UserList *none = NULL, *all = NULL;
    OK(user_batch_find_many(b, &(UserFindManyArgs){ .take = PRISMA_TAKE(0) }, &none));
    OK(user_batch_find_many(b, &(UserFindManyArgs){ 0 }, &all));
    OK(prisma_batch_run(b, NULL, NULL));
    ck_assert_uint_eq(none->len, 0);
    ck_assert_uint_eq(all->len, 5);
    user_list_free(none);
    user_list_free(all);
    prisma_batch_free(b);
}
END_TEST

START_TEST(empty_in_matches_nothing_and_empty_not_in_everything)
{
    seed();
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .id = { .in = PRISMA_EMPTY_LIST } }), 0);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .id = { .not_in = PRISMA_EMPTY_LIST } }), 5);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .email = { .in = PRISMA_EMPTY_LIST } }), 0);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .email = { .not_in = PRISMA_EMPTY_LIST } }), 5);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .big = { .in = PRISMA_EMPTY_LIST } }), 0);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .role = { .not_in = PRISMA_EMPTY_LIST } }), 5);
    /* An empty not_in keeps the NULLs too. */
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .score = { .not_in = PRISMA_EMPTY_LIST } }), 5);
    /* Combined with other conditions. */
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .balance = { .equals = PRISMA_INT(20) },
                                                     .id = { .not_in = PRISMA_EMPTY_LIST } }),
                      3);
    /* Deleting with an empty in deletes nothing. */
    int64_t n = -1;
    OK(user_delete_many(db, &(UserWhereInput){ .id = { .in = PRISMA_EMPTY_LIST } }, &n));
    ck_assert_int_eq(n, 0);
    ck_assert_uint_eq(count_where(NULL), 5);
}
END_TEST

START_TEST(and_or_not_with_no_members)
{
    seed();
    static const UserWhereInput none[1];
    /* AND [] is true, OR [] is false, NOT [] is true (Prisma). */
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .AND = none, .AND_len = 0 }), 5);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .OR = none, .OR_len = 0 }), 0);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .NOT = none, .NOT_len = 0 }), 5);
    /* Inside NOT: NOT (OR []) is true. */
    const UserWhereInput empty_or = { .OR = none, .OR_len = 0 };
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .NOT = &empty_or, .NOT_len = 1 }), 5);
    /* OR [] with another condition still matches nothing. */
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .OR = none, .OR_len = 0, .balance = { .gt = PRISMA_INT(0) } }), 0);
    int64_t n = -1;
    OK(user_update_many(db, &(UserWhereInput){ .OR = none, .OR_len = 0 }, &(UserUpdateInput){ .name = "Z" }, &n));
    ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(a_where_on_null_versus_not_given)
{
    seed();
    /* Not given: no condition. */
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .name = { 0 } }), 5);
    /* Null: only the NULLs, and not null: only the others. */
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .name = { .equals = PRISMA_NULL } }), 2);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .name = { .is_null = true } }), 2);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .name = { .not_ = PRISMA_NULL } }), 3);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .name = { .is_not_null = true } }), 3);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .score = { .equals = PRISMA_INT_NULL } }), 2);
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .score = { .not_ = PRISMA_INT_NULL } }), 3);
    /* A value compares with the non-NULL rows only. */
    ck_assert_uint_eq(count_where(&(UserWhereInput){ .name = { .equals = "N" } }), 3);
}
END_TEST

START_TEST(ties_are_broken_by_the_primary_key_in_pages)
{
    seed();
    /* Three users share balance 20: every page cut from the ordering is in id order among them,
     * and consecutive pages neither overlap nor miss a row. */
    const UserOrderByInput by_balance[] = { { .balance = PRISMA_ASC } };
    int got[5];
    for (int page = 0; page < 5; page++) {
        UserList *l = NULL;
        OK(user_find_many(db,
                          &(UserFindManyArgs){ .order_by = by_balance, .order_by_len = 1, .skip = page,
                                               .take = PRISMA_TAKE(1) },
                          &l));
        ck_assert_uint_eq(l->len, 1);
        got[page] = l->items[0].id;
        user_list_free(l);
    }
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(got[i], ids[i]);
    /* Descending on balance: the ties still in ascending id (Prisma appends the key ascending). */
    const UserOrderByInput by_balance_desc[] = { { .balance = PRISMA_DESC } };
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .order_by = by_balance_desc, .order_by_len = 1, .take = PRISMA_TAKE(4) },
                      &l));
    ck_assert_uint_eq(l->len, 4);
    ck_assert_int_eq(l->items[0].id, ids[4]);
    ck_assert_int_eq(l->items[1].id, ids[1]);
    ck_assert_int_eq(l->items[2].id, ids[2]);
    ck_assert_int_eq(l->items[3].id, ids[3]);
    user_list_free(l);
    /* find_first on a tie: the lowest key. */
    User *u = NULL;
    OK(user_find_first(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .balance = { .equals = PRISMA_INT(20) } } },
                       &u));
    ck_assert_int_eq(u->id, ids[1]);
    user_free(u);
}
END_TEST

START_TEST(a_cursor_on_a_missing_record_returns_nothing)
{
    seed();
    const UserWhereUniqueInput missing = { .id = PRISMA_INT(ids[4] + 1000) };
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .cursor = &missing }, &l));
    ck_assert_uint_eq(l->len, 0);
    user_list_free(l);
    OK(user_find_many(db, &(UserFindManyArgs){ .cursor = &missing, .take = PRISMA_TAKE(2), .skip = 1 }, &l));
    ck_assert_uint_eq(l->len, 0);
    user_list_free(l);
    OK(user_find_many(db, &(UserFindManyArgs){ .cursor = &missing, .take = PRISMA_TAKE(-2) }, &l));
    ck_assert_uint_eq(l->len, 0);
    user_list_free(l);
    const UserOrderByInput by_name[] = { { .name = PRISMA_ASC } };
    OK(user_find_many(db, &(UserFindManyArgs){ .cursor = &(UserWhereUniqueInput){ .email = "nobody@x" },
                                               .order_by = by_name, .order_by_len = 1 },
                      &l));
    ck_assert_uint_eq(l->len, 0);
    user_list_free(l);
    User *u = NULL;
    OK(user_find_first(db, &(UserFindManyArgs){ .cursor = &missing }, &u));
    ck_assert_ptr_null(u);
    /* A cursor that exists starts at its record. */
    OK(user_find_many(db, &(UserFindManyArgs){ .cursor = &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[3]) } }, &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_int_eq(l->items[0].id, ids[3]);
    user_list_free(l);
}
END_TEST

static int make_post(int author, const char *title)
{
    Post *p = NULL;
    OK(post_create(db, &(PostCreateInput){ .title = title, .authorId = PRISMA_INT(author) }, &p));
    int id = p->id;
    post_free(p);
    return id;
}

static int make_tag(const char *name)
{
    Tag *t = NULL;
    OK(tag_create(db, &(TagCreateInput){ .name = name }, &t));
    int id = t->id;
    tag_free(t);
    return id;
}

static int64_t links_of(int post)
{
    int64_t n;
    Post *p = NULL;
    PostList *l = NULL;
    OK(post_find_many(db, &(PostFindManyArgs){ .where = &(PostWhereInput){ .id = { .equals = PRISMA_INT(post) } },
                                               .include = &(PostInclude){ .tags = true } },
                      &l));
    ck_assert_uint_eq(l->len, 1);
    p = &l->items[0];
    n = p->tags ? (int64_t)p->tags->len : 0;
    post_list_free(l);
    return n;
}

START_TEST(duplicates_in_nested_lists_are_taken_once)
{
    seed();
    int t1 = make_tag("t1"), t2 = make_tag("t2");
    int p1 = make_post(ids[0], "p1"), p2 = make_post(ids[0], "p2");
    const PostWhereUniqueInput post_where = { .id = PRISMA_INT(p1) };
    const TagWhereUniqueInput dup[] = { { .id = PRISMA_INT(t1) }, { .id = PRISMA_INT(t1) }, { .name = "t1" }, { .name = "t1" } };
    /* m-n connect */
    OK(post_update(db, &post_where, &(PostUpdateInput){ .tags = { .connect = dup, .connect_len = 2 } }, NULL));
    ck_assert_int_eq(links_of(p1), 1);
    /* m-n disconnect */
    OK(post_update(db, &post_where, &(PostUpdateInput){ .tags = { .disconnect = dup, .disconnect_len = 2 } }, NULL));
    ck_assert_int_eq(links_of(p1), 0);
    /* m-n set */
    const TagWhereUniqueInput set[] = { { .id = PRISMA_INT(t2) }, { .name = "t2" }, { .id = PRISMA_INT(t1) } };
    OK(post_update(db, &post_where, &(PostUpdateInput){ .tags = { .set = set, .set_len = 3, .set_given = true } }, NULL));
    ck_assert_int_eq(links_of(p1), 2);
    /* m-n connect on create */
    Post *p = NULL;
    OK(post_create(db,
                   &(PostCreateInput){ .title = "p3", .authorId = PRISMA_INT(ids[1]), .tags = { .connect = dup, .connect_len = 2 } },
                   &p));
    ck_assert_int_eq(links_of(p->id), 1);
    post_free(p);
    /* 1-n connect: the same post twice moves it once. */
    const PostWhereUniqueInput posts_dup[] = { { .id = PRISMA_INT(p2) }, { .id = PRISMA_INT(p2) } };
    OK(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[2]) },
                   &(UserUpdateInput){ .posts = { .connect = posts_dup, .connect_len = 2 } }, NULL));
    OK(post_find_unique(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(p2) }, &p));
    ck_assert_int_eq(p->authorId, ids[2]);
    post_free(p);
    /* 1-n delete: the same post twice deletes it once. */
    OK(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[2]) },
                   &(UserUpdateInput){ .posts = { .delete_ = posts_dup, .delete_len = 2 } }, NULL));
    OK(post_find_unique(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(p2) }, &p));
    ck_assert_ptr_null(p);
}
END_TEST

START_TEST(records_returned_reflect_every_nested_write)
{
    seed();
    int p1 = make_post(ids[0], "p1");
    /* The post moves to another author through a nested connect: the
     * author returned with its posts shows the new key. */
    User *u = NULL;
    OK(user_update_include(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[1]) },
                           &(UserUpdateInput){ .name = "moved",
                                               .posts = { .connect = (PostWhereUniqueInput[]){ { .id = PRISMA_INT(p1) } },
                                                          .connect_len = 1 } },
                           &(UserInclude){ .posts = true }, &u));
    ck_assert_ptr_nonnull(u->posts);
    ck_assert_uint_eq(u->posts->len, 1);
    ck_assert_int_eq(u->posts->items[0].authorId, ids[1]);
    user_free(u);
    /* The child's own update through its to-one: the record returned has the new key. */
    Post *p = NULL;
    OK(post_update(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(p1) },
                   &(PostUpdateInput){ .author = { .connect = &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[2]) } } }, &p));
    ck_assert_int_eq(p->authorId, ids[2]);
    post_free(p);
    /* And with a scalar change and a nested update of the parent in one call. */
    OK(post_update(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(p1) },
                   &(PostUpdateInput){ .views = { .increment = PRISMA_INT(3) },
                                       .author = { .connect = &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[3]) } } },
                   &p));
    ck_assert_int_eq(p->authorId, ids[3]);
    ck_assert_int_eq(p->views, 3);
    post_free(p);
    Post *again = NULL;
    OK(post_find_unique(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(p1) }, &again));
    ck_assert_int_eq(again->authorId, ids[3]);
    post_free(again);
    /* A new author created by the nested write. */
    OK(post_update(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(p1) },
                   &(PostUpdateInput){ .title = "t", .author = { .create = &(UserCreateInput){ .email = "new@x" } } }, &p));
    User *nu = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .email = "new@x" }, &nu));
    ck_assert_int_eq(p->authorId, nu->id);
    post_free(p);
    /* connect_or_create that connects, through an upsert's update branch. */
    OK(post_upsert(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(p1) },
                   &(PostCreateInput){ .title = "unused", .authorId = PRISMA_INT(ids[0]) },
                   &(PostUpdateInput){ .author = { .connect_or_create = &(UserConnectOrCreateInput){
                                                       .where = &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[4]) },
                                                       .create = &(UserCreateInput){ .email = "unused@x" } } } },
                   &p));
    ck_assert_int_eq(p->authorId, ids[4]);
    post_free(p);
    /* The to-one profile moved from its user to another: the user returned with it shows the new key. */
    Profile *pr = NULL;
    OK(profile_create(db, &(ProfileCreateInput){ .bio = "b", .userId = PRISMA_INT(nu->id) }, &pr));
    OK(user_update_include(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[0]) },
                           &(UserUpdateInput){ .profile = { .connect = &(ProfileWhereUniqueInput){ .id = PRISMA_INT(pr->id) } } },
                           &(UserInclude){ .profile = true }, &u));
    ck_assert_ptr_nonnull(u->profile);
    ck_assert_int_eq(u->profile->userId, ids[0]);
    user_free(u);
    profile_free(pr);
    user_free(nu);
    /* The child moved by a nested connect, returned by the parent's include. */
    OK(user_update_include(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[1]) },
                           &(UserUpdateInput){ .posts = { .connect = (PostWhereUniqueInput[]){ { .id = PRISMA_INT(p1) } },
                                                          .connect_len = 1 } },
                           &(UserInclude){ .posts = true }, &u));
    ck_assert_uint_eq(u->posts->len, 1);
    ck_assert_int_eq(u->posts->items[0].authorId, ids[1]);
    user_free(u);
}
END_TEST

/* ---- arithmetic that overflows: refused, nothing committed ---- */

static void assert_balance(int id, int32_t balance, int64_t big)
{
    User *u = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u));
    ck_assert_ptr_nonnull(u);
    ck_assert_int_eq(u->balance, balance);
    ck_assert_int_eq(u->big, big);
    user_free(u);
}

#define OVERFLOWS(call)                                                                                  \
    do {                                                                                                 \
        ck_assert_msg((call) == PRISMA_ERROR, "%s did not fail", #call);                                 \
        ck_assert_str_eq(prisma_error_code(db), "P2020");                                                \
        ck_assert_msg(strncmp(prisma_error_message(db), "Value out of range for the type: ", 33) == 0, "%s", \
                      prisma_error_message(db));                                                         \
    } while (0)

START_TEST(int_overflow_is_refused_and_not_committed)
{
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = "o@x", .balance = PRISMA_INT(INT32_MAX - 1),
                                           .big = PRISMA_BIGINT(INT64_MAX - 1) },
                   &u));
    int id = u->id;
    user_free(u);
    const UserWhereUniqueInput where = { .id = PRISMA_INT(id) };
    OVERFLOWS(user_update(db, &where, &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(2) } }, NULL));
    assert_balance(id, INT32_MAX - 1, INT64_MAX - 1);
    OVERFLOWS(user_update(db, &where, &(UserUpdateInput){ .balance = { .multiply = PRISMA_INT(2) } }, NULL));
    OVERFLOWS(user_update(db, &where, &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(-5) } }, NULL));
    OVERFLOWS(user_update_many(db, NULL, &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(100) } }, NULL));
    assert_balance(id, INT32_MAX - 1, INT64_MAX - 1);
    /* BigInt past INT64_MAX, up and down. */
    OVERFLOWS(user_update(db, &where, &(UserUpdateInput){ .big = { .increment = PRISMA_BIGINT(2) } }, NULL));
    OVERFLOWS(user_update(db, &where, &(UserUpdateInput){ .big = { .multiply = PRISMA_BIGINT(3) } }, NULL));
    assert_balance(id, INT32_MAX - 1, INT64_MAX - 1);
    /* A write whose other part overflows writes nothing of the rest. */
    OVERFLOWS(user_update(db, &where,
                          &(UserUpdateInput){ .name = "changed", .balance = { .increment = PRISMA_INT(1) },
                                              .big = { .increment = PRISMA_BIGINT(5) } },
                          NULL));
    OK(user_find_unique(db, &where, &u));
    ck_assert_ptr_null(u->name);
    user_free(u);
    /* Up to the limit is fine, and reads back. */
    OK(user_update(db, &where, &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) },
                                                  .big = { .increment = PRISMA_BIGINT(1) } },
                   &u));
    ck_assert_int_eq(u->balance, INT32_MAX);
    ck_assert_int_eq(u->big, INT64_MAX);
    user_free(u);
    /* Down past INT32_MIN and INT64_MIN. */
    OK(user_update(db, &where, &(UserUpdateInput){ .balance = { .set = PRISMA_INT(INT32_MIN) },
                                                  .big = { .set = PRISMA_BIGINT(INT64_MIN) } },
                   NULL));
    OVERFLOWS(user_update(db, &where, &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(1) } }, NULL));
    OVERFLOWS(user_update(db, &where, &(UserUpdateInput){ .big = { .decrement = PRISMA_BIGINT(1) } }, NULL));
    assert_balance(id, INT32_MIN, INT64_MIN);
    /* An optional Int: NULL stays NULL (no overflow), a value overflows. */
    OK(user_update(db, &where, &(UserUpdateInput){ .score = { .increment = PRISMA_INT(1) } }, &u));
    ck_assert_ptr_null(u->score);
    user_free(u);
    OK(user_update(db, &where, &(UserUpdateInput){ .score = { .set = PRISMA_INT(INT32_MAX) } }, NULL));
    OVERFLOWS(user_update(db, &where, &(UserUpdateInput){ .score = { .increment = PRISMA_INT(1) } }, NULL));
    OK(user_find_unique(db, &where, &u));
    ck_assert_int_eq(*u->score, INT32_MAX);
    user_free(u);
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, take_zero_returns_no_rows_and_unset_take_every_row);
    tcase_add_test(tc, empty_in_matches_nothing_and_empty_not_in_everything);
    tcase_add_test(tc, and_or_not_with_no_members);
    tcase_add_test(tc, a_where_on_null_versus_not_given);
    tcase_add_test(tc, ties_are_broken_by_the_primary_key_in_pages);
    tcase_add_test(tc, a_cursor_on_a_missing_record_returns_nothing);
    tcase_add_test(tc, duplicates_in_nested_lists_are_taken_once);
    tcase_add_test(tc, records_returned_reflect_every_nested_write);
    tcase_add_test(tc, int_overflow_is_refused_and_not_committed);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "corner_cases", .timeout = 60, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
