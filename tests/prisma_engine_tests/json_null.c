/* The json_opt tests of writes/top_level_mutations/ (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/): create.rs,
 * create_many.rs, update.rs and update_many.rs, module json_* ::*_json_adv.
 * Prisma's JsonNull (the JSON value null) is the JSON text "null" in C (or
 * PRISMA_JSON_NULL), and DbNull (SQL NULL) is PRISMA_NULL (or PRISMA_DB_NULL;
 * tests/queries/json/ writes and filters with those); a Json field reads back
 * as its JSON text, NULL for SQL NULL. The TestModel of json_opt is JsonOpt here. */
#include "engine_tests.h"

/* The json of the record with this id: its text, or "<db null>". */
static const char *json_of(int id)
{
    JsonOpt *r = NULL;
    OK(json_opt_find_unique(db, &(JsonOptWhereUniqueInput){ .id = PRISMA_INT(id) }, &r));
    ck_assert_ptr_nonnull(r);
    static char buf[4][64];
    static unsigned next;
    char *b = buf[next++ % 4];
    snprintf(b, 64, "%s", r->json ? r->json : "<db null>");
    prisma_free(r);
    return b;
}

static const char *json_text(const JsonOpt *r)
{
    return r->json ? r->json : "<db null>";
}

/* create.rs json_create::create_json_adv */
START_TEST(create_json_adv)
{
    JsonOpt *r = NULL;
    OK(json_opt_create(db, &(JsonOptCreateInput){ .id = PRISMA_INT(1), .json = "{}" }, &r));
    ck_assert_str_eq(json_text(r), "{}");
    prisma_free(r);
    OK(json_opt_create(db, &(JsonOptCreateInput){ .id = PRISMA_INT(2), .json = "null" }, &r));
    ck_assert_str_eq(json_text(r), "null");
    prisma_free(r);
    OK(json_opt_create(db, &(JsonOptCreateInput){ .id = PRISMA_INT(3), .json = PRISMA_NULL }, &r));
    ck_assert_str_eq(json_text(r), "<db null>");
    prisma_free(r);
    OK(json_opt_create(db, &(JsonOptCreateInput){ .id = PRISMA_INT(4) }, &r));
    ck_assert_str_eq(json_text(r), "<db null>");
    prisma_free(r);
}
END_TEST

/* create_many.rs json_create_many::create_many_json_adv */
START_TEST(create_many_json_adv)
{
    const JsonOptCreateInput data[] = { { .id = PRISMA_INT(1), .json = "{}" },
                                        { .id = PRISMA_INT(2), .json = "null" },
                                        { .id = PRISMA_INT(3), .json = PRISMA_NULL },
                                        { .id = PRISMA_INT(4) } };
    int64_t count = -1;
    OK(json_opt_create_many(db, data, 4, false, &count));
    ck_assert_int_eq(count, 4);
    ck_assert_str_eq(json_of(1), "{}");
    ck_assert_str_eq(json_of(2), "null");
    ck_assert_str_eq(json_of(3), "<db null>");
    ck_assert_str_eq(json_of(4), "<db null>");
}
END_TEST

/* update.rs json_update::update_json_adv */
START_TEST(update_json_adv)
{
    JsonOpt *r = NULL;
    OK(json_opt_create(db, &(JsonOptCreateInput){ .id = PRISMA_INT(1) }, &r));
    ck_assert_str_eq(json_text(r), "<db null>");
    prisma_free(r);
    const JsonOptWhereUniqueInput one = { .id = PRISMA_INT(1) };
    OK(json_opt_update(db, &one, &(JsonOptUpdateInput){ .json = "{}" }, &r));
    ck_assert_str_eq(json_text(r), "{}");
    prisma_free(r);
    OK(json_opt_update(db, &one, &(JsonOptUpdateInput){ .json = "null" }, &r));
    ck_assert_str_eq(json_text(r), "null");
    prisma_free(r);
    OK(json_opt_update(db, &one, &(JsonOptUpdateInput){ .json = PRISMA_NULL }, &r));
    ck_assert_str_eq(json_text(r), "<db null>");
    prisma_free(r);
}
END_TEST

/* update_many.rs json_update_many::update_json_adv */
START_TEST(update_many_json_adv)
{
    JsonOpt *r = NULL;
    OK(json_opt_create(db, &(JsonOptCreateInput){ .id = PRISMA_INT(1) }, &r));
    ck_assert_str_eq(json_text(r), "<db null>");
    prisma_free(r);
    const JsonOptWhereInput one = { .id = { .equals = PRISMA_INT(1) } };
    int64_t count = -1;
    OK(json_opt_update_many(db, &one, &(JsonOptUpdateInput){ .json = "{}" }, &count));
    ck_assert_int_eq(count, 1);
    ck_assert_str_eq(json_of(1), "{}");
    OK(json_opt_update_many(db, &one, &(JsonOptUpdateInput){ .json = "null" }, &count));
    ck_assert_int_eq(count, 1);
    ck_assert_str_eq(json_of(1), "null");
    OK(json_opt_update_many(db, &one, &(JsonOptUpdateInput){ .json = PRISMA_NULL }, &count));
    ck_assert_int_eq(count, 1);
    ck_assert_str_eq(json_of(1), "<db null>");
}
END_TEST

void json_null_tests(TCase *tc)
{
    tcase_add_test(tc, create_json_adv);
    tcase_add_test(tc, create_many_json_adv);
    tcase_add_test(tc, update_json_adv);
    tcase_add_test(tc, update_many_json_adv);
}
