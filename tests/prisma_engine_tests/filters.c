/* queries/filters/filters.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/): scalar
 * filters, AND / OR / NOT and null. The schema's User and Vehicle are
 * FilterUser and FilterVehicle here.
 *
 * Prisma's snapshots list the rows in the order they were created; findMany
 * without orderBy promises no order in SQL, so these queries order by
 * `unique`, which follows the creation order. */
#include "engine_tests.h"

/* filters.rs test_data */
static void test_data(void)
{
    OK(filter_user_create(db, &(FilterUserCreateInput){
        .name = "Paul", .unique = PRISMA_INT(1),
        .ride = { .create = &(FilterVehicleCreateInput){ .brand = "Porsche", .unique = PRISMA_INT(1),
                                                          .parked = PRISMA_BOOL(true) } } }, NULL));
    OK(filter_user_create(db, &(FilterUserCreateInput){
        .name = "Bernd", .unique = PRISMA_INT(2),
        .ride = { .create = &(FilterVehicleCreateInput){ .brand = "BMW", .unique = PRISMA_INT(2),
                                                          .parked = PRISMA_BOOL(false) } } }, NULL));
    OK(filter_user_create(db, &(FilterUserCreateInput){
        .name = "Michael", .unique = PRISMA_INT(3),
        .ride = { .create = &(FilterVehicleCreateInput){ .brand = "Mercedes", .unique = PRISMA_INT(3),
                                                          .parked = PRISMA_BOOL(true) } } }, NULL));
    OK(filter_user_create(db, &(FilterUserCreateInput){ .name = "John", .unique = PRISMA_INT(4) }, NULL));
    OK(parking_lot_create(db, &(ParkingLotCreateInput){ .area = "PrenzlBerg", .unique = PRISMA_INT(1),
                                                        .capacity = PRISMA_INT(12), .size = PRISMA_FLOAT(300.5) }, NULL));
    OK(parking_lot_create(db, &(ParkingLotCreateInput){ .area = "Moabit", .unique = PRISMA_INT(2),
                                                        .capacity = PRISMA_INT(34), .size = PRISMA_FLOAT(100.5) }, NULL));
}

/* findManyUser(where: ...) { unique }: USERS(.name = { ... }). */
#define USERS(...) user_uniques(&(FilterUserWhereInput){ __VA_ARGS__ })
static const char *user_uniques(const FilterUserWhereInput *where)
{
    FilterUserList *l = NULL;
    OK(filter_user_find_many(db, &(FilterUserFindManyArgs){
        .where = where, .order_by = &(FilterUserOrderByInput){ .unique = PRISMA_ASC }, .order_by_len = 1 }, &l));
    const char *s = INTS(l, FilterUser, unique);
    prisma_free(l);
    return s;
}

#define ALL_USERS() user_uniques(NULL)

#define MANY(T, ...) (const T[]){ __VA_ARGS__ }, sizeof((const T[]){ __VA_ARGS__ }) / sizeof(T)
#define AND_(...) .AND = MANY(FilterUserWhereInput, __VA_ARGS__)
#define OR_(...) .OR = MANY(FilterUserWhereInput, __VA_ARGS__)
#define NOT_(...) .NOT = MANY(FilterUserWhereInput, __VA_ARGS__)

/* filters.rs::no_filter */
START_TEST(no_filter)
{
    test_data();
    ck_assert_str_eq(ALL_USERS(), "1,2,3,4");
    FilterVehicleList *v = NULL;
    OK(filter_vehicle_find_many(db, &(FilterVehicleFindManyArgs){
        .order_by = &(FilterVehicleOrderByInput){ .unique = PRISMA_ASC }, .order_by_len = 1 }, &v));
    ck_assert_str_eq(INTS(v, FilterVehicle, unique), "1,2,3");
    prisma_free(v);
    ParkingLotList *p = NULL;
    OK(parking_lot_find_many(db, &(ParkingLotFindManyArgs){
        .order_by = &(ParkingLotOrderByInput){ .unique = PRISMA_ASC }, .order_by_len = 1 }, &p));
    ck_assert_str_eq(INTS(p, ParkingLot, unique), "1,2");
    prisma_free(p);
}
END_TEST

/* filters.rs::simple: name: { equals: "John" } */
START_TEST(simple)
{
    test_data();
    ck_assert_str_eq(USERS(.name = { .equals = "John" }), "4");
}
END_TEST

/* filters.rs::inverted_simple: name: { not: { equals: "John" } }; and
 * filters.rs::implicit_not_equals: name: { not: "John" } (one C spelling). */
START_TEST(inverted_simple)
{
    test_data();
    ck_assert_str_eq(USERS(.name = { .not_ = "John" }), "1,2,3");
}
END_TEST

/* filters.rs::implicit_equals: name: "John" (the C API has one spelling, equals) */
START_TEST(implicit_equals)
{
    test_data();
    ck_assert_str_eq(USERS(.name = { .equals = "John" }), "4");
}
END_TEST

/* filters.rs::implicit_equals_null: name: null */
START_TEST(implicit_equals_null)
{
    test_data();
    ck_assert_str_eq(USERS(.name = { .is_null = true }), "");
}
END_TEST

/* filters.rs::in_list */
START_TEST(in_list)
{
    test_data();
    ck_assert_str_eq(USERS(.name = { .in = PRISMA_STRINGS("Bernd", "Paul") }), "1,2");
}
END_TEST

/* filters.rs::not_in_list */
START_TEST(not_in_list)
{
    test_data();
    ck_assert_str_eq(USERS(.name = { .not_in = PRISMA_STRINGS("Bernd", "Paul") }), "3,4");
}
END_TEST

/* filters.rs::and */
START_TEST(and)
{
    test_data();
    ck_assert_str_eq(USERS(AND_({ .unique = { .gt = PRISMA_INT(2) } }, { .name = { .starts_with = "P" } })), "");
}
END_TEST

/* filters.rs::empty_and: AND: [] is no condition. */
START_TEST(empty_and)
{
    test_data();
    ck_assert_str_eq(USERS(.AND = NONE_OF(FilterUserWhereInput), .AND_len = 0), "1,2,3,4");
}
END_TEST

/* filters.rs::or */
START_TEST(or)
{
    test_data();
    ck_assert_str_eq(USERS(OR_({ .unique = { .gt = PRISMA_INT(2) } }, { .name = { .starts_with = "P" } })), "1,3,4");
}
END_TEST

/* filters.rs::empty_or: OR: [] matches nothing. */
START_TEST(empty_or)
{
    test_data();
    ck_assert_str_eq(USERS(.OR = NONE_OF(FilterUserWhereInput), .OR_len = 0), "");
}
END_TEST

/* filters.rs::empty_not: NOT: [] is no condition. */
START_TEST(empty_not)
{
    test_data();
    ck_assert_str_eq(USERS(.NOT = NONE_OF(FilterUserWhereInput), .NOT_len = 0), "1,2,3,4");
}
END_TEST

/* filters.rs::not: NOT: { name: { startsWith: "P" } } */
START_TEST(not)
{
    test_data();
    ck_assert_str_eq(USERS(NOT_({ .name = { .starts_with = "P" } })), "2,3,4");
}
END_TEST

/* filters.rs::not_not */
START_TEST(not_not)
{
    test_data();
    ck_assert_str_eq(USERS(NOT_({ NOT_({ .name = { .starts_with = "P" } }) })), "1");
}
END_TEST

/* filters.rs::not_list: NOT: [a, b] is NOT a AND NOT b. */
START_TEST(not_list)
{
    test_data();
    ck_assert_str_eq(USERS(NOT_({ .name = { .contains = "e" } }, { .unique = { .equals = PRISMA_INT(1) } })), "4");
}
END_TEST

/* filters.rs::starts_with */
START_TEST(starts_with)
{
    test_data();
    ck_assert_str_eq(USERS(.name = { .starts_with = "P" }), "1");
}
END_TEST

/* filters.rs::contains */
START_TEST(contains)
{
    test_data();
    ck_assert_str_eq(USERS(.name = { .contains = "n" }), "2,4");
}
END_TEST

/* filters.rs::greater_than */
START_TEST(greater_than)
{
    test_data();
    ParkingLotList *p = NULL;
    OK(parking_lot_find_many(db, &(ParkingLotFindManyArgs){
        .where = &(ParkingLotWhereInput){ .size = { .gt = PRISMA_FLOAT(100.500000000001) } } }, &p));
    ck_assert_str_eq(INTS(p, ParkingLot, unique), "1");
    prisma_free(p);
}
END_TEST

/* filters.rs::inverted_null: name: { not: null } */
START_TEST(inverted_null)
{
    test_data();
    ck_assert_str_eq(USERS(.name = { .is_not_null = true }), "1,2,3,4");
}
END_TEST

/* filters.rs::inverted_null_required: unique: { not: null } on a required
 * field is refused before the database: P2009, "A value is required but not set.". */
START_TEST(inverted_null_required)
{
    test_data();
    FilterUserList *l = NULL;
    FAILS(filter_user_find_many(db, &(FilterUserFindManyArgs){
              .where = &(FilterUserWhereInput){ .unique = { .not_ = PRISMA_INT_NULL } } }, &l),
          "P2009", "A value is required but not set.");
    ck_assert_ptr_null(l);
}
END_TEST

void filters_tests(TCase *tc)
{
    tcase_add_test(tc, no_filter);
    tcase_add_test(tc, simple);
    tcase_add_test(tc, inverted_simple);
    tcase_add_test(tc, implicit_equals);
    tcase_add_test(tc, implicit_equals_null);
    tcase_add_test(tc, in_list);
    tcase_add_test(tc, not_in_list);
    tcase_add_test(tc, and);
    tcase_add_test(tc, empty_and);
    tcase_add_test(tc, or);
    tcase_add_test(tc, empty_or);
    tcase_add_test(tc, empty_not);
    tcase_add_test(tc, not);
    tcase_add_test(tc, not_not);
    tcase_add_test(tc, not_list);
    tcase_add_test(tc, starts_with);
    tcase_add_test(tc, contains);
    tcase_add_test(tc, greater_than);
    tcase_add_test(tc, inverted_null);
    tcase_add_test(tc, inverted_null_required);
}
