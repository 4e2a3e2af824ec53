/* The hot paths the benchmark's instruction counts led to (bench/README.md):
 * a find by one single-field unique skips the generic key walk once its
 * shape is cached, a find's take is bound as `LIMIT +?` on SQLite, and a
 * row's strings are copied in one block (a single record's block has room
 * for them), and an update learns whether its data gives any field without
 * walking it twice. Each test warms the fast shape first, then checks that inputs
 * it must not take still get the generic path's answer. Built once per
 * backend of tests/meson.build's test_backends, like test_crud.c, on its
 * schema; it links the runtime's internals to check the fast path's key. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
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

static int32_t make_user(const char *email, const char *name)
{
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = email, .name = name }, &u));
    int32_t id = u->id;
    user_free(u);
    return id;
}

START_TEST(find_by_id_after_its_shape_is_cached)
{
    int32_t a = make_user("a@x", "A"), b = make_user("b@x", NULL);
    User *u = NULL;
    for (int round = 0; round < 3; round++) { /* the first run caches the shape */
        OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(a) }, &u));
        ck_assert_int_eq(u->id, a);
        ck_assert_str_eq(u->email, "a@x");
        ck_assert_str_eq(u->name, "A");
        user_free(u);
        OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(b) }, &u));
        ck_assert_str_eq(u->email, "b@x");
        ck_assert_ptr_null(u->name);
        user_free(u);
        u = (User *)1;
        OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(b + 1000) }, &u));
        ck_assert_ptr_null(u);
    }
    /* Both criteria: every one must match (not just the id). */
    u = (User *)1;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(a), .email = "b@x" }, &u));
    ck_assert_ptr_null(u);
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(a), .email = "a@x" }, &u));
    ck_assert_int_eq(u->id, a);
    user_free(u);
    /* A null id is refused, as before the shape was cached. */
    ck_assert_int_eq(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT_NULL }, &u), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2012");
    /* By email, then an invalid email once that shape is cached. */
    for (int round = 0; round < 2; round++) {
        OK(user_find_unique(db, &(UserWhereUniqueInput){ .email = "b@x" }, &u));
        ck_assert_int_eq(u->id, b);
        user_free(u);
    }
    ck_assert_int_eq(user_find_unique(db, &(UserWhereUniqueInput){ .email = "bad\xff@x" }, &u), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    /* or_throw still throws on the fast path. */
    ck_assert_int_eq(user_find_unique_or_throw(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(b + 1000) }, &u),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2025");
    /* And a success clears the error. */
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(a) }, &u));
    ck_assert_ptr_null(prisma_error_code(db));
    user_free(u);
}
END_TEST

/* The fast path finds the statement the generic path cached: the key it
 * writes is the builder's, byte for byte (a different key would only
 * miss, and every find would quietly take the slow path). */
START_TEST(the_fast_key_is_the_key_the_builder_records)
{
    prisma_disconnect(db);
    prisma_options one = { .pool_size = 1 }; /* every call on the same connection and cache */
    ck_assert_msg(prisma_connect_with(&db, url, &one) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    int32_t id = make_user("k@x", "K");
    const prisma_model_desc *m = NULL;
    for (unsigned i = 0; i < db->sh->schema->n_models; i++)
        if (strcmp(db->sh->schema->models[i]->name, "User") == 0)
            m = db->sh->schema->models[i];
    ck_assert_ptr_nonnull(m);
    const UserWhereUniqueInput by_id = { .id = PRISMA_INT(id) }, by_email = { .email = "k@x" };
    const UserWhereUniqueInput *const inputs[] = { &by_id, &by_email };
    for (int k = 0; k < 2; k++) {
        find_ctx fc = { .m = m, .where_unique = inputs[k] };
        prisma_rows *rows = NULL;
        query q;
        /* Not cached yet: the generic path must run it. */
        ck_assert_int_eq(q_op_begin(&q, db, m), PRISMA_OK);
        ck_assert_int_eq(q_find_by_unique(&q, &fc, &rows), 0);
        q_op_end(&q, PRISMA_OK);
        User *u = NULL;
        OK(user_find_unique(db, inputs[k], &u)); /* the generic path caches the shape */
        user_free(u);
        ck_assert_int_eq(q_op_begin(&q, db, m), PRISMA_OK);
        ck_assert_int_eq(q_find_by_unique(&q, &fc, &rows), 1);
        void *rec = NULL;
        ck_assert_int_eq(q_fetch_one(&q, m, rows, &rec), PRISMA_OK);
        ck_assert_ptr_nonnull(rec);
        ck_assert_int_eq(((User *)rec)->id, id);
        result_free_root(rec);
        q_op_end(&q, PRISMA_OK);
    }
    /* Two criteria at once: the generic path's shape. */
    const UserWhereUniqueInput both = { .id = PRISMA_INT(id), .email = "k@x" };
    find_ctx fc = { .m = m, .where_unique = &both };
    prisma_rows *rows = NULL;
    query q;
    ck_assert_int_eq(q_op_begin(&q, db, m), PRISMA_OK);
    ck_assert_int_eq(q_find_by_unique(&q, &fc, &rows), 0);
    q_op_end(&q, PRISMA_OK);
}
END_TEST

static int find_by_id_in_tx(prisma_client *tx, void *arg)
{
    const int32_t *id = arg;
    User *u = NULL;
    int rc = user_find_unique(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(*id) }, &u);
    if (rc == PRISMA_OK && (!u || strcmp(u->email, "tx@x") != 0))
        rc = prisma_fail(tx, "wrong record");
    user_free(u);
    return rc;
}

START_TEST(find_by_id_inside_a_transaction)
{
    int32_t id = make_user("tx@x", "T");
    User *u = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u));
    user_free(u);
    for (int i = 0; i < 3; i++)
        OK(prisma_transaction(db, find_by_id_in_tx, &id, NULL));
}
END_TEST

START_TEST(take_changes_between_runs_of_one_shape)
{
    char email[32];
    for (int i = 0; i < 12; i++) {
        snprintf(email, sizeof email, "t%02d@x", i);
        make_user(email, NULL);
    }
    /* The same shape with another take on every run (and back again). */
    static const int64_t takes[] = { 1, 5, 12, 3, 5, 100, 1, -4, -4, 2 };
    for (size_t k = 0; k < sizeof takes / sizeof takes[0]; k++) {
        UserList *l = NULL;
        OK(user_find_many(db,
                          &(UserFindManyArgs){ .order_by = (UserOrderByInput[]){ { .email = PRISMA_ASC } },
                                               .order_by_len = 1, .take = PRISMA_TAKE(takes[k]) },
                          &l));
        size_t want = (size_t)(takes[k] < 0 ? -takes[k] : takes[k]);
        if (want > 12)
            want = 12;
        ck_assert_uint_eq(l->len, want);
        /* A positive take reads from the first row, a negative one ends at the last. */
        snprintf(email, sizeof email, "t%02d@x", takes[k] < 0 ? 12 - (int)want : 0);
        ck_assert_str_eq(l->items[0].email, email);
        user_list_free(l);
    }
    /* With skip as well. */
    UserList *l = NULL;
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .order_by = (UserOrderByInput[]){ { .email = PRISMA_ASC } },
                                           .order_by_len = 1, .skip = 10, .take = PRISMA_TAKE(5) },
                      &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_str_eq(l->items[0].email, "t10@x");
    user_list_free(l);
}
END_TEST

START_TEST(a_rows_strings_and_optional_values_in_one_block)
{
    /* A name longer than a block's room, and every text and optional kind. */
    size_t long_len = 20000;
    char *long_name = malloc(long_len + 1);
    ck_assert_ptr_nonnull(long_name);
    for (size_t i = 0; i < long_len; i++)
        long_name[i] = (char)('a' + i % 26);
    long_name[long_len] = '\0';
    /* Where a String column is short (Prisma's VARCHAR(191) on MySQL), the
     * name fills it, and the long text travels in the Json column. */
    char *long_meta = malloc(long_len + 32);
    ck_assert_ptr_nonnull(long_meta);
    snprintf(long_meta, long_len + 32, "{\"k\": \"v\", \"long\": \"%s\"}", long_name);
    if (testdb->string_max && testdb->string_max < long_len)
        long_name[testdb->string_max] = '\0';
    User *u = NULL;
    OK(user_create(db,
                   &(UserCreateInput){ .email = "s@x", .name = long_name, .price = "12.500",
                                       .meta = testdb->string_max ? long_meta : "{\"k\": \"v\"}", .nick = "",
                                       .score = PRISMA_INT(-3),
                                       .birthday = PRISMA_DATETIME(86400000) },
                   &u));
    int32_t id = u->id;
    user_free(u);
    make_user("t@x", NULL); /* nulls in between */
    for (int round = 0; round < 2; round++) {
        OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u));
        ck_assert_str_eq(u->email, "s@x");
        ck_assert_str_eq(u->name, long_name);
        ck_assert_str_eq(u->price, "12.5");
        ck_assert_ptr_nonnull(u->meta);
        ck_assert_ptr_nonnull(strstr(u->meta, "\"v\""));
        if (testdb->string_max)
            ck_assert_msg(strlen(u->meta) >= long_len, "meta of %zu bytes", strlen(u->meta));
        ck_assert_str_eq(u->nick, "");
        ck_assert_int_eq(*u->score, -3);
        ck_assert_int_eq(*u->birthday, 86400000);
        user_free(u);
    }
    UserList *l = NULL;
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .order_by = (UserOrderByInput[]){ { .email = PRISMA_ASC } },
                                           .order_by_len = 1 },
                      &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_str_eq(l->items[0].email, "s@x");
    ck_assert_str_eq(l->items[0].name, long_name);
    ck_assert_str_eq(l->items[0].nick, "");
    ck_assert_int_eq(*l->items[0].score, -3);
    ck_assert_str_eq(l->items[1].email, "t@x");
    ck_assert_ptr_null(l->items[1].name);
    ck_assert_ptr_null(l->items[1].nick);
    ck_assert_ptr_null(l->items[1].meta);
    ck_assert_ptr_null(l->items[1].score);
    ck_assert_str_eq(l->items[1].price, "0");
    user_list_free(l);
    free(long_name);
    free(long_meta);
}
END_TEST

START_TEST(update_checks_its_data_without_a_second_walk)
{
    int32_t id = make_user("up@x", "U");
    User *u = NULL;
    /* Nothing to change: the record, read. */
    OK(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &(UserUpdateInput){ 0 }, &u));
    ck_assert_str_eq(u->email, "up@x");
    ck_assert_int_eq(u->balance, 0);
    user_free(u);
    ck_assert_int_eq(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id + 1000) }, &(UserUpdateInput){ 0 }, &u),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2025");
    /* Invalid data is refused before anything changes. */
    ck_assert_int_eq(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) },
                                 &(UserUpdateInput){ .balance = { .set = PRISMA_INT(1), .increment = PRISMA_INT(1) } }, &u),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    ck_assert_int_eq(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) },
                                 &(UserUpdateInput){ .name = "bad\xff", .balance = { .increment = PRISMA_INT(1) } }, &u),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u));
    ck_assert_int_eq(u->balance, 0);
    ck_assert_str_eq(u->name, "U");
    user_free(u);
    /* A given field changes it. */
    OK(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) },
                   &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(2) } }, &u));
    ck_assert_int_eq(u->balance, 2);
    user_free(u);
    OK(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &(UserUpdateInput){ .name = PRISMA_NULL }, &u));
    ck_assert_ptr_null(u->name);
    user_free(u);
}
END_TEST

/* Found while writing the test above: with no `where`, update, delete and
 * upsert built "WHERE 1=1" and changed (or deleted) every row. */
START_TEST(a_missing_where_is_refused)
{
    make_user("w1@x", "A");
    make_user("w2@x", "B");
    User *u = (User *)1;
    ck_assert_int_eq(user_update(db, NULL, &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, &u),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    ck_assert_ptr_null(u);
    ck_assert_int_eq(user_update(db, NULL, &(UserUpdateInput){ 0 }, &u), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    ck_assert_int_eq(user_delete(db, NULL, &u), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    ck_assert_int_eq(user_upsert(db, NULL, &(UserCreateInput){ .email = "w3@x" },
                                 &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, &u),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2009");
    /* In a batch too (on PostgreSQL a pipeline builds the statements, on
     * SQLite each runs as a single call), after a valid operation. */
    for (int kind = 0; kind < 4; kind++) {
        /* The batch keeps pointers to its inputs until it runs. */
        const UserUpdateInput add5 = { .balance = { .increment = PRISMA_INT(5) } };
        const UserUpdateInput add1 = { .balance = { .increment = PRISMA_INT(1) } }, nothing = { 0 };
        prisma_batch *b = NULL;
        OK(prisma_batch_new(db, &b));
        int rc = user_batch_update_many(b, NULL, &add5, NULL);
        if (rc == PRISMA_OK)
            switch (kind) {
            case 0: rc = user_batch_delete(b, NULL, NULL); break;
            case 1: rc = user_batch_update(b, NULL, &add1, NULL); break;
            case 2: rc = user_batch_update(b, NULL, &nothing, NULL); break;
            default: rc = user_batch_find_unique(b, NULL, NULL); break;
            }
        if (rc == PRISMA_OK)
            rc = prisma_batch_run(b, NULL, NULL);
        ck_assert_int_eq(rc, PRISMA_ERROR);
        ck_assert_str_eq(prisma_error_code(db), "P2009");
        ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "Argument `where` is missing."));
        prisma_batch_free(b);
    }
    /* Nothing changed. */
    UserList *l = NULL;
    OK(user_find_many(db, NULL, &l));
    ck_assert_uint_eq(l->len, 2);
    for (size_t i = 0; i < l->len; i++)
        ck_assert_int_eq(l->items[i].balance, 0);
    user_list_free(l);
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, find_by_id_after_its_shape_is_cached);
    tcase_add_test(tc, the_fast_key_is_the_key_the_builder_records);
    tcase_add_test(tc, find_by_id_inside_a_transaction);
    tcase_add_test(tc, take_changes_between_runs_of_one_shape);
    tcase_add_test(tc, a_rows_strings_and_optional_values_in_one_block);
    tcase_add_test(tc, update_checks_its_data_without_a_second_walk);
    tcase_add_test(tc, a_missing_where_is_refused);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = {
        .name = "hot_paths", .timeout = 60, .url = &url, .setup = setup, .teardown = teardown,
        .add_tests = add_tests,
    };
    return testmain_run(&suite, argc, argv);
}
