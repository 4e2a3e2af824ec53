/* The SQL of every operation kind, per backend: golden files of the
 * statements each operation sends (prisma_set_trace, normalized by the
 * runtime), on the generated client of tests/schemas/crud.prisma.in.
 *
 * They are the baseline a new database starts from, and they make a dialect
 * change show up as a reviewable diff of SQL: one file per case and backend,
 * tests/trace/expected/<case>.<backend>.txt, compared exactly (golden.h).
 * The files record what the code emits; they are rewritten only on purpose:
 *     meson compile -C build regenerate-sql-goldens
 * then review `git diff tests/trace/expected`.
 *
 * Each case seeds its data untraced, traces only the operation(s) it is
 * about, checks their results (so a golden file never records a failure),
 * and compares the trace. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "golden.h"
#include "testmain.h"

static const char *url;
static const char *expected_dir;
static prisma_client *db;
static trace_log tl;

static const char *const tables[] = { "_PostToTag", "Post", "Profile", "users", "Tag", "Item", "Membership" };

static const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

#define OKC(c, call)                                                                                              \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(c), prisma_error_message(c))
#define OK(call) OKC(db, call)

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    trace_log_stop(db);
    trace_log_clear(&tl);
    prisma_disconnect(db);
    db = NULL;
}

/* Traces `db` from here ... */
static void trace_on(void)
{
    trace_log_start(&tl, db);
}

/* ... to here, and compares the statements with expected/<name>.<backend>.txt. */
static void golden(const char *name)
{
    trace_log_stop(db);
    golden_check(&tl, expected_dir, name);
}

/* ---- seed data: three users (ids 1-3), posts, tags, a profile ---- */

static int32_t ids[3];

static void seed(void)
{
    static const char *const emails[] = { "alice@x", "bob@x", "carol@x" };
    static const char *const names[] = { "Alice", "bob", "Carol" };
    for (int i = 0; i < 3; i++) {
        User *u = NULL;
        OK(user_create(db,
                       &(UserCreateInput){ .email = emails[i], .name = names[i], .balance = PRISMA_INT(10 * (i + 1)),
                                           .score = i == 1 ? (prisma_int){ 0 } : PRISMA_INT(i) },
                       &u));
        ids[i] = u->id;
        user_free(u);
    }
    OK(tag_create(db, &(TagCreateInput){ .name = "c" }, NULL));
    OK(tag_create(db, &(TagCreateInput){ .name = "db" }, NULL));
    for (int i = 0; i < 4; i++) {
        char title[16];
        snprintf(title, sizeof title, "post %d", i);
        OK(post_create(db,
                       &(PostCreateInput){ .title = title, .authorId = PRISMA_INT(ids[i % 2]), .views = PRISMA_INT(i),
                                           .tags = { .connect = (TagWhereUniqueInput[]){ { .name = "c" } },
                                                     .connect_len = i % 2 ? 1 : 0 } },
                       NULL));
    }
    OK(profile_create(db, &(ProfileCreateInput){ .bio = "hello", .userId = PRISMA_INT(ids[0]) }, NULL));
}

#define UID(x) (&(UserWhereUniqueInput){ .id = PRISMA_INT(x) })

/* ---- create ---- */

START_TEST(create)
{
    trace_on();
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = "new@x" }, &u)); /* every default */
    ck_assert_int_gt(u->id, 0);
    user_free(u);
    OK(user_create(db,
                   &(UserCreateInput){ .email = "full@x", .name = "Full", .role = ROLE_ADMIN, .balance = PRISMA_INT(5),
                                       .big = PRISMA_BIGINT(7), .ratio = PRISMA_FLOAT(0.5), .price = "1.25",
                                       .active = PRISMA_BOOL(false), .birthday = PRISMA_DATETIME(1000),
                                       .meta = "{}", .avatar = PRISMA_BYTES("ab", 2), .nick = "f",
                                       .score = PRISMA_INT(3) },
                   NULL));
    Item *it = NULL;
    OK(item_create(db, &(ItemCreateInput){ .label = "generated ids" }, &it)); /* uuid, cuid, nanoid, ulid */
    ck_assert_uint_gt(strlen(it->uuid), 0);
    item_free(it);
    OK(membership_create(db, &(MembershipCreateInput){ .orgId = PRISMA_INT(1), .userId = PRISMA_INT(2) }, NULL));
    golden("create");
}
END_TEST

START_TEST(create_many)
{
    trace_on();
    int64_t n = 0;
    UserCreateInput rows[] = { { .email = "a@x" }, { .email = "b@x", .name = "B" }, { .email = "c@x" } };
    OK(user_create_many(db, rows, 3, false, &n));
    ck_assert_int_eq(n, 3);
    UserCreateInput again[] = { { .email = "a@x" }, { .email = "d@x" } };
    OK(user_create_many(db, again, 2, true, &n)); /* skip_duplicates */
    ck_assert_int_eq(n, 1);
    golden("create_many");
}
END_TEST

START_TEST(create_many_and_return)
{
    trace_on();
    UserList *l = NULL;
    UserCreateInput rows[] = { { .email = "a@x" }, { .email = "b@x", .balance = PRISMA_INT(2) } };
    OK(user_create_many_and_return(db, rows, 2, false, &l));
    ck_assert_uint_eq(l->len, 2);
    user_list_free(l);
    UserCreateInput again[] = { { .email = "a@x" }, { .email = "c@x" } };
    OK(user_create_many_and_return(db, again, 2, true, &l));
    ck_assert_uint_eq(l->len, 1);
    user_list_free(l);
    golden("create_many_and_return");
}
END_TEST

/* ---- reads ---- */

START_TEST(find_unique)
{
    seed();
    OK(membership_create(db, &(MembershipCreateInput){ .orgId = PRISMA_INT(1), .userId = PRISMA_INT(2),
                                                        .level = PRISMA_INT(3), .note = "n" },
                         NULL));
    trace_on();
    User *u = NULL;
    OK(user_find_unique(db, UID(ids[0]), &u));
    ck_assert_ptr_nonnull(u);
    user_free(u);
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .email = "bob@x" }, &u));
    ck_assert_ptr_nonnull(u);
    user_free(u);
    OK(user_find_unique(db, UID(999), &u)); /* a miss */
    ck_assert_ptr_null(u);
    Membership *m = NULL;
    OK(membership_find_unique(db,
                              &(MembershipWhereUniqueInput){ .orgId_userId = { PRISMA_INT(1), PRISMA_INT(2) } }, &m));
    ck_assert_ptr_nonnull(m);
    membership_free(m);
    OK(membership_find_unique(db, &(MembershipWhereUniqueInput){ .level_note = { PRISMA_INT(3), "n" } }, &m));
    ck_assert_ptr_nonnull(m);
    membership_free(m);
    golden("find_unique");
}
END_TEST

START_TEST(find_unique_or_throw)
{
    seed();
    trace_on();
    User *u = NULL;
    OK(user_find_unique_or_throw(db, UID(ids[1]), &u));
    user_free(u);
    ck_assert_int_eq(user_find_unique_or_throw(db, UID(999), &u), PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), "P2025");
    golden("find_unique_or_throw");
}
END_TEST

START_TEST(find_first)
{
    seed();
    trace_on();
    User *u = NULL;
    OK(user_find_first(db, NULL, &u));
    user_free(u);
    OK(user_find_first(db,
                       &(UserFindManyArgs){ .where = &(UserWhereInput){ .balance = { .gt = PRISMA_INT(5) } },
                                            .order_by = (UserOrderByInput[]){ { .balance = PRISMA_DESC } },
                                            .order_by_len = 1, .skip = 1 },
                       &u));
    ck_assert_ptr_nonnull(u);
    ck_assert_str_eq(u->email, "bob@x");
    user_free(u);
    ck_assert_int_eq(user_find_first_or_throw(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .email = { .equals = "none" } } }, &u),
                     PRISMA_ERROR);
    golden("find_first");
}
END_TEST

static size_t many(const UserWhereInput *where)
{
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .where = where }, &l));
    size_t n = l->len;
    user_list_free(l);
    return n;
}

/* Every filter kind on a number, and on a string also with mode insensitive. */
START_TEST(find_many_filters)
{
    seed();
    trace_on();
    ck_assert_uint_eq(many(&(UserWhereInput){ .balance = { .equals = PRISMA_INT(10) } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .balance = { .not_ = PRISMA_INT(10) } }), 2);
    ck_assert_uint_eq(many(&(UserWhereInput){ .balance = { .in = PRISMA_INTS(10, 20) } }), 2);
    ck_assert_uint_eq(many(&(UserWhereInput){ .balance = { .not_in = PRISMA_INTS(10, 20) } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .balance = { .lt = PRISMA_INT(20) } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .balance = { .lte = PRISMA_INT(20) } }), 2);
    ck_assert_uint_eq(many(&(UserWhereInput){ .balance = { .gt = PRISMA_INT(20) } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .balance = { .gte = PRISMA_INT(20), .lt = PRISMA_INT(30) } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .equals = "Alice" } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .contains = "o" } }), 2);
    /* "bob": not on a case-sensitive column; MySQL's collation ignores case. */
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .starts_with = "B" } }), testdb->case_insensitive_text ? 1 : 0);
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .ends_with = "ce" } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .email = { .in = PRISMA_STRINGS("bob@x", "zed@x") } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .role = { .equals = ROLE_USER } }), 3);
    ck_assert_uint_eq(many(&(UserWhereInput){ .role = { .in = PRISMA_ENUMS(ROLE_ADMIN, ROLE_GUEST) } }), 0);
    ck_assert_uint_eq(many(&(UserWhereInput){ .active = { .equals = PRISMA_BOOL(true) } }), 3);
    golden("find_many_filters");
}
END_TEST

/* A filter on every other scalar type: BigInt, Float, Decimal, DateTime,
 * Json, Bytes and a mapped column. */
START_TEST(find_many_filters_by_type)
{
    seed();
    OK(user_update(db, UID(ids[0]),
                   &(UserUpdateInput){ .big = { .set = PRISMA_BIGINT(5000000000) }, .birthday = PRISMA_DATETIME(86400000),
                                       .meta = "{\"a\":1}", .avatar = PRISMA_BYTES("\x01\x02", 2), .nick = "al",
                                       .price = { .set = "2.5" } },
                   NULL));
    trace_on();
    ck_assert_uint_eq(many(&(UserWhereInput){ .big = { .gt = PRISMA_BIGINT(4000000000) } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .big = { .in = PRISMA_BIGINTS(0, 5000000000) } }), 3);
    ck_assert_uint_eq(many(&(UserWhereInput){ .ratio = { .lte = PRISMA_FLOAT(1.5) } }), 3);
    ck_assert_uint_eq(many(&(UserWhereInput){ .price = { .equals = "2.5" } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .birthday = { .gte = PRISMA_DATETIME(0), .lt = PRISMA_DATETIME(86400001) } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .birthday = { .in = PRISMA_DATETIMES(86400000) } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .createdAt = { .lte = PRISMA_DATETIME(INT64_C(4102444800000)) } }), 3);
    ck_assert_uint_eq(many(&(UserWhereInput){ .meta = { .not_ = PRISMA_DB_NULL } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .avatar = { .equals = PRISMA_BYTES("\x01\x02", 2) } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .avatar = { .is_null = true } }), 2);
    ck_assert_uint_eq(many(&(UserWhereInput){ .nick = { .starts_with = "a" } }), 1);
    golden("find_many_filters_by_type");
}
END_TEST

START_TEST(find_many_insensitive)
{
    seed();
    trace_on();
    prisma_query_mode i = PRISMA_INSENSITIVE;
    if (!testdb->insensitive_mode) {
        /* MySQL: refused, nothing sent; the default mode, by the collation, finds the same rows. */
        UserList *l = NULL;
        ck_assert_int_eq(user_find_many(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .name = { .equals = "ALICE", .mode = i } } }, &l),
                         PRISMA_ERROR);
        ck_assert_str_eq(prisma_error_code(db), "P2009");
        ck_assert_ptr_null(l);
        ck_assert(testdb->case_insensitive_text);
        i = PRISMA_MODE_DEFAULT;
    }
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .equals = "ALICE", .mode = i } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .not_ = "ALICE", .mode = i } }), 2);
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .contains = "O", .mode = i } }), 2);
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .starts_with = "B", .mode = i } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .ends_with = "OL", .mode = i } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .in = PRISMA_STRINGS("ALICE", "BOB"), .mode = i } }), 2);
    ck_assert_uint_eq(many(&(UserWhereInput){ .name = { .lt = "B", .mode = i } }), 1);
    golden("find_many_insensitive");
}
END_TEST

START_TEST(find_many_logic_and_nulls)
{
    seed();
    trace_on();
    UserWhereInput a = { .balance = { .gt = PRISMA_INT(10) } }, b = { .name = { .contains = "o" } };
    ck_assert_uint_eq(many(&(UserWhereInput){ .AND = (UserWhereInput[]){ a, b }, .AND_len = 2 }), 2);
    ck_assert_uint_eq(many(&(UserWhereInput){ .OR = (UserWhereInput[]){ a, b }, .OR_len = 2 }), 2);
    ck_assert_uint_eq(many(&(UserWhereInput){ .NOT = (UserWhereInput[]){ a }, .NOT_len = 1 }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .email = { .ends_with = "@x" },
                                              .OR = (UserWhereInput[]){ a, { .NOT = &b, .NOT_len = 1 } },
                                              .OR_len = 2 }),
                      3);
    ck_assert_uint_eq(many(&(UserWhereInput){ .score = { .is_null = true } }), 1);
    ck_assert_uint_eq(many(&(UserWhereInput){ .score = { .is_not_null = true } }), 2);
    ck_assert_uint_eq(many(&(UserWhereInput){ .birthday = { .is_null = true }, .meta = { .equals = PRISMA_DB_NULL } }), 3);
    golden("find_many_logic_and_nulls");
}
END_TEST

START_TEST(find_many_order_and_pages)
{
    seed();
    trace_on();
    UserList *l = NULL;
    OK(user_find_many(db, NULL, &l));
    ck_assert_uint_eq(l->len, 3);
    user_list_free(l);
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .order_by = (UserOrderByInput[]){ { .role = PRISMA_ASC },
                                                                             { .balance = PRISMA_DESC },
                                                                             { .email = PRISMA_ASC } },
                                           .order_by_len = 3 },
                      &l));
    ck_assert_str_eq(l->items[0].email, "carol@x");
    user_list_free(l);
    OK(user_find_many(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(2) }, &l));
    ck_assert_uint_eq(l->len, 2);
    user_list_free(l);
    OK(user_find_many(db, &(UserFindManyArgs){ .skip = 1 }, &l));
    ck_assert_uint_eq(l->len, 2);
    user_list_free(l);
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .order_by = (UserOrderByInput[]){ { .name = PRISMA_DESC } }, .order_by_len = 1,
                                           .take = PRISMA_TAKE(1), .skip = 1 },
                      &l));
    ck_assert_uint_eq(l->len, 1);
    user_list_free(l);
    golden("find_many_order_and_pages");
}
END_TEST

START_TEST(find_many_cursor)
{
    seed();
    trace_on();
    UserList *l = NULL;
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .cursor = UID(ids[1]), .order_by = (UserOrderByInput[]){ { .id = PRISMA_ASC } },
                                           .order_by_len = 1, .take = PRISMA_TAKE(2) },
                      &l));
    ck_assert_uint_eq(l->len, 2);
    user_list_free(l);
    OK(user_find_many(db, &(UserFindManyArgs){ .cursor = UID(ids[1]), .take = PRISMA_TAKE(2), .skip = 1 }, &l));
    ck_assert_uint_eq(l->len, 1);
    user_list_free(l);
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .cursor = UID(ids[2]), .order_by = (UserOrderByInput[]){ { .id = PRISMA_ASC } },
                                           .order_by_len = 1, .take = PRISMA_TAKE(-2) },
                      &l));
    ck_assert_uint_eq(l->len, 2);
    user_list_free(l);
    golden("find_many_cursor");
}
END_TEST

START_TEST(count)
{
    seed();
    trace_on();
    int64_t n = -1;
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, 3);
    OK(user_count(db, &(UserWhereInput){ .balance = { .gte = PRISMA_INT(20) } }, &n));
    ck_assert_int_eq(n, 2);
    OK(post_count(db, &(PostWhereInput){ .authorId = { .equals = PRISMA_INT(ids[0]) } }, &n));
    ck_assert_int_eq(n, 2);
    golden("count");
}
END_TEST

START_TEST(include)
{
    seed();
    trace_on();
    UserList *users = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .include = &(UserInclude){ .posts = true, .profile = true } }, &users));
    ck_assert_uint_eq(users->len, 3);
    ck_assert_uint_eq(users->items[0].posts->len, 2); /* 1-n */
    ck_assert_ptr_nonnull(users->items[0].profile);  /* 1-1 */
    user_list_free(users);
    PostList *posts = NULL;
    OK(post_find_many(db, &(PostFindManyArgs){ .include = &(PostInclude){ .author = true, .tags = true } }, &posts));
    ck_assert_uint_eq(posts->len, 4);
    ck_assert_ptr_nonnull(posts->items[0].author);   /* n-1 */
    ck_assert_uint_eq(posts->items[1].tags->len, 1); /* m-n */
    post_list_free(posts);
    User *u = NULL;
    OK(user_find_first(db,
                       &(UserFindManyArgs){ .where = &(UserWhereInput){ .id = { .equals = PRISMA_INT(ids[1]) } },
                                            .include = &(UserInclude){ .posts = true } },
                       &u));
    ck_assert_uint_eq(u->posts->len, 2);
    user_free(u);
    golden("include");
}
END_TEST

/* ---- writes ---- */

START_TEST(update)
{
    seed();
    trace_on();
    User *u = NULL;
    OK(user_update(db, UID(ids[0]), &(UserUpdateInput){ .name = "A", .balance = { .set = PRISMA_INT(1) } }, &u));
    ck_assert_int_eq(u->balance, 1);
    user_free(u);
    OK(user_update(db, UID(ids[0]), &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(4) } }, NULL));
    OK(user_update(db, UID(ids[0]), &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(1) } }, NULL));
    OK(user_update(db, UID(ids[0]), &(UserUpdateInput){ .balance = { .multiply = PRISMA_INT(3) } }, NULL));
    OK(user_update(db, UID(ids[0]), &(UserUpdateInput){ .balance = { .divide = PRISMA_INT(2) } }, &u));
    ck_assert_int_eq(u->balance, 6);
    user_free(u);
    OK(user_update(db, UID(ids[0]), &(UserUpdateInput){ .ratio = { .multiply = PRISMA_FLOAT(2) } }, NULL));
    OK(user_update(db, UID(ids[0]), &(UserUpdateInput){ .name = PRISMA_NULL, .score = { .set = PRISMA_INT_NULL } },
                   &u));
    ck_assert_ptr_null(u->name);
    ck_assert_ptr_null(u->score);
    user_free(u);
    OK(user_update(db, &(UserWhereUniqueInput){ .email = "bob@x" }, &(UserUpdateInput){ .email = "robert@x" }, NULL));
    ck_assert_int_eq(user_update(db, UID(999), &(UserUpdateInput){ .name = "x" }, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), "P2025");
    golden("update");
}
END_TEST

START_TEST(update_many)
{
    seed();
    trace_on();
    int64_t n = -1;
    OK(user_update_many(db, NULL, &(UserUpdateInput){ .active = PRISMA_BOOL(false) }, &n));
    ck_assert_int_eq(n, 3);
    OK(user_update_many(db, &(UserWhereInput){ .balance = { .lt = PRISMA_INT(25) } },
                        &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, &n));
    ck_assert_int_eq(n, 2);
    golden("update_many");
}
END_TEST

START_TEST(upsert)
{
    trace_on();
    User *u = NULL;
    UserWhereUniqueInput where = { .email = "up@x" };
    OK(user_upsert(db, &where, &(UserCreateInput){ .email = "up@x", .balance = PRISMA_INT(1) },
                   &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, &u)); /* creates */
    ck_assert_int_eq(u->balance, 1);
    user_free(u);
    OK(user_upsert(db, &where, &(UserCreateInput){ .email = "up@x", .balance = PRISMA_INT(1) },
                   &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, &u)); /* updates */
    ck_assert_int_eq(u->balance, 2);
    user_free(u);
    golden("upsert");
}
END_TEST

START_TEST(delete_and_delete_many)
{
    seed();
    trace_on();
    User *u = NULL;
    OK(user_delete(db, UID(ids[2]), &u));
    ck_assert_str_eq(u->email, "carol@x");
    user_free(u);
    ck_assert_int_eq(user_delete(db, UID(ids[2]), NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), "P2025");
    int64_t n = -1;
    OK(post_delete_many(db, &(PostWhereInput){ .views = { .gte = PRISMA_INT(2) } }, &n));
    ck_assert_int_eq(n, 2);
    OK(post_delete_many(db, NULL, &n));
    ck_assert_int_eq(n, 2);
    golden("delete");
}
END_TEST

static int count_one(const User *u, void *arg)
{
    (void)u;
    ++*(int *)arg;
    return PRISMA_OK;
}

START_TEST(find_each)
{
    seed();
    trace_on();
    int seen = 0;
    OK(user_find_each(db, NULL, count_one, &seen));
    ck_assert_int_eq(seen, 3);
    seen = 0;
    OK(user_find_each(db,
                      &(UserFindManyArgs){ .where = &(UserWhereInput){ .balance = { .gt = PRISMA_INT(10) } },
                                           .order_by = (UserOrderByInput[]){ { .email = PRISMA_DESC } },
                                           .order_by_len = 1, .take = PRISMA_TAKE(1) },
                      count_one, &seen));
    ck_assert_int_eq(seen, 1);
    golden("find_each");
}
END_TEST

/* Raw SQL goes out as written: the trace shows it (placeholders normalized). */
START_TEST(raw)
{
    seed();
    trace_on();
    int64_t n = -1;
    OK(prisma_execute_raw(db, testdb_sql("UPDATE \"users\" SET \"balance\" = \"balance\" + $1 WHERE \"id\" = $2"),
                          (prisma_raw_value[]){ PRISMA_RAW_INT_V(1), PRISMA_RAW_INT_V(ids[0]) }, 2, &n));
    ck_assert_int_eq(n, 1);
    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db, testdb_sql("SELECT \"email\" FROM \"users\" WHERE \"balance\" > $1 ORDER BY \"id\""),
                        (prisma_raw_value[]){ PRISMA_RAW_INT_V(15) }, 1, &rows));
    ck_assert_uint_eq(rows->n_rows, 2);
    prisma_free(rows);
    golden("raw");
}
END_TEST

/* ---- batches and transactions ---- */

/* A batch of single statements (pipelined where the database can) and one
 * with a read whose rows come back. */
START_TEST(batch)
{
    seed();
    trace_on();
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    int64_t n1 = -1, n2 = -1, total = -1;
    OK(user_batch_update_many(b, &(UserWhereInput){ .balance = { .lt = PRISMA_INT(15) } },
                              &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, &n1));
    OK(user_batch_delete_many(b, &(UserWhereInput){ .email = { .equals = "nobody@x" } }, &n2));
    OK(user_batch_count(b, NULL, &total));
    OK(prisma_batch_run(b, NULL, NULL));
    prisma_batch_free(b);
    ck_assert_int_eq(n1, 1);
    ck_assert_int_eq(total, 3);
    User *u = NULL;
    UserList *l = NULL;
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "batch@x" }, &u));
    OK(user_batch_find_many(b, &(UserFindManyArgs){ .where = &(UserWhereInput){ .email = { .ends_with = "@x" } } }, &l));
    OK(user_batch_upsert(b, &(UserWhereUniqueInput){ .email = "batch@x" }, &(UserCreateInput){ .email = "batch@x" },
                         &(UserUpdateInput){ .name = "B" }, NULL));
    OK(prisma_batch_run(b, &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE }, NULL));
    prisma_batch_free(b);
    ck_assert_ptr_nonnull(u);
    ck_assert_uint_eq(l->len, 4);
    user_free(u);
    user_list_free(l);
    golden("batch");
}
END_TEST

static int transfer(prisma_client *tx, void *arg)
{
    (void)arg;
    int rc = user_update(tx, UID(ids[0]), &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(5) } }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    return user_update(tx, UID(ids[1]), &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(5) } }, NULL);
}

static int refuse(prisma_client *tx, void *arg)
{
    (void)arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = "gone@x" }, NULL);
    return rc != PRISMA_OK ? rc : prisma_fail(tx, "changed my mind");
}

/* Interactive (commit, and rollback by the callback), with an isolation
 * level where the database has them, and manual. */
START_TEST(transactions)
{
    seed();
    trace_on();
    OK(prisma_transaction(db, transfer, NULL, NULL));
    prisma_tx_options level = { .isolation = testdb->every_isolation_level ? PRISMA_REPEATABLE_READ : PRISMA_SERIALIZABLE };
    OK(prisma_transaction(db, transfer, NULL, &level));
    ck_assert_int_eq(prisma_transaction(db, refuse, NULL, NULL), PRISMA_ERROR);
    prisma_client *t = NULL;
    OK(prisma_tx_begin(db, &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE }, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "manual@x" }, NULL));
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_delete(t, UID(ids[2]), NULL));
    OKC(t, prisma_tx_rollback(t));
    prisma_tx_free(t);
    golden("transactions");
    int64_t n = -1;
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, 4);
}
END_TEST

/* Nested transactions are savepoints: one released, one rolled back. */
START_TEST(nested_transaction)
{
    seed();
    trace_on();
    prisma_client *t = NULL, *inner = NULL;
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &inner));
    OKC(inner, user_create(inner, &(UserCreateInput){ .email = "kept@x" }, NULL));
    OKC(inner, prisma_tx_commit(inner));
    prisma_tx_free(inner);
    OKC(t, prisma_tx_begin(t, NULL, &inner));
    OKC(inner, user_create(inner, &(UserCreateInput){ .email = "undone@x" }, NULL));
    OKC(inner, prisma_tx_rollback(inner));
    prisma_tx_free(inner);
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    golden("nested_transaction");
    int64_t n = -1;
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, 4);
}
END_TEST

/* Updates with nested writes, and the row lock: a record read in order to
 * be written is locked where the database locks rows (FOR NO KEY UPDATE). */
START_TEST(row_lock)
{
    seed();
    trace_on();
    User *u = NULL;
    OK(user_update_include(db, UID(ids[1]),
                           &(UserUpdateInput){ .name = "Bob",
                                               .posts = { .create = (PostCreateInput[]){ { .title = "new" } },
                                                          .create_len = 1 } },
                           &(UserInclude){ .posts = true }, &u));
    ck_assert_uint_eq(u->posts->len, 3);
    user_free(u);
    OK(user_upsert(db, UID(ids[2]), &(UserCreateInput){ .email = "never@x" },
                   &(UserUpdateInput){ .profile = { .create = &(ProfileCreateInput){ .bio = "hi" } } }, NULL));
    /* An upsert whose update connects the record's own foreign key reads the
     * record first, locked: where it finds none it creates instead. */
    Post *p = NULL;
    OK(post_find_first(db, NULL, &p));
    int32_t post = p->id;
    post_free(p);
    OK(post_upsert(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(post) },
                   &(PostCreateInput){ .title = "never", .authorId = PRISMA_INT(ids[0]) },
                   &(PostUpdateInput){ .author = { .connect = UID(ids[2]) } }, &p));
    ck_assert_int_eq(p->authorId, ids[2]);
    post_free(p);
    golden("row_lock");
}
END_TEST

static int take_expected_dir(char **more)
{
    expected_dir = more[0];
    return 0;
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, create);
    tcase_add_test(tc, create_many);
    tcase_add_test(tc, create_many_and_return);
    tcase_add_test(tc, find_unique);
    tcase_add_test(tc, find_unique_or_throw);
    tcase_add_test(tc, find_first);
    tcase_add_test(tc, find_many_filters);
    tcase_add_test(tc, find_many_filters_by_type);
    tcase_add_test(tc, find_many_insensitive);
    tcase_add_test(tc, find_many_logic_and_nulls);
    tcase_add_test(tc, find_many_order_and_pages);
    tcase_add_test(tc, find_many_cursor);
    tcase_add_test(tc, count);
    tcase_add_test(tc, include);
    tcase_add_test(tc, update);
    tcase_add_test(tc, update_many);
    tcase_add_test(tc, upsert);
    tcase_add_test(tc, delete_and_delete_many);
    tcase_add_test(tc, find_each);
    tcase_add_test(tc, raw);
    tcase_add_test(tc, batch);
    tcase_add_test(tc, transactions);
    tcase_add_test(tc, nested_transaction);
    tcase_add_test(tc, row_lock);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "sql", .timeout = 60, .more_usage = "EXPECTED_DIR", .n_more = 1,
                                          .url = &url, .prepare = take_expected_dir, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
