/* queries/filters/filter_unwrap.rs (prisma-engines query-engine/
 * connector-test-kit-rs/query-engine-tests/tests/): an `in` filter inside a
 * nested deleteMany. Item and SubItem are FuItem and FuSubItem here. */
#include "engine_tests.h"

/* filter_unwrap.rs::many_filter. Prisma asserts that both mutations succeed;
 * the selections it asks for (name, subItems { name }) are checked too. */
START_TEST(many_filter)
{
    FuItem *item = NULL;
    OK(fu_item_create_include(db, &(FuItemCreateInput){
        .name = "Top",
        .subItems = { .create = (const FuSubItemCreateInput[]){ { .name = "TEST1" }, { .name = "TEST2" } },
                      .create_len = 2 } },
        &(FuItemInclude){ .subItems = true }, &item));
    ck_assert_str_eq(item->name, "Top");
    ck_assert_str_eq(STRS(item->subItems, FuSubItem, name), "TEST1,TEST2");
    prisma_free(item);
    item = NULL;
    OK(fu_item_update_include(db, &(FuItemWhereUniqueInput){ .name = "Top" }, &(FuItemUpdateInput){
        .subItems = { .delete_many = &(FuSubItemWhereInput){ .name = { .in = PRISMA_STRINGS("TEST1", "TEST2") } },
                      .delete_many_len = 1 } },
        &(FuItemInclude){ .subItems = true }, &item));
    ck_assert_str_eq(item->name, "Top");
    ck_assert_uint_eq(item->subItems->len, 0);
    prisma_free(item);
    ck_assert_int_eq(rows("FuSubItem"), 0);
}
END_TEST

void filter_unwrap_tests(TCase *tc)
{
    tcase_add_test(tc, many_filter);
}
