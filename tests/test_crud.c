/* Behaviour of the generated client: every operation, filter and type, on
 * a real database. Built once per backend of tests/meson.build's
 * test_backends (a SQLite file, a PostgreSQL server the test starts itself),
 * on the generated client of tests/schemas/crud.prisma.in. */
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
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

#define OK(call) ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, prisma_error_code(db) ? prisma_error_code(db) : "-", prisma_error_message(db))

static User *make_user(const char *email, int balance)
{
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = email, .name = "N", .balance = PRISMA_INT(balance) }, &u));
    ck_assert_ptr_nonnull(u);
    return u;
}

START_TEST(create_applies_defaults_and_returns_the_record)
{
    int64_t before = 0;
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = "alice@prisma.io", .name = "Alice" }, &u));
    ck_assert_int_gt(u->id, 0);
    ck_assert_str_eq(u->email, "alice@prisma.io");
    ck_assert_str_eq(u->name, "Alice");
    ck_assert_int_eq(u->role, ROLE_USER);
    ck_assert_int_eq(u->balance, 0);
    ck_assert_int_eq(u->big, 0);
    ck_assert(fabs(u->ratio - 1.5) < 1e-12);
    ck_assert(u->active);
    ck_assert_ptr_null(u->birthday);
    ck_assert_ptr_null(u->score);
    ck_assert_ptr_null(u->meta);
    ck_assert_ptr_null(u->avatar);
    ck_assert_int_gt(u->createdAt, before);
    ck_assert_int_eq(u->createdAt, u->updatedAt);
    user_free(u);
}
END_TEST

START_TEST(every_scalar_type_round_trips_exactly)
{
    static const unsigned char blob[] = { 0, 1, 2, 255, 0, '\'', '"', '\\' };
    int64_t when = 1700000000123; /* 2023-11-14T22:13:20.123Z */
    User *u = NULL;
    OK(user_create(db,
                   &(UserCreateInput){ .email = "types@x", .name = "O'Brien \"quoted\" back\\slash",
                                       .role = ROLE_GUEST, .balance = PRISMA_INT(-2147483647 - 1),
                                       .big = PRISMA_BIGINT(INT64_MAX), .ratio = PRISMA_FLOAT(0.1),
                                       .price = "12345678901.000000123", .active = PRISMA_BOOL(false),
                                       .birthday = PRISMA_DATETIME(when), .meta = "{\"a\": [1, 2, {\"b\": null}]}",
                                       .avatar = PRISMA_BYTES(blob, sizeof blob), .nick = "ünïcødé ✓",
                                       .score = PRISMA_INT(7) },
                   &u));
    User *r = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(u->id) }, &r));
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->name, "O'Brien \"quoted\" back\\slash");
    ck_assert_int_eq(r->role, ROLE_GUEST);
    ck_assert_int_eq(r->balance, -2147483647 - 1);
    ck_assert(r->big == INT64_MAX);
    ck_assert(r->ratio == 0.1);
    ck_assert(!r->active);
    ck_assert_ptr_nonnull(r->birthday);
    ck_assert(*r->birthday == when);
    ck_assert_ptr_nonnull(r->meta);
    ck_assert_ptr_nonnull(strstr(r->meta, "\"b\""));
    ck_assert_ptr_nonnull(r->avatar);
    ck_assert_uint_eq(r->avatar->len, sizeof blob);
    ck_assert_mem_eq(r->avatar->data, blob, sizeof blob);
    ck_assert_str_eq(r->nick, "ünïcødé ✓");
    ck_assert_int_eq(*r->score, 7);
    if (testdb->exact_decimals)
        ck_assert_str_eq(r->price, "12345678901.000000123");
    else /* e.g. SQLite's DECIMAL affinity keeps 15 significant digits */
        ck_assert_ptr_nonnull(r->price);
    user_free(u);
    user_free(r);
}
END_TEST

START_TEST(unique_violation_is_p2002_with_the_fields)
{
    user_free(make_user("dup@x", 1));
    User *u = NULL;
    ck_assert_int_eq(user_create(db, &(UserCreateInput){ .email = "dup@x" }, &u), PRISMA_ERROR);
    ck_assert_ptr_null(u);
    ck_assert_str_eq(prisma_error_code(db), "P2002");
    ck_assert_str_eq(prisma_error_message(db), "Unique constraint failed on the fields: (`email`)");
    ck_assert_ptr_nonnull(prisma_error_db_code(db));
    /* The next success clears the error. */
    int64_t n = -1;
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, 1);
    ck_assert_ptr_null(prisma_error_code(db));
}
END_TEST

START_TEST(find_unique_by_each_criterion_and_or_throw)
{
    User *a = make_user("a@x", 5);
    User *r = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .email = "a@x" }, &r));
    ck_assert_int_eq(r->id, a->id);
    user_free(r);
    r = (User *)1;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .email = "missing@x" }, &r));
    ck_assert_ptr_null(r);
    ck_assert_int_eq(user_find_unique_or_throw(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(999999) }, &r),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2025");
    ck_assert_str_eq(prisma_error_message(db), "An operation failed because it depends on one or more records that "
                                               "were required but not found. No record was found for a query.");
    /* No criterion at all is a validation error, not a crash. */
    ck_assert_int_eq(user_find_unique(db, &(UserWhereUniqueInput){ 0 }, &r), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    ck_assert_int_eq(user_find_unique(db, NULL, &r), PRISMA_ERROR);
    user_free(a);
}
END_TEST

START_TEST(atomic_number_updates_and_setting_null)
{
    User *a = make_user("n@x", 100);
    User *r = NULL;
    OK(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(a->id) },
                   &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(5) } }, &r));
    ck_assert_int_eq(r->balance, 105);
    user_free(r);
    OK(user_update(db, &(UserWhereUniqueInput){ .email = "n@x" },
                   &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(50) } }, &r));
    ck_assert_int_eq(r->balance, 55);
    user_free(r);
    OK(user_update(db, &(UserWhereUniqueInput){ .email = "n@x" },
                   &(UserUpdateInput){ .balance = { .multiply = PRISMA_INT(3) }, .big = { .set = PRISMA_BIGINT(9) } },
                   &r));
    ck_assert_int_eq(r->balance, 165);
    ck_assert(r->big == 9);
    user_free(r);
    OK(user_update(db, &(UserWhereUniqueInput){ .email = "n@x" },
                   &(UserUpdateInput){ .balance = { .divide = PRISMA_INT(2) }, .ratio = { .multiply = PRISMA_FLOAT(2) },
                                       .score = { .set = PRISMA_INT(1) }, .name = "renamed" },
                   &r));
    ck_assert_int_eq(r->balance, testdb->int_division_rounds ? 83 : 82); /* 165 / 2 */
    ck_assert(fabs(r->ratio - 3.0) < 1e-12);
    ck_assert_int_eq(*r->score, 1);
    ck_assert_str_eq(r->name, "renamed");
    ck_assert_int_ge(r->updatedAt, a->updatedAt);
    user_free(r);
    /* Optional fields back to NULL. */
    OK(user_update(db, &(UserWhereUniqueInput){ .email = "n@x" },
                   &(UserUpdateInput){ .name = PRISMA_NULL, .score = { .set = PRISMA_INT_NULL } }, &r));
    ck_assert_ptr_null(r->name);
    ck_assert_ptr_null(r->score);
    user_free(r);
    /* Two operations on one field are rejected. */
    ck_assert_int_eq(user_update(db, &(UserWhereUniqueInput){ .email = "n@x" },
                                 &(UserUpdateInput){ .balance = { .set = PRISMA_INT(1), .increment = PRISMA_INT(1) } },
                                 &r),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    user_free(a);
}
END_TEST

START_TEST(update_and_delete_of_a_missing_record_are_p2025)
{
    User *r = NULL;
    ck_assert_int_eq(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(424242) },
                                 &(UserUpdateInput){ .name = "x" }, &r),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2025");
    ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "No record was found for an update."));
    ck_assert_int_eq(user_delete(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(424242) }, &r), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2025");
    ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "No record was found for a delete."));
}
END_TEST

START_TEST(delete_returns_the_record_and_removes_it)
{
    User *a = make_user("d@x", 1);
    User *r = NULL;
    OK(user_delete(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(a->id) }, &r));
    ck_assert_str_eq(r->email, "d@x");
    user_free(r);
    int64_t n = -1;
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, 0);
    user_free(a);
}
END_TEST

START_TEST(many_operations_return_counts)
{
    UserCreateInput rows[] = { { .email = "m1@x", .balance = PRISMA_INT(1) },
                               { .email = "m2@x", .balance = PRISMA_INT(2) },
                               { .email = "m3@x", .balance = PRISMA_INT(3) } };
    int64_t n = -1;
    OK(user_create_many(db, rows, 3, false, &n));
    ck_assert_int_eq(n, 3);
    /* skip_duplicates: the existing email is skipped, the new one inserted. */
    UserCreateInput more[] = { { .email = "m1@x" }, { .email = "m4@x" } };
    OK(user_create_many(db, more, 2, true, &n));
    ck_assert_int_eq(n, 1);
    /* Without it, the whole batch fails and nothing is inserted. */
    UserCreateInput bad[] = { { .email = "m5@x" }, { .email = "m1@x" } };
    ck_assert_int_eq(user_create_many(db, bad, 2, false, &n), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2002");
    OK(user_count(db, &(UserWhereInput){ .email = { .equals = "m5@x" } }, &n));
    ck_assert_int_eq(n, 0);
    OK(user_update_many(db, &(UserWhereInput){ .balance = { .gte = PRISMA_INT(2) } },
                        &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(10) } }, &n));
    ck_assert_int_eq(n, 2);
    OK(user_count(db, &(UserWhereInput){ .balance = { .gt = PRISMA_INT(10) } }, &n));
    ck_assert_int_eq(n, 2);
    OK(user_delete_many(db, &(UserWhereInput){ .balance = { .lt = PRISMA_INT(10) } }, &n));
    ck_assert_int_eq(n, 2);
    OK(user_delete_many(db, NULL, &n));
    ck_assert_int_eq(n, 2);
    /* create_many_and_return gives the rows written, with their generated ids. */
    UserCreateInput two[] = { { .email = "r1@x", .balance = PRISMA_INT(7) }, { .email = "r2@x" } };
    UserList *made = NULL;
    OK(user_create_many_and_return(db, two, 2, false, &made));
    ck_assert_uint_eq(made->len, 2);
    ck_assert_str_eq(made->items[0].email, "r1@x");
    ck_assert_int_eq(made->items[0].balance, 7);
    ck_assert_int_gt(made->items[1].id, made->items[0].id);
    user_list_free(made);
    UserCreateInput again[] = { { .email = "r1@x" }, { .email = "r3@x" } };
    OK(user_create_many_and_return(db, again, 2, true, &made));
    ck_assert_uint_eq(made->len, 1);
    ck_assert_str_eq(made->items[0].email, "r3@x");
    user_list_free(made);
}
END_TEST

START_TEST(upsert_creates_then_updates)
{
    User *r = NULL;
    UserWhereUniqueInput where = { .email = "up@x" };
    UserCreateInput create = { .email = "up@x", .balance = PRISMA_INT(1) };
    UserUpdateInput update = { .balance = { .increment = PRISMA_INT(1) } };
    OK(user_upsert(db, &where, &create, &update, &r));
    ck_assert_int_eq(r->balance, 1);
    int id = r->id;
    user_free(r);
    OK(user_upsert(db, &where, &create, &update, &r));
    ck_assert_int_eq(r->balance, 2);
    ck_assert_int_eq(r->id, id);
    user_free(r);
    /* The where value is carried into the create when the create leaves it out. */
    OK(user_upsert(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(5000) }, &(UserCreateInput){ .email = "up2@x" },
                   &(UserUpdateInput){ 0 }, &r));
    ck_assert_int_eq(r->id, 5000);
    user_free(r);
}
END_TEST

typedef struct upsert_arg {
    const char *url;
    int rounds;
    int failures;
} upsert_arg;

static void *upsert_worker(void *p)
{
    upsert_arg *a = p;
    prisma_client *c;
    if (prisma_connect(&c, a->url) != PRISMA_OK) {
        a->failures = a->rounds;
        return NULL;
    }
    for (int i = 0; i < a->rounds; i++) {
        if (user_upsert(c, &(UserWhereUniqueInput){ .email = "race@x" },
                        &(UserCreateInput){ .email = "race@x", .balance = PRISMA_INT(1) },
                        &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL) != PRISMA_OK)
            a->failures++;
    }
    prisma_disconnect(c);
    return NULL;
}

START_TEST(concurrent_upserts_are_race_free)
{
    enum { THREADS = 4, ROUNDS = 25 };
    pthread_t t[THREADS];
    upsert_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (upsert_arg){ url, ROUNDS, 0 };
        pthread_create(&t[i], NULL, upsert_worker, &args[i]);
    }
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        failures += args[i].failures;
    }
    ck_assert_int_eq(failures, 0);
    User *r = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .email = "race@x" }, &r));
    ck_assert_int_eq(r->balance, THREADS * ROUNDS);
    user_free(r);
    int64_t n;
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, 1);
}
END_TEST

/* Seeds 10 users: balance i*10, name "user<i>" (NULL for i = 0), role ADMIN for even i. */
static void seed(void)
{
    for (int i = 0; i < 10; i++) {
        char email[32], name[32];
        snprintf(email, sizeof email, "u%d@%s", i, i % 2 ? "odd.io" : "Even.io");
        snprintf(name, sizeof name, "User%d", i);
        OK(user_create(db,
                       &(UserCreateInput){ .email = email, .name = i ? name : NULL, .balance = PRISMA_INT(i * 10),
                                           .role = i % 2 ? ROLE_USER : ROLE_ADMIN, .score = i < 5 ? PRISMA_INT(i) : (prisma_int){ 0 } },
                       NULL));
    }
}

static int64_t count(const UserWhereInput *w)
{
    int64_t n = -1;
    OK(user_count(db, w, &n));
    return n;
}

/* A count with mode: insensitive (with_mode); where the database has no such
 * mode (Prisma on MySQL), it is refused (P2009) and the same filter without
 * it counts the same, the text comparing ignoring case already. */
static int64_t count_insensitive(const UserWhereInput *with_mode, const UserWhereInput *without)
{
    if (testdb->insensitive_mode)
        return count(with_mode);
    int64_t n = -1;
    ck_assert_int_eq(user_count(db, with_mode, &n), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    ck_assert(testdb->case_insensitive_text);
    return count(without);
}

START_TEST(filters_on_numbers_strings_enums_and_nulls)
{
    seed();
    ck_assert_int_eq(count(&(UserWhereInput){ .balance = { .equals = PRISMA_INT(30) } }), 1);
    ck_assert_int_eq(count(&(UserWhereInput){ .balance = { .not_ = PRISMA_INT(30) } }), 9);
    ck_assert_int_eq(count(&(UserWhereInput){ .balance = { .in = PRISMA_INTS(10, 20, 99) } }), 2);
    ck_assert_int_eq(count(&(UserWhereInput){ .balance = { .not_in = PRISMA_INTS(10, 20) } }), 8);
    ck_assert_int_eq(count(&(UserWhereInput){ .balance = { .in = PRISMA_EMPTY_LIST } }), 0);
    ck_assert_int_eq(count(&(UserWhereInput){ .balance = { .lt = PRISMA_INT(30) } }), 3);
    ck_assert_int_eq(count(&(UserWhereInput){ .balance = { .lte = PRISMA_INT(30) } }), 4);
    ck_assert_int_eq(count(&(UserWhereInput){ .balance = { .gt = PRISMA_INT(30), .lte = PRISMA_INT(60) } }), 3);
    ck_assert_int_eq(count(&(UserWhereInput){ .balance = { .gte = PRISMA_INT(90) } }), 1);
    ck_assert_int_eq(count(&(UserWhereInput){ .email = { .ends_with = "@odd.io" } }), 5);
    ck_assert_int_eq(count(&(UserWhereInput){ .email = { .ends_with = "@even.io" } }),
                     testdb->case_insensitive_text ? 5 : 0); /* "...@Even.io" */
    ck_assert_int_eq(count_insensitive(&(UserWhereInput){ .email = { .ends_with = "@even.io", .mode = PRISMA_INSENSITIVE } },
                                       &(UserWhereInput){ .email = { .ends_with = "@even.io" } }),
                     5);
    ck_assert_int_eq(count(&(UserWhereInput){ .email = { .starts_with = "u1" } }), 1);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .contains = "ser" } }), 9);
    ck_assert_int_eq(count_insensitive(&(UserWhereInput){ .name = { .contains = "SER", .mode = PRISMA_INSENSITIVE } },
                                       &(UserWhereInput){ .name = { .contains = "SER" } }),
                     9);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .contains = "%" } }), 0);
    ck_assert_int_eq(count_insensitive(&(UserWhereInput){ .name = { .equals = "user3", .mode = PRISMA_INSENSITIVE } },
                                       &(UserWhereInput){ .name = { .equals = "user3" } }),
                     1);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .in = PRISMA_STRINGS("User1", "User2") } }), 2);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .is_null = true } }), 1);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .is_not_null = true } }), 9);
    ck_assert_int_eq(count(&(UserWhereInput){ .name = { .equals = PRISMA_NULL } }), 1);
    ck_assert_int_eq(count(&(UserWhereInput){ .score = { .is_null = true } }), 5);
    ck_assert_int_eq(count(&(UserWhereInput){ .score = { .gte = PRISMA_INT(3) } }), 2);
    ck_assert_int_eq(count(&(UserWhereInput){ .role = { .equals = ROLE_ADMIN } }), 5);
    ck_assert_int_eq(count(&(UserWhereInput){ .role = { .in = PRISMA_ENUMS(ROLE_ADMIN, ROLE_GUEST) } }), 5);
    ck_assert_int_eq(count(&(UserWhereInput){ .active = { .equals = PRISMA_BOOL(true) } }), 10);
    ck_assert_int_eq(count(&(UserWhereInput){ .createdAt = { .lte = PRISMA_DATETIME(0) } }), 0);
    ck_assert_int_eq(count(&(UserWhereInput){ .createdAt = { .gt = PRISMA_DATETIME(0) } }), 10);
}
END_TEST

START_TEST(and_or_not_combine)
{
    seed();
    UserWhereInput either[] = { { .balance = { .lt = PRISMA_INT(20) } }, { .balance = { .gt = PRISMA_INT(80) } } };
    ck_assert_int_eq(count(&(UserWhereInput){ .OR = either, .OR_len = 2 }), 3);
    UserWhereInput both[] = { { .balance = { .gte = PRISMA_INT(20) } }, { .role = { .equals = ROLE_ADMIN } } };
    ck_assert_int_eq(count(&(UserWhereInput){ .AND = both, .AND_len = 2 }), 4);
    UserWhereInput not_admin[] = { { .role = { .equals = ROLE_ADMIN } } };
    ck_assert_int_eq(count(&(UserWhereInput){ .NOT = not_admin, .NOT_len = 1 }), 5);
    ck_assert_int_eq(count(&(UserWhereInput){ .OR = either, .OR_len = 0 }), 0);
    /* Nested: (balance < 20 OR balance > 80) AND NOT admin */
    ck_assert_int_eq(count(&(UserWhereInput){ .OR = either, .OR_len = 2, .NOT = not_admin, .NOT_len = 1 }), 2);
}
END_TEST

START_TEST(find_many_orders_paginates_and_uses_cursors)
{
    seed();
    UserList *l = NULL;
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .where = &(UserWhereInput){ .balance = { .gte = PRISMA_INT(10) } },
                                           .order_by = (UserOrderByInput[]){ { .balance = PRISMA_DESC } },
                                           .order_by_len = 1, .take = PRISMA_TAKE(3), .skip = 1 },
                      &l));
    ck_assert_uint_eq(l->len, 3);
    ck_assert_int_eq(l->items[0].balance, 80);
    ck_assert_int_eq(l->items[2].balance, 60);
    user_list_free(l);
    /* Several fields: role first, then balance descending. */
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .order_by = (UserOrderByInput[]){ { .role = PRISMA_ASC }, { .balance = PRISMA_DESC } },
                                           .order_by_len = 2 },
                      &l));
    ck_assert_uint_eq(l->len, 10);
    ck_assert_int_eq(l->items[0].role, l->items[4].role);
    ck_assert_int_ge(l->items[0].balance, l->items[1].balance);
    user_list_free(l);
    /* Cursor: from the user with balance 50, ascending by id, 3 of them. */
    User *c = NULL;
    OK(user_find_first(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .balance = { .equals = PRISMA_INT(50) } } }, &c));
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .cursor = &(UserWhereUniqueInput){ .id = PRISMA_INT(c->id) },
                                           .order_by = (UserOrderByInput[]){ { .id = PRISMA_ASC } }, .order_by_len = 1,
                                           .take = PRISMA_TAKE(3) },
                      &l));
    ck_assert_uint_eq(l->len, 3);
    ck_assert_int_eq(l->items[0].balance, 50);
    ck_assert_int_eq(l->items[2].balance, 70);
    user_list_free(l);
    /* A negative take reads backwards from the cursor, in the requested order. */
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .cursor = &(UserWhereUniqueInput){ .id = PRISMA_INT(c->id) },
                                           .order_by = (UserOrderByInput[]){ { .id = PRISMA_ASC } }, .order_by_len = 1,
                                           .take = PRISMA_TAKE(-2) },
                      &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_int_eq(l->items[0].balance, 40);
    ck_assert_int_eq(l->items[1].balance, 50);
    user_list_free(l);
    user_free(c);
    /* find_first honours order and filters; or_throw fails on nothing. */
    OK(user_find_first(db, &(UserFindManyArgs){ .order_by = (UserOrderByInput[]){ { .balance = PRISMA_DESC } }, .order_by_len = 1 }, &c));
    ck_assert_int_eq(c->balance, 90);
    user_free(c);
    ck_assert_int_eq(user_find_first_or_throw(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .balance = { .gt = PRISMA_INT(1000) } } }, &c), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2025");
}
END_TEST

START_TEST(include_reads_related_records)
{
    User *a = make_user("author@x", 0);
    for (int i = 0; i < 3; i++) {
        char title[16];
        snprintf(title, sizeof title, "post %d", i);
        OK(post_create(db, &(PostCreateInput){ .title = title, .authorId = PRISMA_INT(a->id) }, NULL));
    }
    OK(profile_create(db, &(ProfileCreateInput){ .bio = "hi", .userId = PRISMA_INT(a->id) }, NULL));
    user_free(make_user("lonely@x", 0));
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .include = &(UserInclude){ .posts = true, .profile = true },
                                               .order_by = (UserOrderByInput[]){ { .id = PRISMA_ASC } }, .order_by_len = 1 },
                      &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_ptr_nonnull(l->items[0].posts);
    ck_assert_uint_eq(l->items[0].posts->len, 3);
    ck_assert_ptr_nonnull(l->items[0].profile);
    ck_assert_str_eq(l->items[0].profile->bio, "hi");
    ck_assert_ptr_nonnull(l->items[1].posts);
    ck_assert_uint_eq(l->items[1].posts->len, 0);
    ck_assert_ptr_null(l->items[1].profile);
    user_list_free(l);
    PostList *pl = NULL;
    OK(post_find_many(db, &(PostFindManyArgs){ .include = &(PostInclude){ .author = true } }, &pl));
    ck_assert_uint_eq(pl->len, 3);
    for (size_t i = 0; i < pl->len; i++)
        ck_assert_str_eq(pl->items[i].author->email, "author@x");
    post_list_free(pl);
    /* Cascade: deleting the author deletes the posts (onDelete: Cascade). */
    OK(user_delete(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(a->id) }, NULL));
    int64_t n;
    OK(post_count(db, NULL, &n));
    ck_assert_int_eq(n, 0);
    user_free(a);
}
END_TEST

START_TEST(foreign_key_violation_is_p2003)
{
    ck_assert_int_eq(post_create(db, &(PostCreateInput){ .title = "orphan", .authorId = PRISMA_INT(987654) }, NULL),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2003");
}
END_TEST

START_TEST(compound_ids_and_named_uniques)
{
    OK(membership_create(db, &(MembershipCreateInput){ .orgId = PRISMA_INT(1), .userId = PRISMA_INT(2), .note = "a" }, NULL));
    OK(membership_create(db, &(MembershipCreateInput){ .orgId = PRISMA_INT(1), .userId = PRISMA_INT(3), .level = PRISMA_INT(2), .note = "a" }, NULL));
    Membership *m = NULL;
    OK(membership_find_unique(db, &(MembershipWhereUniqueInput){ .orgId_userId = { .orgId = PRISMA_INT(1), .userId = PRISMA_INT(3) } }, &m));
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(m->level, 2);
    membership_free(m);
    OK(membership_find_unique(db, &(MembershipWhereUniqueInput){ .level_note = { .level = PRISMA_INT(1), .note = "a" } }, &m));
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(m->userId, 2);
    membership_free(m);
    /* Half a compound criterion is rejected. */
    ck_assert_int_eq(membership_find_unique(db, &(MembershipWhereUniqueInput){ .orgId_userId = { .orgId = PRISMA_INT(1) } }, &m), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    OK(membership_update(db, &(MembershipWhereUniqueInput){ .orgId_userId = { .orgId = PRISMA_INT(1), .userId = PRISMA_INT(2) } },
                         &(MembershipUpdateInput){ .level = { .increment = PRISMA_INT(5) } }, &m));
    ck_assert_int_eq(m->level, 6);
    membership_free(m);
}
END_TEST

START_TEST(generated_id_defaults)
{
    Item *it = NULL;
    OK(item_create(db, &(ItemCreateInput){ .label = "x" }, &it));
    ck_assert_uint_eq(strlen(it->uuid), 36);
    ck_assert_int_eq(it->uuid[14], '4');
    ck_assert_uint_eq(strlen(it->u7), 36);
    ck_assert_int_eq(it->u7[14], '7');
    ck_assert_uint_eq(strlen(it->cuid), 25);
    ck_assert_int_eq(it->cuid[0], 'c');
    ck_assert_uint_eq(strlen(it->c2), 24);
    ck_assert_uint_eq(strlen(it->nano), 10);
    ck_assert_uint_eq(strlen(it->ulid), 26);
    Item *it2 = NULL;
    OK(item_create(db, &(ItemCreateInput){ .label = "y" }, &it2));
    ck_assert_str_ne(it->uuid, it2->uuid);
    ck_assert_str_ne(it->cuid, it2->cuid);
    item_free(it);
    item_free(it2);
}
END_TEST

START_TEST(bad_input_gets_clear_errors)
{
    /* Invalid UTF-8 is rejected before it reaches the database. */
    ck_assert_int_eq(user_create(db, &(UserCreateInput){ .email = "bad\xff\xfe@x" }, NULL), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "UTF-8"));
    /* Not-a-number floats and malformed decimals too. */
    ck_assert_int_eq(user_create(db, &(UserCreateInput){ .email = "nan@x", .ratio = PRISMA_FLOAT((double)NAN) }, NULL), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    ck_assert_int_eq(user_create(db, &(UserCreateInput){ .email = "dec@x", .price = "1.2.3" }, NULL), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    /* An enum value out of range. */
    ck_assert_int_eq(user_create(db, &(UserCreateInput){ .email = "enum@x", .role = (Role)42 }, NULL), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    /* NULL arguments. */
    ck_assert_int_eq(user_create(db, NULL, NULL), PRISMA_ERROR);
    ck_assert_int_eq(user_create(NULL, &(UserCreateInput){ .email = "x@x" }, NULL), PRISMA_ERROR);
    /* Hostile strings are values, never SQL. */
    const char *evil = "x'); DROP TABLE users; --";
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = evil }, &u));
    ck_assert_str_eq(u->email, evil);
    user_free(u);
    ck_assert_int_eq(count(&(UserWhereInput){ .email = { .contains = "'); DROP" } }), 1);
    /* A 1 MB string round-trips exactly; where a String has a limit, one
     * over it is P2000 and one of the limit round-trips. */
    size_t big = 1 << 20;
    char *s = malloc(big + 1);
    for (size_t i = 0; i < big; i++)
        s[i] = (char)('a' + i % 26);
    s[big] = '\0';
    if (testdb->string_max) {
        ck_assert_int_eq(user_create(db, &(UserCreateInput){ .email = "big@x", .name = s }, &u), PRISMA_ERROR);
        ck_assert_str_eq(prisma_error_code(db), "P2000");
        s[testdb->string_max + 1] = '\0';
        ck_assert_int_eq(user_create(db, &(UserCreateInput){ .email = "big@x", .name = s }, &u), PRISMA_ERROR);
        ck_assert_str_eq(prisma_error_code(db), "P2000");
        big = testdb->string_max;
        s[big] = '\0';
    }
    OK(user_create(db, &(UserCreateInput){ .email = "big@x", .name = s }, &u));
    ck_assert_uint_eq(strlen(u->name), big);
    ck_assert(memcmp(u->name, s, big) == 0);
    user_free(u);
    free(s);
    /* Nothing above left a stray row behind. */
    ck_assert_int_eq(count(NULL), 2);
    /* A 32-bit Int pushed past its range is an error, not a wrapped value. */
    ck_assert_int_eq(user_update(db, &(UserWhereUniqueInput){ .email = "big@x" },
                                 &(UserUpdateInput){ .balance = { .set = PRISMA_INT(INT32_MAX) } }, NULL),
                     PRISMA_OK);
    ck_assert_int_eq(user_update(db, &(UserWhereUniqueInput){ .email = "big@x" },
                                 &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, &u),
                     PRISMA_ERROR);
    ck_assert_ptr_null(u);
    ck_assert_str_eq(prisma_error_code(db), "P2020");
}
END_TEST

typedef struct writer_arg {
    int id;
    int failures;
} writer_arg;

static void *writer(void *p)
{
    writer_arg *a = p;
    for (int i = 0; i < 20; i++) {
        char email[64];
        snprintf(email, sizeof email, "t%d-%d@x", a->id, i);
        if (user_create(db, &(UserCreateInput){ .email = email }, NULL) != PRISMA_OK)
            a->failures++;
        else if (prisma_error_code(db) != NULL)
            a->failures++; /* a success must not see another thread's error */
    }
    return NULL;
}

START_TEST(one_client_serves_several_threads)
{
    enum { THREADS = 4 };
    pthread_t t[THREADS];
    writer_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (writer_arg){ i, 0 };
        pthread_create(&t[i], NULL, writer, &args[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(args[i].failures, 0);
    }
    ck_assert_int_eq(count(NULL), THREADS * 20);
}
END_TEST

START_TEST(mapped_names_are_used_in_sql)
{
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = "map@x", .nick = "nicky", .role = ROLE_GUEST }, &u));
    ck_assert_str_eq(u->nick, "nicky");
    ck_assert_int_eq(u->role, ROLE_GUEST);
    user_free(u);
    ck_assert_int_eq(count(&(UserWhereInput){ .nick = { .equals = "nicky" }, .role = { .equals = ROLE_GUEST } }), 1);
}
END_TEST

typedef struct each_state {
    int seen;
    int last_balance;
    bool ordered;
    int stop_after;
    const User *first_record;
    bool reused;
} each_state;

static int each_user(const User *u, void *arg)
{
    each_state *e = arg;
    if (e->seen && u->balance < e->last_balance)
        e->ordered = false;
    if (e->seen == 0)
        e->first_record = u;
    else if (u != e->first_record)
        e->reused = false;
    e->last_balance = u->balance;
    e->seen++;
    return e->stop_after && e->seen >= e->stop_after ? 42 : PRISMA_OK;
}

START_TEST(find_each_streams_in_bounded_memory)
{
    enum { N = 3000 };
    UserCreateInput *rows = calloc(N, sizeof *rows);
    char (*emails)[24] = calloc(N, sizeof *emails);
    for (int i = 0; i < N; i++) {
        snprintf(emails[i], sizeof emails[i], "s%d@x", i);
        rows[i] = (UserCreateInput){ .email = emails[i], .balance = PRISMA_INT(i) };
    }
    int64_t n;
    OK(user_create_many(db, rows, N, false, &n));
    ck_assert_int_eq(n, N);
    each_state e = { .ordered = true, .reused = true };
    OK(user_find_each(db, &(UserFindManyArgs){ .order_by = (UserOrderByInput[]){ { .balance = PRISMA_ASC } }, .order_by_len = 1 },
                      each_user, &e));
    ck_assert_int_eq(e.seen, N);
    ck_assert(e.ordered);
    ck_assert_msg(e.reused, "every row should reuse the one record");
    /* The callback stops the stream; its value comes back and the client stays usable. */
    each_state stop = { .ordered = true, .reused = true, .stop_after = 10 };
    ck_assert_int_eq(user_find_each(db, NULL, each_user, &stop), 42);
    ck_assert_int_eq(stop.seen, 10);
    ck_assert_ptr_null(prisma_error_code(db));
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, N);
    /* Streaming takes no include. */
    ck_assert_int_eq(user_find_each(db, &(UserFindManyArgs){ .include = &(UserInclude){ .posts = true } }, each_user, &e),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    free(rows);
    free(emails);
}
END_TEST

typedef struct trace_log {
    char sql[8][512];
    int n;
} trace_log;

static void record_sql(void *arg, const char *sql)
{
    trace_log *t = arg;
    if (t->n < 8)
        snprintf(t->sql[t->n], sizeof t->sql[0], "%s", sql);
    t->n++;
}

/* Prisma's meta.modelName (reference item 56): the model of the call, or,
 * when the database refuses a statement of a nested write, the nested model,
 * by its model name even though User is @@map("users"). */
START_TEST(the_error_names_its_model)
{
    user_free(make_user("taken@x", 1));
    ck_assert_ptr_null(prisma_error_model(db));
    /* A top-level create: the call's model. */
    ck_assert_int_eq(user_create(db, &(UserCreateInput){ .email = "taken@x" }, NULL), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2002");
    ck_assert_str_eq(prisma_error_model(db), "User");
    /* A post whose nested author create collides: the nested model. */
    ck_assert_int_eq(post_create(db, &(PostCreateInput){ .title = "t",
                                                       .author = { .create = &(UserCreateInput){ .email = "taken@x" } } },
                                 NULL),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2002");
    ck_assert_str_eq(prisma_error_model(db), "User");
    /* A user whose nested post creates a tag that exists: two levels down. */
    OK(tag_create(db, &(TagCreateInput){ .name = "c" }, NULL));
    ck_assert_int_eq(user_create(db, &(UserCreateInput){ .email = "new@x",
                                                       .posts = { .create = &(PostCreateInput){ .title = "t",
                                                                      .tags = { .create = &(TagCreateInput){ .name = "c" },
                                                                                .create_len = 1 } },
                                                                  .create_len = 1 } },
                                 NULL),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2002");
    ck_assert_str_eq(prisma_error_model(db), "Tag");
    /* Errors the runtime raises itself name the call's model. */
    ck_assert_int_eq(post_update(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(999999) },
                                 &(PostUpdateInput){ .title = "x" }, NULL),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2025");
    ck_assert_str_eq(prisma_error_model(db), "Post");
    /* Raw SQL has no model (P2010), and a success clears it. */
    ck_assert_int_eq(prisma_execute_raw(db, "INSERT INTO \"Tag\" (\"name\") VALUES ('c')", NULL, 0, NULL), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2010");
    ck_assert_ptr_null(prisma_error_model(db));
    int64_t n;
    OK(user_count(db, NULL, &n));
    ck_assert_ptr_null(prisma_error_model(db));
    ck_assert_int_eq(n, 1);
}
END_TEST

START_TEST(the_trace_reports_statements_without_values)
{
    trace_log log = { .n = 0 };
    prisma_set_trace(db, record_sql, &log);
    User *u = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .email = "secret-value@x" }, &u));
    ck_assert_ptr_null(u);
    prisma_set_trace(db, NULL, NULL);
    OK(user_count(db, NULL, NULL));
    ck_assert_int_eq(log.n, 1);
    ck_assert_ptr_nonnull(strstr(log.sql[0], "SELECT"));
    ck_assert_ptr_nonnull(strstr(log.sql[0], testdb_sql("\"email\" = ")));
    ck_assert_ptr_null(strstr(log.sql[0], "secret-value"));
}
END_TEST

START_TEST(connect_errors_are_clear)
{
    prisma_client *c = NULL;
    ck_assert_int_eq(prisma_connect(&c, testdb->unreachable_url), PRISMA_ERROR);
    ck_assert_ptr_nonnull(prisma_last_connect_error_code());
    if (testdb->unreachable_code)
        ck_assert_str_eq(prisma_last_connect_error_code(), testdb->unreachable_code);
    if (testdb->unreachable_mention)
        ck_assert_ptr_nonnull(strstr(prisma_last_connect_error(), testdb->unreachable_mention));
    ck_assert_ptr_null(c);
    /* The url of another database than the schema's datasource (another scheme). */
    size_t scheme = strcspn(testdb->unreachable_url, ":");
    for (size_t i = 0; testdb_backends[i]; i++) {
        const char *other = testdb_backends[i]->unreachable_url;
        if (strcspn(other, ":") == scheme && strncmp(other, testdb->unreachable_url, scheme) == 0)
            continue;
        ck_assert_int_eq(prisma_connect(&c, testdb_backends[i]->unreachable_url), PRISMA_ERROR);
        ck_assert_str_eq(prisma_last_connect_error_code(), "P1013");
        ck_assert_ptr_null(c);
    }
    ck_assert_int_eq(prisma_connect(&c, "mongodb://x"), PRISMA_ERROR);
    ck_assert_str_eq(prisma_last_connect_error_code(), "P1013");
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, create_applies_defaults_and_returns_the_record);
    tcase_add_test(tc, every_scalar_type_round_trips_exactly);
    tcase_add_test(tc, unique_violation_is_p2002_with_the_fields);
    tcase_add_test(tc, find_unique_by_each_criterion_and_or_throw);
    tcase_add_test(tc, atomic_number_updates_and_setting_null);
    tcase_add_test(tc, update_and_delete_of_a_missing_record_are_p2025);
    tcase_add_test(tc, delete_returns_the_record_and_removes_it);
    tcase_add_test(tc, many_operations_return_counts);
    tcase_add_test(tc, upsert_creates_then_updates);
    tcase_add_test(tc, concurrent_upserts_are_race_free);
    tcase_add_test(tc, filters_on_numbers_strings_enums_and_nulls);
    tcase_add_test(tc, and_or_not_combine);
    tcase_add_test(tc, find_many_orders_paginates_and_uses_cursors);
    tcase_add_test(tc, include_reads_related_records);
    tcase_add_test(tc, foreign_key_violation_is_p2003);
    tcase_add_test(tc, compound_ids_and_named_uniques);
    tcase_add_test(tc, generated_id_defaults);
    tcase_add_test(tc, bad_input_gets_clear_errors);
    tcase_add_test(tc, one_client_serves_several_threads);
    tcase_add_test(tc, mapped_names_are_used_in_sql);
    tcase_add_test(tc, the_error_names_its_model);
    tcase_add_test(tc, the_trace_reports_statements_without_values);
    tcase_add_test(tc, find_each_streams_in_bounded_memory);
    tcase_add_test(tc, connect_errors_are_clear);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "crud", .timeout = 60, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
