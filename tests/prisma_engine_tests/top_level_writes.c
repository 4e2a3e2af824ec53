/* writes/top_level_mutations/ (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/): delete_many.rs,
 * update_many.rs, delete.rs and insert_null_in_required_field.rs. */
#include "engine_tests.h"

#define NOT_FOUND "An operation failed because it depends on one or more records that were required but not found. "

/* ---- delete_many.rs ---- */

static void todo(int id, const char *title)
{
    OK(todo_create(db, &(TodoCreateInput){ .id = PRISMA_INT(id), .title = title }, NULL));
}

static int64_t todos(void)
{
    TodoList *l = NULL;
    OK(todo_find_many(db, NULL, &l));
    int64_t n = (int64_t)l->len;
    prisma_free(l);
    return n;
}

static const char *todo_titles(const TodoWhereInput *where)
{
    TodoList *l = NULL;
    OK(todo_find_many(db, &(TodoFindManyArgs){ .where = where, .order_by = &(TodoOrderByInput){ .id = PRISMA_ASC },
                                               .order_by_len = 1 }, &l));
    const char *s = STRS(l, Todo, title);
    prisma_free(l);
    return s;
}

/* delete_many.rs::should_delete_items */
START_TEST(should_delete_items)
{
    todo(1, "title1");
    todo(2, "title2");
    ck_assert_int_eq(todos(), 2);
    int64_t count = -1;
    OK(todo_delete_many(db, &(TodoWhereInput){ .title = { .equals = "title1" } }, &count));
    ck_assert_int_eq(count, 1);
    ck_assert_int_eq(todos(), 1);
}
END_TEST

/* delete_many.rs::should_delete_all_if_where_empty: where: {} */
START_TEST(should_delete_all_if_where_empty)
{
    todo(1, "title1");
    todo(2, "title2");
    todo(3, "title3");
    ck_assert_int_eq(todos(), 3);
    int64_t count = -1;
    OK(todo_delete_many(db, &(TodoWhereInput){ 0 }, &count));
    ck_assert_int_eq(count, 3);
    ck_assert_int_eq(todos(), 0);
}
END_TEST

/* delete_many.rs::should_delete_all_using_in */
START_TEST(should_delete_all_using_in)
{
    todo(1, "title1");
    todo(2, "title2");
    todo(3, "title3");
    ck_assert_int_eq(todos(), 3);
    int64_t count = -1;
    OK(todo_delete_many(db, &(TodoWhereInput){ .title = { .in = PRISMA_STRINGS("title1", "title2") } }, &count));
    ck_assert_int_eq(count, 2);
    ck_assert_int_eq(todos(), 1);
}
END_TEST

/* delete_many.rs::should_delete_all_using_notin: title: { not: { in: [...] } }
 * is notIn here (the C filter has no nested `not`; on a required field the two
 * are the same). */
START_TEST(should_delete_all_using_notin)
{
    todo(1, "title1");
    todo(2, "title2");
    todo(3, "title3");
    int64_t count = -1;
    OK(todo_delete_many(db, &(TodoWhereInput){ .title = { .not_in = PRISMA_STRINGS("DoesNotExist", "AlsoDoesntExist") } },
                        &count));
    ck_assert_int_eq(count, 3);
    ck_assert_int_eq(todos(), 0);
}
END_TEST

/* delete_many.rs::should_delete_using_or */
START_TEST(should_delete_using_or)
{
    todo(1, "title1");
    todo(2, "title2");
    todo(3, "title3");
    const TodoWhereInput either = { .OR = (const TodoWhereInput[]){ { .title = { .equals = "title1" } },
                                                                    { .title = { .equals = "title2" } } },
                                    .OR_len = 2 };
    ck_assert_str_eq(todo_titles(&either), "title1,title2");
    int64_t count = -1;
    OK(todo_delete_many(db, &either, &count));
    ck_assert_int_eq(count, 2);
    ck_assert_int_eq(todos(), 1);
}
END_TEST

/* delete_many.rs::should_delete_using_and */
START_TEST(should_delete_using_and)
{
    todo(1, "title1");
    todo(2, "title2");
    todo(3, "title3");
    const TodoWhereInput both = { .AND = (const TodoWhereInput[]){ { .title = { .equals = "title1" } },
                                                                   { .title = { .equals = "title2" } } },
                                  .AND_len = 2 };
    ck_assert_str_eq(todo_titles(&both), "");
    int64_t count = -1;
    OK(todo_delete_many(db, &both, &count));
    ck_assert_int_eq(count, 0);
    ck_assert_int_eq(todos(), 3);
}
END_TEST

/* delete_many.rs::nested_delete_many */
START_TEST(nested_delete_many)
{
    Parent *p = NULL;
    OK(parent_create_include(db, &(ParentCreateInput){
        .id = "1", .name = "Dad",
        .children = { .create = (const ZChildCreateInput[]){ { .id = "1", .name = "Daughter" },
                                                             { .id = "2", .name = "Daughter2" },
                                                             { .id = "3", .name = "Son" },
                                                             { .id = "4", .name = "Son2" } },
                      .create_len = 4 } },
        &(ParentInclude){ .children = true }, &p));
    ck_assert_str_eq(p->name, "Dad");
    ck_assert_str_eq(STRS(p->children, ZChild, name), "Daughter,Daughter2,Son,Son2");
    prisma_free(p);
    p = NULL;
    OK(parent_update_include(db, &(ParentWhereUniqueInput){ .name = "Dad" }, &(ParentUpdateInput){
        .children = { .delete_many = (const ZChildWhereInput[]){ { .name = { .contains = "Daughter" } },
                                                                 { .name = { .contains = "Son" } } },
                      .delete_many_len = 2 } },
        &(ParentInclude){ .children = true }, &p));
    ck_assert_str_eq(p->name, "Dad");
    ck_assert_uint_eq(p->children->len, 0);
    prisma_free(p);
    ck_assert_int_eq(rows("ZChild"), 0);
}
END_TEST

/* ---- update_many.rs ---- */

static void upd_row(const UpdManyModelCreateInput *in)
{
    OK(upd_many_model_create(db, in, NULL));
}

/* findManyTestModel(orderBy: { id: asc }) { optStr optInt optFloat }, as
 * "str/int/float" triples ("null" for NULL). */
static const char *upd_rows(void)
{
    UpdManyModelList *l = NULL;
    OK(upd_many_model_find_many(db, &(UpdManyModelFindManyArgs){
        .order_by = &(UpdManyModelOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
    static char buf[512];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->len; i++) {
        const UpdManyModel *r = &l->items[i];
        char n[24], f[40];
        if (r->optInt)
            snprintf(n, sizeof n, "%d", (int)*r->optInt);
        else
            snprintf(n, sizeof n, "null");
        if (r->optFloat)
            snprintf(f, sizeof f, "%.17g", *r->optFloat);
        else
            snprintf(f, sizeof f, "null");
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s/%s/%s", i ? "," : "",
                                r->optStr ? r->optStr : "null", n, f);
    }
    prisma_free(l);
    return buf;
}

/* update_many.rs::update_recs_matching_where */
START_TEST(update_recs_matching_where)
{
    upd_row(&(UpdManyModelCreateInput){ .id = PRISMA_INT(1), .optStr = "str1" });
    upd_row(&(UpdManyModelCreateInput){ .id = PRISMA_INT(2), .optStr = "str2" });
    int64_t count = -1;
    OK(upd_many_model_update_many(db, &(UpdManyModelWhereInput){ .optStr = { .equals = "str1" } },
                                  &(UpdManyModelUpdateInput){ .optStr = "str1new", .optInt = { .set = PRISMA_INT(1) },
                                                              .optFloat = { .multiply = PRISMA_FLOAT(2) } },
                                  &count));
    ck_assert_int_eq(count, 1);
    ck_assert_str_eq(upd_rows(), "str1new/1/null,str2/null/null");
}
END_TEST

/* update_many.rs::update_recs_matching_where_shorthands: optInt: null */
START_TEST(update_recs_matching_where_shorthands)
{
    upd_row(&(UpdManyModelCreateInput){ .id = PRISMA_INT(1), .optStr = "str1" });
    upd_row(&(UpdManyModelCreateInput){ .id = PRISMA_INT(2), .optStr = "str2" });
    int64_t count = -1;
    OK(upd_many_model_update_many(db, &(UpdManyModelWhereInput){ .optStr = { .equals = "str1" } },
                                  &(UpdManyModelUpdateInput){ .optStr = "str1new", .optInt = { .set = PRISMA_INT_NULL },
                                                              .optFloat = { .multiply = PRISMA_FLOAT(2) } },
                                  &count));
    ck_assert_int_eq(count, 1);
    ck_assert_str_eq(upd_rows(), "str1new/null/null,str2/null/null");
}
END_TEST

static void three_rows(void)
{
    upd_row(&(UpdManyModelCreateInput){ .id = PRISMA_INT(1), .optStr = "str1" });
    upd_row(&(UpdManyModelCreateInput){ .id = PRISMA_INT(2), .optStr = "str2", .optInt = PRISMA_INT(2) });
    upd_row(&(UpdManyModelCreateInput){ .id = PRISMA_INT(3), .optStr = "str3", .optInt = PRISMA_INT(3),
                                        .optFloat = PRISMA_FLOAT(3.1) });
}

/* update_many.rs::update_all_items_if_where_empty */
START_TEST(update_all_items_if_where_empty)
{
    three_rows();
    int64_t count = -1;
    OK(upd_many_model_update_many(db, &(UpdManyModelWhereInput){ 0 },
                                  &(UpdManyModelUpdateInput){ .optStr = "updated",
                                                              .optFloat = { .divide = PRISMA_FLOAT(2) },
                                                              .optInt = { .decrement = PRISMA_INT(1) } },
                                  &count));
    ck_assert_int_eq(count, 3);
    ck_assert_str_eq(upd_rows(), "updated/null/null,updated/1/null,updated/2/1.55");
}
END_TEST

/* updateMany(where: {}, data: { <field>: { <op>: value } }) counts 3 rows. */
static void update_all(const UpdManyModelUpdateInput *data)
{
    int64_t count = -1;
    OK(upd_many_model_update_many(db, &(UpdManyModelWhereInput){ 0 }, data, &count));
    ck_assert_int_eq(count, 3);
}

/* The optInt column, "null" for NULL. */
static const char *opt_ints(void)
{
    UpdManyModelList *l = NULL;
    OK(upd_many_model_find_many(db, &(UpdManyModelFindManyArgs){
        .order_by = &(UpdManyModelOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
    const char *s = OPT_INTS(l, UpdManyModel, optInt);
    prisma_free(l);
    return s;
}

/* update_many.rs::apply_number_ops_for_int: Prisma accepts null or a number
 * for the row whose optInt is NULL; SQL keeps NULL. */
START_TEST(apply_number_ops_for_int)
{
    three_rows();
    update_all(&(UpdManyModelUpdateInput){ .optInt = { .increment = PRISMA_INT(10) } });
    ck_assert_str_eq(opt_ints(), "null,12,13");
    update_all(&(UpdManyModelUpdateInput){ .optInt = { .decrement = PRISMA_INT(10) } });
    ck_assert_str_eq(opt_ints(), "null,2,3");
    update_all(&(UpdManyModelUpdateInput){ .optInt = { .multiply = PRISMA_INT(2) } });
    ck_assert_str_eq(opt_ints(), "null,4,6");
    update_all(&(UpdManyModelUpdateInput){ .optInt = { .divide = PRISMA_INT(3) } });
    ck_assert_str_eq(opt_ints(), "null,1,2");
    update_all(&(UpdManyModelUpdateInput){ .optInt = { .set = PRISMA_INT(5) } });
    ck_assert_str_eq(opt_ints(), "5,5,5");
    update_all(&(UpdManyModelUpdateInput){ .optInt = { .set = PRISMA_INT_NULL } });
    ck_assert_str_eq(opt_ints(), "null,null,null");
}
END_TEST

/* The optFloat column: each value must equal Prisma's exactly (Prisma prints
 * the shortest text that reads back as the same double). */
static void assert_opt_floats(const double *want, size_t n)
{
    UpdManyModelList *l = NULL;
    OK(upd_many_model_find_many(db, &(UpdManyModelFindManyArgs){
        .order_by = &(UpdManyModelOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
    ck_assert_uint_eq(l->len, n);
    for (size_t i = 0; i < n; i++) {
        if (want[i] != want[i]) { /* NaN: expect null */
            ck_assert_msg(l->items[i].optFloat == NULL, "row %zu: expected null, got %.17g", i, *l->items[i].optFloat);
            continue;
        }
        ck_assert_msg(l->items[i].optFloat != NULL, "row %zu: expected %.17g, got null", i, want[i]);
        ck_assert_msg(*l->items[i].optFloat == want[i], "row %zu: expected %.17g, got %.17g", i, want[i],
                      *l->items[i].optFloat);
    }
    prisma_free(l);
}

#define FLOATS(...) assert_opt_floats((const double[]){ __VA_ARGS__ }, sizeof((const double[]){ __VA_ARGS__ }) / sizeof(double))
#define NUL (0.0 / 0.0)

/* update_many.rs::apply_number_ops_for_float */
START_TEST(apply_number_ops_for_float)
{
    upd_row(&(UpdManyModelCreateInput){ .id = PRISMA_INT(1), .optStr = "str1" });
    upd_row(&(UpdManyModelCreateInput){ .id = PRISMA_INT(2), .optStr = "str2", .optFloat = PRISMA_FLOAT(2) });
    upd_row(&(UpdManyModelCreateInput){ .id = PRISMA_INT(3), .optStr = "str3", .optFloat = PRISMA_FLOAT(3.1) });
    update_all(&(UpdManyModelUpdateInput){ .optFloat = { .increment = PRISMA_FLOAT(1.1) } });
    FLOATS(NUL, 3.1, 4.2);
    update_all(&(UpdManyModelUpdateInput){ .optFloat = { .decrement = PRISMA_FLOAT(1.1) } });
    FLOATS(NUL, 2.0, 3.1);
    update_all(&(UpdManyModelUpdateInput){ .optFloat = { .multiply = PRISMA_FLOAT(5.5) } });
    FLOATS(NUL, 11.0, 17.05);
    update_all(&(UpdManyModelUpdateInput){ .optFloat = { .divide = PRISMA_FLOAT(2) } });
    FLOATS(NUL, 5.5, 8.525);
    update_all(&(UpdManyModelUpdateInput){ .optFloat = { .set = PRISMA_FLOAT(5) } });
    FLOATS(5.0, 5.0, 5.0);
    update_all(&(UpdManyModelUpdateInput){ .optFloat = { .set = PRISMA_FLOAT_NULL } });
    FLOATS(NUL, NUL, NUL);
}
END_TEST

/* ---- delete.rs ---- */

static void scalar_row(const ScalarModelCreateInput *in)
{
    OK(scalar_model_create(db, in, NULL));
}

static const char *scalar_col(bool unicorn)
{
    ScalarModelList *l = NULL;
    OK(scalar_model_find_many(db, &(ScalarModelFindManyArgs){
        .order_by = &(ScalarModelOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
    const char *s = unicorn ? STRS(l, ScalarModel, unicorn) : STRS(l, ScalarModel, string);
    prisma_free(l);
    return s;
}

/* delete.rs::should_delete_and_return_item */
START_TEST(should_delete_and_return_item)
{
    scalar_row(&(ScalarModelCreateInput){ .id = PRISMA_INT(1), .string = "test" });
    ScalarModel *r = NULL;
    OK(scalar_model_delete(db, &(ScalarModelWhereUniqueInput){ .id = PRISMA_INT(1) }, &r));
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->id, 1);
    prisma_free(r);
    ck_assert_int_eq(rows("ScalarModel"), 0);
}
END_TEST

/* delete.rs::should_fail_non_exist_id */
START_TEST(should_fail_non_exist_id)
{
    scalar_row(&(ScalarModelCreateInput){ .id = PRISMA_INT(1), .string = "test" });
    ScalarModel *r = NULL;
    FAILS(scalar_model_delete(db, &(ScalarModelWhereUniqueInput){ .id = PRISMA_INT(2) }, &r), "P2025",
          NOT_FOUND "No record was found for a delete.");
    ck_assert_ptr_null(r);
    ck_assert_str_eq(scalar_col(false), "test");
}
END_TEST

/* delete.rs::should_delete_return_non_id_uniq_field */
START_TEST(should_delete_return_non_id_uniq_field)
{
    scalar_row(&(ScalarModelCreateInput){ .id = PRISMA_INT(1), .unicorn = "a" });
    scalar_row(&(ScalarModelCreateInput){ .id = PRISMA_INT(2), .unicorn = "b" });
    ScalarModel *r = NULL;
    OK(scalar_model_delete(db, &(ScalarModelWhereUniqueInput){ .unicorn = "a" }, &r));
    ck_assert_str_eq(r->unicorn, "a");
    prisma_free(r);
    ck_assert_str_eq(scalar_col(true), "b");
}
END_TEST

/* delete.rs::should_fail_non_existent_value_non_id_uniq_field */
START_TEST(should_fail_non_existent_value_non_id_uniq_field)
{
    scalar_row(&(ScalarModelCreateInput){ .id = PRISMA_INT(1), .unicorn = "a" });
    FAILS(scalar_model_delete(db, &(ScalarModelWhereUniqueInput){ .unicorn = "c" }, NULL), "P2025",
          NOT_FOUND "No record was found for a delete.");
    ck_assert_str_eq(scalar_col(true), "a");
}
END_TEST

/* delete.rs::should_fail_delete_null_value: where: { unicorn: null } is
 * refused: P2012, "A value is required but not set.". */
START_TEST(should_fail_delete_null_value)
{
    scalar_row(&(ScalarModelCreateInput){ .id = PRISMA_INT(1), .unicorn = "a" });
    FAILS(scalar_model_delete(db, &(ScalarModelWhereUniqueInput){ .unicorn = PRISMA_NULL }, NULL), "P2012",
          "A value is required but not set.");
    ck_assert_str_eq(scalar_col(true), "a");
}
END_TEST

/* ---- insert_null_in_required_field.rs ---- */

/* insert_null_in_required_field.rs::update_required_val_to_null: P2009 */
START_TEST(update_required_val_to_null)
{
    OK(ins_null_a_create(db, &(InsNullACreateInput){ .id = PRISMA_INT(1), .b = "abc", .key = "abc" }, NULL));
    FAILS(ins_null_a_update(db, &(InsNullAWhereUniqueInput){ .b = "abc" }, &(InsNullAUpdateInput){ .key = PRISMA_NULL },
                            NULL),
          "P2009", "A value is required but not set.");
}
END_TEST

/* insert_null_in_required_field.rs::create_required_value_as_null: P2009 */
START_TEST(create_required_value_as_null)
{
    FAILS(ins_null_a_create(db, &(InsNullACreateInput){ .id = PRISMA_INT(1), .b = "abc", .key = PRISMA_NULL }, NULL),
          "P2009", "`data.key`: A value is required but not set.");
    ck_assert_int_eq(rows("InsNullA"), 0);
}
END_TEST

/* insert_null_in_required_field.rs::update_optional_val_null */
START_TEST(update_optional_val_null)
{
    OK(ins_null_unique_a_create(db, &(InsNullUniqueACreateInput){ .id = PRISMA_INT(1), .b = "abc", .key = "abc" }, NULL));
    OK(ins_null_unique_a_update(db, &(InsNullUniqueAWhereUniqueInput){ .b = "abc" },
                                &(InsNullUniqueAUpdateInput){ .key = PRISMA_NULL }, NULL));
    InsNullUniqueAList *l = NULL;
    OK(ins_null_unique_a_find_many(db, NULL, &l));
    ck_assert_str_eq(STRS(l, InsNullUniqueA, b), "abc");
    ck_assert_str_eq(STRS(l, InsNullUniqueA, key), "null");
    prisma_free(l);
}
END_TEST

/* insert_null_in_required_field.rs::create_optional_val_null */
START_TEST(create_optional_val_null)
{
    InsNullOptA *r = NULL;
    OK(ins_null_opt_a_create(db, &(InsNullOptACreateInput){ .id = PRISMA_INT(1), .b = "abc", .key = PRISMA_NULL }, &r));
    ck_assert_str_eq(r->b, "abc");
    ck_assert_ptr_null(r->key);
    prisma_free(r);
}
END_TEST

void top_level_writes_tests(TCase *tc)
{
    tcase_add_test(tc, should_delete_items);
    tcase_add_test(tc, should_delete_all_if_where_empty);
    tcase_add_test(tc, should_delete_all_using_in);
    tcase_add_test(tc, should_delete_all_using_notin);
    tcase_add_test(tc, should_delete_using_or);
    tcase_add_test(tc, should_delete_using_and);
    tcase_add_test(tc, nested_delete_many);
    tcase_add_test(tc, update_recs_matching_where);
    tcase_add_test(tc, update_recs_matching_where_shorthands);
    tcase_add_test(tc, update_all_items_if_where_empty);
    tcase_add_test(tc, apply_number_ops_for_int);
    tcase_add_test(tc, apply_number_ops_for_float);
    tcase_add_test(tc, should_delete_and_return_item);
    tcase_add_test(tc, should_fail_non_exist_id);
    tcase_add_test(tc, should_delete_return_non_id_uniq_field);
    tcase_add_test(tc, should_fail_non_existent_value_non_id_uniq_field);
    tcase_add_test(tc, should_fail_delete_null_value);
    tcase_add_test(tc, update_required_val_to_null);
    tcase_add_test(tc, create_required_value_as_null);
    tcase_add_test(tc, update_optional_val_null);
    tcase_add_test(tc, create_optional_val_null);
}
