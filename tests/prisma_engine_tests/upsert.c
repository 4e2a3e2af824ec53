/* writes/top_level_mutations/upsert.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/). Its Todo is
 * UpsTodo here, schema_number's TestModel is UpsNumber. */
#include "engine_tests.h"

static int64_t count_todo(void)
{
    UpsTodoList *l = NULL;
    OK(ups_todo_find_many(db, NULL, &l));
    int64_t n = (int64_t)l->len;
    prisma_free(l);
    return n;
}

#define TODO_ID(x) (&(UpsTodoWhereUniqueInput){ .id = PRISMA_INT(x) })

static void create_todo(const char *title, const char *alias)
{
    OK(ups_todo_create(db, &(UpsTodoCreateInput){ .id = PRISMA_INT(1), .title = title, .alias = alias }, NULL));
}

/* upsert.rs::item_should_be_upserted */
START_TEST(item_should_be_upserted)
{
    ck_assert_int_eq(count_todo(), 0);
    UpsTodo *t = NULL;
    OK(ups_todo_upsert(db, TODO_ID(1), &(UpsTodoCreateInput){ .id = PRISMA_INT(1), .title = "new title", .alias = "todo1" },
                       &(UpsTodoUpdateInput){ .title = "updated title" }, &t));
    ck_assert_int_eq(t->id, 1);
    ck_assert_str_eq(t->title, "new title");
    prisma_free(t);
    ck_assert_int_eq(count_todo(), 1);
}
END_TEST

/* upsert.rs::create_with_many_fields_of_diff_types */
START_TEST(create_with_many_fields_of_diff_types)
{
    MultipleFields *r = NULL;
    OK(multiple_fields_upsert(db, &(MultipleFieldsWhereUniqueInput){ .id = PRISMA_INT(1) },
                              &(MultipleFieldsCreateInput){ .id = PRISMA_INT(1), .reqString = "new title",
                                                            .reqInt = PRISMA_INT(1), .reqFloat = PRISMA_FLOAT(1.22),
                                                            .reqBoolean = PRISMA_BOOL(true) },
                              &(MultipleFieldsUpdateInput){ .reqString = "title", .reqInt = { .set = PRISMA_INT(2) },
                                                            .reqFloat = { .set = PRISMA_FLOAT(5.223423423423) },
                                                            .reqBoolean = PRISMA_BOOL(false) },
                              &r));
    ck_assert_int_eq(r->id, 1);
    ck_assert_str_eq(r->reqString, "new title");
    ck_assert_int_eq(r->reqInt, 1);
    ck_assert(r->reqFloat == 1.22);
    ck_assert(r->reqBoolean);
    prisma_free(r);
}
END_TEST

/* upsert.rs::create_if_not_exist_with_default_val */
START_TEST(create_if_not_exist_with_default_val)
{
    WithDefaultValue *r = NULL;
    OK(with_default_value_upsert(db, &(WithDefaultValueWhereUniqueInput){ .id = PRISMA_INT(1) },
                                 &(WithDefaultValueCreateInput){ .id = PRISMA_INT(1), .title = "new title" },
                                 &(WithDefaultValueUpdateInput){ .title = "updated title" }, &r));
    ck_assert_str_eq(r->title, "new title");
    ck_assert_str_eq(r->reqString, "defaultValue");
    prisma_free(r);
}
END_TEST

/* upsert.rs::no_create_required_val_null: reqString: null in create is
 * refused (P2009) even though the field has a default. */
START_TEST(no_create_required_val_null)
{
    FAILS(with_default_value_upsert(db, &(WithDefaultValueWhereUniqueInput){ .id = PRISMA_INT(1337) },
                                    &(WithDefaultValueCreateInput){ .id = PRISMA_INT(1), .reqString = PRISMA_NULL,
                                                                    .title = "new title" },
                                    &(WithDefaultValueUpdateInput){ .title = "updated title" }, NULL),
          "P2009", "reqString`: A value is required but not set.");
    ck_assert_int_eq(rows("WithDefaultValue"), 0);
}
END_TEST

/* upsert.rs::update_if_already_exists; and
 * upsert.rs::update_shorthand_already_exists (title: "updated title" and
 * title: { set: ... } are one C spelling). */
START_TEST(update_if_already_exists)
{
    create_todo("new title1", "todo1");
    ck_assert_int_eq(count_todo(), 1);
    UpsTodo *t = NULL;
    OK(ups_todo_upsert(db, TODO_ID(1), &(UpsTodoCreateInput){ .id = PRISMA_INT(1), .title = "irrelevant",
                                                              .alias = "irrelevant" },
                       &(UpsTodoUpdateInput){ .title = "updated title" }, &t));
    ck_assert_int_eq(t->id, 1);
    ck_assert_str_eq(t->title, "updated title");
    prisma_free(t);
    ck_assert_int_eq(count_todo(), 1);
}
END_TEST

/* upsert.rs::should_update_if_uniq_already_exists */
START_TEST(should_update_if_uniq_already_exists)
{
    create_todo("new title1", "todo1");
    ck_assert_int_eq(count_todo(), 1);
    UpsTodo *t = NULL;
    OK(ups_todo_upsert(db, &(UpsTodoWhereUniqueInput){ .alias = "todo1" },
                       &(UpsTodoCreateInput){ .id = PRISMA_INT(1), .title = "irrelevant", .alias = "irrelevant" },
                       &(UpsTodoUpdateInput){ .title = "updated title" }, &t));
    ck_assert_int_eq(t->id, 1);
    ck_assert_str_eq(t->title, "updated title");
    prisma_free(t);
    ck_assert_int_eq(count_todo(), 1);
}
END_TEST

static const char *title_of_1(void)
{
    UpsTodo *t = NULL;
    OK(ups_todo_find_unique(db, TODO_ID(1), &t));
    ck_assert_ptr_nonnull(t);
    static char buf[64];
    snprintf(buf, sizeof buf, "%s", t->title);
    prisma_free(t);
    return buf;
}

/* upsert.rs::only_update_if_uniq_field_change */
START_TEST(only_update_if_uniq_field_change)
{
    create_todo("title", "todo1");
    ck_assert_int_eq(count_todo(), 1);
    UpsTodo *t = NULL;
    OK(ups_todo_upsert(db, &(UpsTodoWhereUniqueInput){ .alias = "todo1" },
                       &(UpsTodoCreateInput){ .id = PRISMA_INT(1), .title = "title of new node",
                                              .alias = "alias-of-new-node" },
                       &(UpsTodoUpdateInput){ .title = "updated title", .alias = "todo1-new" }, &t));
    ck_assert_int_eq(t->id, 1);
    ck_assert_str_eq(t->title, "updated title");
    prisma_free(t);
    ck_assert_int_eq(count_todo(), 1);
    ck_assert_str_eq(title_of_1(), "updated title");
}
END_TEST

/* upsert.rs::only_update_if_update_changes_nothing */
START_TEST(only_update_if_update_changes_nothing)
{
    create_todo("title", "todo1");
    ck_assert_int_eq(count_todo(), 1);
    UpsTodo *t = NULL;
    OK(ups_todo_upsert(db, &(UpsTodoWhereUniqueInput){ .alias = "todo1" },
                       &(UpsTodoCreateInput){ .id = PRISMA_INT(1), .title = "title of new node",
                                              .alias = "alias-of-new-node" },
                       &(UpsTodoUpdateInput){ .title = "title", .alias = "todo1" }, &t));
    ck_assert_int_eq(t->id, 1);
    ck_assert_str_eq(t->title, "title");
    prisma_free(t);
    ck_assert_int_eq(count_todo(), 1);
    ck_assert_str_eq(title_of_1(), "title");
}
END_TEST

/* query_number_operation: upsert(where: { id }, create: { id }, update: { <op> })
 * and the returned field: "null" or its value. */
static const char *number_op(int id, const UpsNumberUpdateInput *update, bool floats)
{
    UpsNumber *r = NULL;
    OK(ups_number_upsert(db, &(UpsNumberWhereUniqueInput){ .id = PRISMA_INT(id) },
                         &(UpsNumberCreateInput){ .id = PRISMA_INT(id) }, update, &r));
    static char buf[4][48];
    static unsigned next;
    char *b = buf[next++ % 4];
    if (floats)
        r->optFloat ? snprintf(b, 48, "%.17g", *r->optFloat) : snprintf(b, 48, "null");
    else
        r->optInt ? snprintf(b, 48, "%d", (int)*r->optInt) : snprintf(b, 48, "null");
    prisma_free(r);
    return b;
}

#define INT_OP(id, op, v) number_op(id, &(UpsNumberUpdateInput){ .optInt = { .op = v } }, false)
#define FLOAT_OP(id, op, v) number_op(id, &(UpsNumberUpdateInput){ .optFloat = { .op = v } }, true)

/* The text %.17g gives for a double literal, to compare exactly. */
static const char *g17(double v)
{
    static char buf[4][48];
    static unsigned next;
    char *b = buf[next++ % 4];
    snprintf(b, 48, "%.17g", v);
    return b;
}

/* upsert.rs::upsert_apply_number_ops_for_int */
START_TEST(upsert_apply_number_ops_for_int)
{
    OK(ups_number_create(db, &(UpsNumberCreateInput){ .id = PRISMA_INT(1) }, NULL));
    OK(ups_number_create(db, &(UpsNumberCreateInput){ .id = PRISMA_INT(2), .optInt = PRISMA_INT(3) }, NULL));
    ck_assert_str_eq(INT_OP(1, increment, PRISMA_INT(10)), "null");
    ck_assert_str_eq(INT_OP(2, increment, PRISMA_INT(10)), "13");
    ck_assert_str_eq(INT_OP(1, decrement, PRISMA_INT(10)), "null");
    ck_assert_str_eq(INT_OP(2, decrement, PRISMA_INT(10)), "3");
    ck_assert_str_eq(INT_OP(1, multiply, PRISMA_INT(2)), "null");
    ck_assert_str_eq(INT_OP(2, multiply, PRISMA_INT(2)), "6");
    ck_assert_str_eq(INT_OP(1, divide, PRISMA_INT(3)), "null");
    ck_assert_str_eq(INT_OP(2, divide, PRISMA_INT(3)), "2");
    ck_assert_str_eq(INT_OP(1, set, PRISMA_INT(5)), "5");
    ck_assert_str_eq(INT_OP(2, set, PRISMA_INT(5)), "5");
    ck_assert_str_eq(INT_OP(1, set, PRISMA_INT_NULL), "null");
    ck_assert_str_eq(INT_OP(2, set, PRISMA_INT_NULL), "null");
}
END_TEST

/* upsert.rs::upsert_apply_number_ops_for_float */
START_TEST(upsert_apply_number_ops_for_float)
{
    OK(ups_number_create(db, &(UpsNumberCreateInput){ .id = PRISMA_INT(1) }, NULL));
    OK(ups_number_create(db, &(UpsNumberCreateInput){ .id = PRISMA_INT(2), .optFloat = PRISMA_FLOAT(5.5) }, NULL));
    ck_assert_str_eq(FLOAT_OP(1, increment, PRISMA_FLOAT(4.6)), "null");
    ck_assert_str_eq(FLOAT_OP(2, increment, PRISMA_FLOAT(4.6)), g17(10.1));
    ck_assert_str_eq(FLOAT_OP(1, decrement, PRISMA_FLOAT(4.6)), "null");
    ck_assert_str_eq(FLOAT_OP(2, decrement, PRISMA_FLOAT(4.6)), g17(5.5));
    ck_assert_str_eq(FLOAT_OP(1, multiply, PRISMA_FLOAT(2)), "null");
    ck_assert_str_eq(FLOAT_OP(2, multiply, PRISMA_FLOAT(2)), g17(11.0));
    ck_assert_str_eq(FLOAT_OP(1, divide, PRISMA_FLOAT(2)), "null");
    ck_assert_str_eq(FLOAT_OP(2, divide, PRISMA_FLOAT(2)), g17(5.5));
    ck_assert_str_eq(FLOAT_OP(1, set, PRISMA_FLOAT(5.1)), g17(5.1));
    ck_assert_str_eq(FLOAT_OP(2, set, PRISMA_FLOAT(5.1)), g17(5.1));
    ck_assert_str_eq(FLOAT_OP(1, set, PRISMA_FLOAT_NULL), "null");
    ck_assert_str_eq(FLOAT_OP(2, set, PRISMA_FLOAT_NULL), "null");
}
END_TEST

void upsert_tests(TCase *tc)
{
    tcase_add_test(tc, item_should_be_upserted);
    tcase_add_test(tc, create_with_many_fields_of_diff_types);
    tcase_add_test(tc, create_if_not_exist_with_default_val);
    tcase_add_test(tc, no_create_required_val_null);
    tcase_add_test(tc, update_if_already_exists);
    tcase_add_test(tc, should_update_if_uniq_already_exists);
    tcase_add_test(tc, only_update_if_uniq_field_change);
    tcase_add_test(tc, only_update_if_update_changes_nothing);
    tcase_add_test(tc, upsert_apply_number_ops_for_int);
    tcase_add_test(tc, upsert_apply_number_ops_for_float);
}
