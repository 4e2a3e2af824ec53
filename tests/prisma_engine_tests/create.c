/* writes/top_level_mutations/create.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/): create,
 * json_create and mapped_create. ScalarModel, RelatedModel and MyEnum are
 * CrScalarModel, CrRelatedModel and CrEnum here; schema_datetime's A is CrA. */
#include "engine_tests.h"

#define DT_2016_07_31 INT64_C(1470009541000) /* 2016-07-31T23:59:01.000Z */
#define DT_1999_05_01 INT64_C(925516800000)  /* 1999-05-01T00:00:00.000Z */

static const char lala[] = "lala" TROUBLE_CHARS;

/* optString, optInt, optFloat, optBoolean, optEnum of a record, as Prisma's JSON
 * shows them ("null" for NULL). */
static const char *scalars(const CrScalarModel *r)
{
    static char buf[2][1024];
    static unsigned next;
    char *b = buf[next++ % 2];
    char i[16] = "null", f[32] = "null";
    if (r->optInt)
        snprintf(i, sizeof i, "%d", (int)*r->optInt);
    if (r->optFloat)
        snprintf(f, sizeof f, "%.17g", *r->optFloat);
    snprintf(b, 1024, "%s|%s|%s|%s|%s", r->optString ? r->optString : "null", i, f,
             r->optBoolean ? (*r->optBoolean ? "true" : "false") : "null",
             r->optEnum == CR_ENUM_A ? "A" : r->optEnum == CR_ENUM_B ? "B" : "null");
    return b;
}

static const char *g17(double v)
{
    static char buf[32];
    snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

/* create.rs::create_should_work */
START_TEST(create_should_work)
{
    CrScalarModel *r = NULL;
    OK(cr_scalar_model_create(db, &(CrScalarModelCreateInput){
        .id = "1", .optString = lala, .optInt = PRISMA_INT(1337), .optFloat = PRISMA_FLOAT(1.234),
        .optBoolean = PRISMA_BOOL(true), .optEnum = CR_ENUM_A, .optDateTime = PRISMA_DATETIME(DT_2016_07_31) }, &r));
    char want[1024];
    snprintf(want, sizeof want, "%s|1337|%s|true|A", lala, g17(1.234));
    ck_assert_str_eq(r->id, "1");
    ck_assert_str_eq(scalars(r), want);
    ck_assert_int_eq(*r->optDateTime, DT_2016_07_31);
    prisma_free(r);
    CrScalarModelList *l = NULL;
    OK(cr_scalar_model_find_many(db, NULL, &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_str_eq(scalars(&l->items[0]), want);
    ck_assert_int_eq(*l->items[0].optDateTime, DT_2016_07_31);
    prisma_free(l);
}
END_TEST

/* create.rs::return_item_empty_str: "" is a value, not null. */
START_TEST(return_item_empty_str)
{
    CrScalarModel *r = NULL;
    OK(cr_scalar_model_create(db, &(CrScalarModelCreateInput){ .id = "1", .optString = "" }, &r));
    ck_assert_str_eq(scalars(r), "|null|null|null|null");
    prisma_free(r);
}
END_TEST

/* create.rs::return_item_explicit_null_attrs */
START_TEST(return_item_explicit_null_attrs)
{
    CrScalarModel *r = NULL;
    OK(cr_scalar_model_create(db, &(CrScalarModelCreateInput){
        .id = "1", .optString = PRISMA_NULL, .optInt = PRISMA_INT_NULL, .optBoolean = PRISMA_BOOL_NULL,
        .optEnum = (CrEnum)PRISMA_ENUM_NULL, .optFloat = PRISMA_FLOAT_NULL }, &r));
    ck_assert_str_eq(scalars(r), "null|null|null|null|null");
    prisma_free(r);
}
END_TEST

/* create.rs::return_item_implicit_null_attr: createdAt gets its default. */
START_TEST(return_item_implicit_null_attr)
{
    CrScalarModel *r = NULL;
    OK(cr_scalar_model_create(db, &(CrScalarModelCreateInput){ .id = "1" }, &r));
    ck_assert_str_eq(scalars(r), "null|null|null|null|null");
    ck_assert_int_gt(r->createdAt, 0);
    prisma_free(r);
}
END_TEST

/* create.rs::return_item_non_null_attrs_then_explicit_null_attrs */
START_TEST(return_item_non_null_attrs_then_explicit_null_attrs)
{
    CrScalarModel *r = NULL;
    OK(cr_scalar_model_create(db, &(CrScalarModelCreateInput){
        .id = "1", .optString = "lala", .optInt = PRISMA_INT(123), .optBoolean = PRISMA_BOOL(true), .optEnum = CR_ENUM_A,
        .optFloat = PRISMA_FLOAT(1.23) }, &r));
    char want[64];
    snprintf(want, sizeof want, "lala|123|%s|true|A", g17(1.23));
    ck_assert_str_eq(scalars(r), want);
    prisma_free(r);
    OK(cr_scalar_model_create(db, &(CrScalarModelCreateInput){
        .id = "2", .optString = PRISMA_NULL, .optInt = PRISMA_INT_NULL, .optBoolean = PRISMA_BOOL_NULL,
        .optEnum = (CrEnum)PRISMA_ENUM_NULL, .optFloat = PRISMA_FLOAT_NULL }, &r));
    ck_assert_str_eq(scalars(r), "null|null|null|null|null");
    prisma_free(r);
}
END_TEST

/* create.rs::gracefully_fails_when_uniq_violation */
START_TEST(gracefully_fails_when_uniq_violation)
{
    OK(cr_scalar_model_create(db, &(CrScalarModelCreateInput){ .id = "1", .optUnique = "test" }, NULL));
    FAILS(cr_scalar_model_create(db, &(CrScalarModelCreateInput){ .id = "2", .optUnique = "test" }, NULL), "P2002",
          NULL);
    ck_assert_int_eq(rows("CrScalarModel"), 1);
}
END_TEST

/* create.rs::create_with_opt_rel_omitted */
START_TEST(create_with_opt_rel_omitted)
{
    CrScalarModel *r = NULL;
    OK(cr_scalar_model_create(db, &(CrScalarModelCreateInput){ .id = "1" }, &r));
    ck_assert_ptr_null(r->relId);
    prisma_free(r);
}
END_TEST

/* create.rs::create_with_datetime_ident */
START_TEST(create_with_datetime_ident)
{
    CrA *r = NULL;
    OK(cr_a_create(db, &(CrACreateInput){ .timestamp = PRISMA_DATETIME(DT_1999_05_01) }, &r));
    ck_assert_int_eq(r->timestamp, DT_1999_05_01);
    prisma_free(r);
}
END_TEST

/* create.rs mapped_create::mapped_name_with_space_does_not_break_returning */
START_TEST(mapped_name_with_space_does_not_break_returning)
{
    GoodModel *g = NULL;
    OK(good_model_create(db, &(GoodModelCreateInput){ .user_id = PRISMA_INT(1), .txt_space = "test" }, &g));
    ck_assert_int_eq(g->user_id, 1);
    ck_assert_str_eq(g->txt_space, "test");
    prisma_free(g);
    AModel *a = NULL;
    OK(a_model_create(db, &(AModelCreateInput){ .txt_space = "test" }, &a));
    ck_assert_int_eq(a->user_id, 1);
    ck_assert_str_eq(a->txt_space, "test");
    prisma_free(a);
    BModel *b = NULL;
    OK(b_model_create(db, &(BModelCreateInput){ .user_id = PRISMA_INT(1), .txt_space = "test" }, &b));
    ck_assert_int_eq(b->user_id, 1);
    ck_assert_str_eq(b->txt_space, "test");
    prisma_free(b);
    CModel *c = NULL;
    OK(c_model_create(db, &(CModelCreateInput){ .user_id = "one", .txt_space = "test" }, &c));
    ck_assert_str_eq(c->user_id, "one");
    ck_assert_str_eq(c->txt_space, "test");
    prisma_free(c);
}
END_TEST

void create_tests(TCase *tc)
{
    tcase_add_test(tc, create_should_work);
    tcase_add_test(tc, return_item_empty_str);
    tcase_add_test(tc, return_item_explicit_null_attrs);
    tcase_add_test(tc, return_item_implicit_null_attr);
    tcase_add_test(tc, return_item_non_null_attrs_then_explicit_null_attrs);
    tcase_add_test(tc, gracefully_fails_when_uniq_violation);
    tcase_add_test(tc, create_with_opt_rel_omitted);
    tcase_add_test(tc, create_with_datetime_ident);
    tcase_add_test(tc, mapped_name_with_space_does_not_break_returning);
}
