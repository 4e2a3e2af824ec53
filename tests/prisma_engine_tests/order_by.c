/* queries/order_and_pagination/order_by.rs and order_by_nulls.rs
 * (prisma-engines query-engine/connector-test-kit-rs/query-engine-tests/tests/).
 * order_by.rs' OrderTest keeps its name; order_by_nulls.rs' TestModel is
 * NullsModel. */
#include "engine_tests.h"

/* order_by.rs create_test_data */
static void create_test_data(void)
{
    static const struct { int id; const char *a, *b; } rows_[] = { { 1, "A", "A" }, { 2, "A", "B" }, { 3, "B", "C" },
                                                                   { 4, "B", "A" }, { 5, "C", "B" }, { 6, "C", "C" } };
    for (size_t i = 0; i < 6; i++)
        OK(order_test_create(db, &(OrderTestCreateInput){ .id = PRISMA_INT(rows_[i].id),
                                                          .uniqueField = PRISMA_INT(rows_[i].id),
                                                          .nonUniqFieldA = rows_[i].a, .nonUniqFieldB = rows_[i].b },
                             NULL));
}

/* "B,A,unique" triples of findManyOrderTest with these arguments. */
#define FIND(...) find(&(OrderTestFindManyArgs){ __VA_ARGS__ })
static const char *find(const OrderTestFindManyArgs *args)
{
    OrderTestList *l = NULL;
    OK(order_test_find_many(db, args, &l));
    static char buf[512];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->len; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s%s%d", i ? "," : "", l->items[i].nonUniqFieldB,
                                l->items[i].nonUniqFieldA, (int)l->items[i].uniqueField);
    prisma_free(l);
    return buf;
}

#define UNIQUES(...) uniques(&(OrderTestFindManyArgs){ __VA_ARGS__ })
static const char *uniques(const OrderTestFindManyArgs *args)
{
    OrderTestList *l = NULL;
    OK(order_test_find_many(db, args, &l));
    const char *s = INTS(l, OrderTest, uniqueField);
    prisma_free(l);
    return s;
}

#define ORDER(...) .order_by = (const OrderTestOrderByInput[]){ __VA_ARGS__ }, \
    .order_by_len = sizeof((const OrderTestOrderByInput[]){ __VA_ARGS__ }) / sizeof(OrderTestOrderByInput)

/* order_by.rs::unique_asc */
START_TEST(unique_asc)
{
    create_test_data();
    ck_assert_str_eq(UNIQUES(ORDER({ .uniqueField = PRISMA_ASC })), "1,2,3,4,5,6");
}
END_TEST

/* order_by.rs::unique_desc */
START_TEST(unique_desc)
{
    create_test_data();
    ck_assert_str_eq(UNIQUES(ORDER({ .uniqueField = PRISMA_DESC })), "6,5,4,3,2,1");
}
END_TEST

/* order_by.rs::multiple_fields_basic: nonUniqFieldA desc, uniqueField desc. */
START_TEST(multiple_fields_basic)
{
    create_test_data();
    OrderTestList *l = NULL;
    OK(order_test_find_many(db, &(OrderTestFindManyArgs){ ORDER({ .nonUniqFieldA = PRISMA_DESC },
                                                                { .uniqueField = PRISMA_DESC }) }, &l));
    ck_assert_str_eq(STRS(l, OrderTest, nonUniqFieldA), "C,C,B,B,A,A");
    ck_assert_str_eq(INTS(l, OrderTest, uniqueField), "6,5,4,3,2,1");
    prisma_free(l);
}
END_TEST

/* order_by.rs::multiple_fields_ordering: the criteria apply in the order given. */
START_TEST(multiple_fields_ordering)
{
    create_test_data();
    ck_assert_str_eq(FIND(ORDER({ .nonUniqFieldB = PRISMA_ASC }, { .nonUniqFieldA = PRISMA_ASC },
                                { .uniqueField = PRISMA_ASC })),
                     "AA1,AB4,BA2,BC5,CB3,CC6");
}
END_TEST

/* order_by.rs::negative_cursor */
START_TEST(negative_cursor)
{
    create_test_data();
    ck_assert_str_eq(UNIQUES(TAKE(-3), ORDER({ .uniqueField = PRISMA_DESC })), "3,2,1");
}
END_TEST

/* order_by.rs::empty_order_objects: `orderBy: {}`, `[{}]`, `[{}, {}]` order
 * by nothing (the primary key). */
START_TEST(empty_order_objects)
{
    create_test_data();
    ck_assert_str_eq(UNIQUES(ORDER({ 0 })), "1,2,3,4,5,6");
    ck_assert_str_eq(UNIQUES(ORDER({ 0 }, { 0 })), "1,2,3,4,5,6");
}
END_TEST

/* order_by_nulls.rs create_test_data */
static void create_nulls_data(void)
{
    OK(nulls_model_create(db, &(NullsModelCreateInput){ .id = PRISMA_INT(1), .uniq = PRISMA_INT(1), .name = "A",
                                                        .age = PRISMA_INT(1) }, NULL));
    OK(nulls_model_create(db, &(NullsModelCreateInput){ .id = PRISMA_INT(2), .uniq = PRISMA_INT(2), .name = "B" }, NULL));
    OK(nulls_model_create(db, &(NullsModelCreateInput){ .id = PRISMA_INT(3), .uniq = PRISMA_INT(3), .age = PRISMA_INT(2) },
                          NULL));
    OK(nulls_model_create(db, &(NullsModelCreateInput){ .id = PRISMA_INT(4), .uniq = PRISMA_INT(4) }, NULL));
}

/* order_by_nulls.rs::ordering_by_nulls_should_be_optional */
START_TEST(ordering_by_nulls_should_be_optional)
{
    create_nulls_data();
    NullsModelList *l = NULL;
    OK(nulls_model_find_many(db, &(NullsModelFindManyArgs){
                                     .order_by = (const NullsModelOrderByInput[]){ { .id = PRISMA_ASC },
                                                                                   { .name = PRISMA_ASC } },
                                     .order_by_len = 2 }, &l));
    ck_assert_str_eq(STRS(l, NullsModel, name), "A,B,null,null");
    prisma_free(l);
}
END_TEST

void order_by_tests(TCase *tc)
{
    tcase_add_test(tc, unique_asc);
    tcase_add_test(tc, unique_desc);
    tcase_add_test(tc, multiple_fields_basic);
    tcase_add_test(tc, multiple_fields_ordering);
    tcase_add_test(tc, negative_cursor);
    tcase_add_test(tc, empty_order_objects);
    tcase_add_test(tc, ordering_by_nulls_should_be_optional);
}
