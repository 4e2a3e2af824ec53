/* writes/top_level_mutations/default_value.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/). The models of
 * its schemas are DvScalar, DvServiceInt, DvServiceEnum, DvUser and DvNamed
 * here. Prisma leaves SQLite out of enum_field and remapped_enum_field (written
 * before Prisma had enums on SQLite); prismac has them on both backends, so
 * they run on both. */
#include "engine_tests.h"

#define DT_2000 INT64_C(946684800000) /* 2000-01-01T00:00:00.000Z */
#define DT_2001 INT64_C(978307200000) /* 2001-01-01T00:00:00.000Z */

/* default_value.rs::non_list_field */
START_TEST(non_list_field)
{
    DvScalar *r = NULL;
    OK(dv_scalar_create(db, &(DvScalarCreateInput){ .id = PRISMA_INT(1) }, &r));
    ck_assert_str_eq(r->reqString, "default");
    prisma_free(r);
    DvScalarList *l = NULL;
    OK(dv_scalar_find_many(db, NULL, &l));
    ck_assert_str_eq(STRS(l, DvScalar, reqString), "default");
    prisma_free(l);
}
END_TEST

/* default_value.rs::int_field */
START_TEST(int_field)
{
    DvServiceInt *r = NULL;
    OK(dv_service_int_create(db, &(DvServiceIntCreateInput){ .id = PRISMA_INT(1), .name = "issue1820" }, &r));
    ck_assert_str_eq(r->name, "issue1820");
    ck_assert_ptr_nonnull(r->int_);
    ck_assert_int_eq(*r->int_, 1);
    prisma_free(r);
}
END_TEST

/* default_value.rs::enum_field */
START_TEST(enum_field)
{
    DvServiceEnum *r = NULL;
    OK(dv_service_enum_create(db, &(DvServiceEnumCreateInput){ .id = PRISMA_INT(1), .name = "issue1820" }, &r));
    ck_assert_str_eq(r->name, "issue1820");
    ck_assert_int_eq(r->active, IS_ACTIVE_Yes);
    prisma_free(r);
}
END_TEST

/* default_value.rs::updated_at_created_at: given values win over the defaults. */
START_TEST(updated_at_created_at)
{
    DvUser *r = NULL;
    OK(dv_user_create(db, &(DvUserCreateInput){ .id = PRISMA_INT(1), .name = "Just Bob",
                                                .createdAt = PRISMA_DATETIME(DT_2000),
                                                .updatedAt = PRISMA_DATETIME(DT_2001) }, &r));
    ck_assert_int_eq(r->createdAt, DT_2000);
    ck_assert_int_eq(r->updatedAt, DT_2001);
    prisma_free(r);
}
END_TEST

/* default_value.rs::remapped_enum_field: an enum default whose values are
 * mapped (@map("Peter Parker")), as a unique, in a filter and in the order. */
START_TEST(remapped_enum_field)
{
    DvNamed *r = NULL;
    OK(dv_named_create(db, &(DvNamedCreateInput){ .id = PRISMA_INT(1), .age = PRISMA_INT(21) }, &r));
    ck_assert_int_eq(r->name, NAMES_Spiderman);
    prisma_free(r);
    OK(dv_named_create(db, &(DvNamedCreateInput){ .id = PRISMA_INT(2), .name = NAMES_Superman, .age = PRISMA_INT(32) },
                       &r));
    ck_assert_int_eq(r->name, NAMES_Superman);
    prisma_free(r);
    OK(dv_named_find_unique(db, &(DvNamedWhereUniqueInput){ .name = NAMES_Superman }, &r));
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->name, NAMES_Superman);
    ck_assert_int_eq(r->age, 32);
    prisma_free(r);
    DvNamedList *l = NULL;
    OK(dv_named_find_many(db, &(DvNamedFindManyArgs){
        .where = &(DvNamedWhereInput){ .name = { .in = PRISMA_ENUMS(NAMES_Spiderman, NAMES_Superman) } },
        .order_by = &(DvNamedOrderByInput){ .age = PRISMA_ASC }, .order_by_len = 1 }, &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_int_eq(l->items[0].name, NAMES_Spiderman);
    ck_assert_int_eq(l->items[0].age, 21);
    ck_assert_int_eq(l->items[1].name, NAMES_Superman);
    ck_assert_int_eq(l->items[1].age, 32);
    prisma_free(l);
    /* The database holds the mapped names. */
    prisma_raw_rows *raw = NULL;
    OK(prisma_query_raw(db, testdb_sql("SELECT \"name\" FROM \"DvNamed\" ORDER BY \"id\""), NULL, 0, &raw));
    ck_assert_uint_eq(raw->n_rows, 2);
    ck_assert_str_eq(raw->values[0].s, "Peter Parker");
    ck_assert_str_eq(raw->values[1].s, "Clark Kent");
    prisma_free(raw);
}
END_TEST

void default_value_tests(TCase *tc)
{
    tcase_add_test(tc, non_list_field);
    tcase_add_test(tc, int_field);
    tcase_add_test(tc, enum_field);
    tcase_add_test(tc, updated_at_created_at);
    tcase_add_test(tc, remapped_enum_field);
}
