/* queries/order_and_pagination/pagination.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/): cursor, take
 * and skip on findMany, alone and together. The Prisma schema's TestModel is
 * PageTestModel here; string_combination(_unique) are Combo(Unique). */
#include "engine_tests.h"

/* create_test_data: ids 1..10, field "Field<i - 1 + i % 2>", uniqueField "Unique<i>". */
static void create_test_data(void)
{
    for (int i = 1; i <= 10; i++) {
        char field[16], uniq[16];
        snprintf(field, sizeof field, "Field%d", i - 1 + (i % 2));
        snprintf(uniq, sizeof uniq, "Unique%d", i);
        OK(page_test_model_create(db, &(PageTestModelCreateInput){ .id = PRISMA_INT(i), .field = field, .uniqueField = uniq },
                                  NULL));
    }
}

/* The ids findManyTestModel returns for these arguments. */
#define IDS(...) ids_of(&(PageTestModelFindManyArgs){ __VA_ARGS__ })
static const char *ids_of(const PageTestModelFindManyArgs *args)
{
    PageTestModelList *l = NULL;
    OK(page_test_model_find_many(db, args, &l));
    const char *s = INTS(l, PageTestModel, id);
    prisma_free(l);
    return s;
}

/* "id:field" pairs, for the tests that select both. */
#define ID_FIELDS(...) id_fields_of(&(PageTestModelFindManyArgs){ __VA_ARGS__ })
static const char *id_fields_of(const PageTestModelFindManyArgs *args)
{
    PageTestModelList *l = NULL;
    OK(page_test_model_find_many(db, args, &l));
    static char buf[1024];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->len; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%d:%s", i ? "," : "", (int)l->items[i].id,
                                l->items[i].field);
    prisma_free(l);
    return buf;
}

#define CURSOR_ID(x) (&(PageTestModelWhereUniqueInput){ .id = PRISMA_INT(x) })
#define ORDER(...) .order_by = (const PageTestModelOrderByInput[]){ __VA_ARGS__ }, \
    .order_by_len = sizeof((const PageTestModelOrderByInput[]){ __VA_ARGS__ }) / sizeof(PageTestModelOrderByInput)
#define ID_ASC ORDER({ .id = PRISMA_ASC })
#define ID_DESC ORDER({ .id = PRISMA_DESC })

/* ---- cursor only ---- */

/* pagination.rs::cursor_on_id */
START_TEST(cursor_on_id)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(5)), "5,6,7,8,9,10");
}
END_TEST

/* pagination.rs::cursor_id_ordering */
START_TEST(cursor_id_ordering)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(5), ID_DESC), "5,4,3,2,1");
}
END_TEST

/* pagination.rs::cursor_id_order_desc_non_uniq: ties on `field` keep Prisma's
 * implicit order by the primary key. */
START_TEST(cursor_id_order_desc_non_uniq)
{
    create_test_data();
    ck_assert_str_eq(ID_FIELDS(.cursor = CURSOR_ID(5), ORDER({ .field = PRISMA_DESC })),
                     "5:Field5,6:Field5,3:Field3,4:Field3,1:Field1,2:Field1");
}
END_TEST

/* pagination.rs::cursor_id_order_asc_non_uniq */
START_TEST(cursor_id_order_asc_non_uniq)
{
    create_test_data();
    ck_assert_str_eq(ID_FIELDS(.cursor = CURSOR_ID(5), ORDER({ .field = PRISMA_ASC })),
                     "5:Field5,6:Field5,7:Field7,8:Field7,9:Field9,10:Field9");
}
END_TEST

/* pagination.rs::cursor_id_end_of_records */
START_TEST(cursor_id_end_of_records)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(10)), "10");
}
END_TEST

/* pagination.rs::cursor_id_first_record_reverse_order */
START_TEST(cursor_id_first_record_reverse_order)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(1), ID_DESC), "1");
}
END_TEST

/* pagination.rs::cursor_id_non_existing_cursor */
START_TEST(cursor_id_non_existing_cursor)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(999)), "");
}
END_TEST

/* pagination.rs::cursor_on_unique */
START_TEST(cursor_on_unique)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = &(PageTestModelWhereUniqueInput){ .uniqueField = "Unique5" }), "5,6,7,8,9,10");
}
END_TEST

/* ---- take only ---- */

/* pagination.rs::take_1 */
START_TEST(take_1)
{
    create_test_data();
    ck_assert_str_eq(IDS(TAKE(1)), "1");
}
END_TEST

/* pagination.rs::take_1_reverse_order */
START_TEST(take_1_reverse_order)
{
    create_test_data();
    ck_assert_str_eq(IDS(TAKE(1), ID_DESC), "10");
}
END_TEST

/* pagination.rs::take_0 */
START_TEST(take_0)
{
    create_test_data();
    ck_assert_str_eq(IDS(TAKE(0)), "");
}
END_TEST

/* pagination.rs::take_minus_1_without_cursor */
START_TEST(take_minus_1_without_cursor)
{
    create_test_data();
    ck_assert_str_eq(IDS(TAKE(-1), ID_ASC), "10");
}
END_TEST

/* ---- skip only ---- */

/* pagination.rs::skip_returns_all_after_offset */
START_TEST(skip_returns_all_after_offset)
{
    create_test_data();
    ck_assert_str_eq(IDS(.skip = 5, ID_ASC), "6,7,8,9,10");
}
END_TEST

/* pagination.rs::skip_reversed_order */
START_TEST(skip_reversed_order)
{
    create_test_data();
    ck_assert_str_eq(IDS(.skip = 5, ID_DESC), "5,4,3,2,1");
}
END_TEST

/* pagination.rs::skipping_beyond_all_records */
START_TEST(skipping_beyond_all_records)
{
    create_test_data();
    ck_assert_str_eq(IDS(.skip = 999), "");
}
END_TEST

/* pagination.rs::skip_0_records */
START_TEST(skip_0_records)
{
    create_test_data();
    ck_assert_str_eq(IDS(.skip = 0, ID_ASC), "1,2,3,4,5,6,7,8,9,10");
}
END_TEST

/* ---- cursor + take ---- */

/* pagination.rs::cursor_take_2 */
START_TEST(cursor_take_2)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(5), TAKE(2)), "5,6");
}
END_TEST

/* pagination.rs::cursor_take_minus_2 */
START_TEST(cursor_take_minus_2)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(5), TAKE(-2), ID_ASC), "4,5");
}
END_TEST

/* pagination.rs::cursor_last_record_take_2 */
START_TEST(cursor_last_record_take_2)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(10), TAKE(2)), "10");
}
END_TEST

/* pagination.rs::cursor_first_record_take_minus_2 */
START_TEST(cursor_first_record_take_minus_2)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(1), TAKE(-2)), "1");
}
END_TEST

/* pagination.rs::cursor_take_0 */
START_TEST(cursor_take_0)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(1), TAKE(0)), "");
}
END_TEST

/* pagination.rs::cursor_take_2_reverse_order */
START_TEST(cursor_take_2_reverse_order)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(5), TAKE(2), ID_DESC), "5,4");
}
END_TEST

/* pagination.rs::cursor_take_minus_2_reverse_order */
START_TEST(cursor_take_minus_2_reverse_order)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(5), TAKE(-2), ID_DESC), "6,5");
}
END_TEST

/* ---- cursor + take + skip ---- */

/* pagination.rs::cursor_take_2_skip_2 */
START_TEST(cursor_take_2_skip_2)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(5), TAKE(2), .skip = 2), "7,8");
}
END_TEST

/* pagination.rs::cursor_take_minus_2_skip_2 */
START_TEST(cursor_take_minus_2_skip_2)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(5), TAKE(-2), .skip = 2, ID_ASC), "2,3");
}
END_TEST

/* pagination.rs::skip_to_end_with_take */
START_TEST(skip_to_end_with_take)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(9), TAKE(2), .skip = 2), "");
}
END_TEST

/* pagination.rs::cursor_take_0_skip_1 */
START_TEST(cursor_take_0_skip_1)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(1), .skip = 1, TAKE(0)), "");
}
END_TEST

/* pagination.rs::cursor_take_2_skip_2_reverse_order */
START_TEST(cursor_take_2_skip_2_reverse_order)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(5), TAKE(2), .skip = 2, ID_DESC), "3,2");
}
END_TEST

/* pagination.rs::cursor_take_minus_2_skip_2_rev_order */
START_TEST(cursor_take_minus_2_skip_2_rev_order)
{
    create_test_data();
    ck_assert_str_eq(IDS(.cursor = CURSOR_ID(5), TAKE(-2), .skip = 2, ID_DESC), "8,7");
}
END_TEST

/* ---- cursor + take + skip + several orderBy ---- */

#define ROW(i, a, b, c, d) { .id = PRISMA_INT(i), .fieldA = a, .fieldB = b, .fieldC = c, .fieldD = d }

/* pagination.rs::cursor_take_skip_multiple_stable_order */
START_TEST(cursor_take_skip_multiple_stable_order)
{
    const ComboUniqueCreateInput data[] = { ROW(1, "A", "B", "C", "D"), ROW(2, "A", "A", "A", "B"),
                                                   ROW(3, "B", "B", "B", "B"), ROW(4, "B", "B", "B", "C"),
                                                   ROW(5, "C", "C", "B", "A"), ROW(6, "C", "C", "D", "C") };
    for (size_t i = 0; i < 6; i++)
        OK(combo_unique_create(db, &data[i], NULL));
    static const ComboUniqueOrderByInput desc_asc_asc_desc[] = { { .fieldA = PRISMA_DESC }, { .fieldB = PRISMA_ASC },
                                                                 { .fieldC = PRISMA_ASC }, { .fieldD = PRISMA_DESC } };
    static const ComboUniqueOrderByInput asc_desc_desc_asc[] = { { .fieldA = PRISMA_ASC }, { .fieldB = PRISMA_DESC },
                                                                 { .fieldC = PRISMA_DESC }, { .fieldD = PRISMA_ASC } };
    const ComboUniqueWhereUniqueInput cursor = { .id = PRISMA_INT(4) };
    ComboUniqueList *l = NULL;
    OK(combo_unique_find_many(db, &(ComboUniqueFindManyArgs){ .cursor = &cursor, TAKE(2), .skip = 1,
                                                              .order_by = desc_asc_asc_desc, .order_by_len = 4 }, &l));
    ck_assert_str_eq(INTS(l, ComboUnique, id), "3,2");
    prisma_free(l);
    OK(combo_unique_find_many(db, &(ComboUniqueFindManyArgs){ .cursor = &cursor, TAKE(2), .skip = 1,
                                                              .order_by = asc_desc_desc_asc, .order_by_len = 4 }, &l));
    ck_assert_str_eq(INTS(l, ComboUnique, id), "6,5");
    prisma_free(l);
    OK(combo_unique_find_many(db, &(ComboUniqueFindManyArgs){ .cursor = &cursor, TAKE(-2), .skip = 1,
                                                              .order_by = desc_asc_asc_desc, .order_by_len = 4 }, &l));
    ck_assert_str_eq(INTS(l, ComboUnique, id), "5,6");
    prisma_free(l);
}
END_TEST

/* Whether `got` is one of the NULL-terminated `options` (Prisma's assert_query_many). */
static bool one_of(const char *got, const char *const *options)
{
    for (; *options; options++)
        if (strcmp(got, *options) == 0)
            return true;
    return false;
}

/* pagination.rs::cursor_take_skip_multiple_unstable_order: the order of ties
 * is the database's, so Prisma accepts any of several answers. */
START_TEST(cursor_take_skip_multiple_unstable_order)
{
    const ComboCreateInput data[] = { ROW(1, "A", "B", "C", "D"), ROW(2, "A", "A", "A", "B"),
                                             ROW(3, "B", "B", "B", "B"), ROW(4, "B", "B", "B", "B"),
                                             ROW(5, "B", "B", "B", "B"), ROW(6, "C", "C", "D", "C") };
    for (size_t i = 0; i < 6; i++)
        OK(combo_create(db, &data[i], NULL));
    static const ComboOrderByInput desc_asc_asc_desc[] = { { .fieldA = PRISMA_DESC }, { .fieldB = PRISMA_ASC },
                                                           { .fieldC = PRISMA_ASC }, { .fieldD = PRISMA_DESC } };
    static const ComboOrderByInput asc_desc_desc_asc[] = { { .fieldA = PRISMA_ASC }, { .fieldB = PRISMA_DESC },
                                                           { .fieldC = PRISMA_DESC }, { .fieldD = PRISMA_ASC } };
    const ComboWhereUniqueInput cursor = { .id = PRISMA_INT(4) };
    ComboList *l = NULL;
    OK(combo_find_many(db, &(ComboFindManyArgs){ .cursor = &cursor, TAKE(3), .skip = 1,
                                                 .order_by = desc_asc_asc_desc, .order_by_len = 4 }, &l));
    const char *got = INTS(l, Combo, id);
    ck_assert_msg(one_of(got, (const char *const[]){ "3,5,2", "5,3,2", "3,2,1", "5,2,1", "2,1", NULL }), "got %s", got);
    prisma_free(l);
    OK(combo_find_many(db, &(ComboFindManyArgs){ .cursor = &cursor, TAKE(3), .skip = 1,
                                                 .order_by = asc_desc_desc_asc, .order_by_len = 4 }, &l));
    got = INTS(l, Combo, id);
    ck_assert_msg(one_of(got, (const char *const[]){ "3,5,6", "5,3,6", "3,6", "5,6", "6", NULL }), "got %s", got);
    prisma_free(l);
    OK(combo_find_many(db, &(ComboFindManyArgs){ .cursor = &cursor, TAKE(-3), .skip = 1,
                                                 .order_by = desc_asc_asc_desc, .order_by_len = 4 }, &l));
    got = INTS(l, Combo, id);
    ck_assert_msg(one_of(got, (const char *const[]){ "6,5,3", "6,3,5", "6,3", "6,5", "6", NULL }), "got %s", got);
    prisma_free(l);
}
END_TEST

void pagination_tests(TCase *tc)
{
    tcase_add_test(tc, cursor_on_id);
    tcase_add_test(tc, cursor_id_ordering);
    tcase_add_test(tc, cursor_id_order_desc_non_uniq);
    tcase_add_test(tc, cursor_id_order_asc_non_uniq);
    tcase_add_test(tc, cursor_id_end_of_records);
    tcase_add_test(tc, cursor_id_first_record_reverse_order);
    tcase_add_test(tc, cursor_id_non_existing_cursor);
    tcase_add_test(tc, cursor_on_unique);
    tcase_add_test(tc, take_1);
    tcase_add_test(tc, take_1_reverse_order);
    tcase_add_test(tc, take_0);
    tcase_add_test(tc, take_minus_1_without_cursor);
    tcase_add_test(tc, skip_returns_all_after_offset);
    tcase_add_test(tc, skip_reversed_order);
    tcase_add_test(tc, skipping_beyond_all_records);
    tcase_add_test(tc, skip_0_records);
    tcase_add_test(tc, cursor_take_2);
    tcase_add_test(tc, cursor_take_minus_2);
    tcase_add_test(tc, cursor_last_record_take_2);
    tcase_add_test(tc, cursor_first_record_take_minus_2);
    tcase_add_test(tc, cursor_take_0);
    tcase_add_test(tc, cursor_take_2_reverse_order);
    tcase_add_test(tc, cursor_take_minus_2_reverse_order);
    tcase_add_test(tc, cursor_take_2_skip_2);
    tcase_add_test(tc, cursor_take_minus_2_skip_2);
    tcase_add_test(tc, skip_to_end_with_take);
    tcase_add_test(tc, cursor_take_0_skip_1);
    tcase_add_test(tc, cursor_take_2_skip_2_reverse_order);
    tcase_add_test(tc, cursor_take_minus_2_skip_2_rev_order);
    tcase_add_test(tc, cursor_take_skip_multiple_stable_order);
    tcase_add_test(tc, cursor_take_skip_multiple_unstable_order);
}
