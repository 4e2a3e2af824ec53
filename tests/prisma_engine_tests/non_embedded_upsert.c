/* writes/top_level_mutations/non_embedded_upsert.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/): nested writes
 * inside the branch of an upsert that runs, and none of the other branch.
 * dm_p1_to_c1's List and Todo are NeList and NeTodo here; dm_pm_to_cm's List,
 * Todo and Tag are MmList, MmTodo and MmTag. */
#include "engine_tests.h"

#define TODO_U(s) (&(NeTodoWhereUniqueInput){ .uTodo = (s) })

/* findManyList { uList, todo { uTodo } } as "uList:uTodo" pairs ("null" for none). */
static const char *lists(void)
{
    NeListList *l = NULL;
    OK(ne_list_find_many(db, &(NeListFindManyArgs){ .include = &(NeListInclude){ .todo = true },
                                                    .order_by = &(NeListOrderByInput){ .id = PRISMA_ASC },
                                                    .order_by_len = 1 }, &l));
    static char buf[256];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->len; i++) {
        const NeList *r = &l->items[i];
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s:%s", i ? "," : "", r->uList ? r->uList : "null",
                                r->todo ? (r->todo->uTodo ? r->todo->uTodo : "null") : "null");
    }
    prisma_free(l);
    return buf;
}

/* findManyTodo { uTodo } */
static const char *todos(void)
{
    NeTodoList *l = NULL;
    OK(ne_todo_find_many(db, &(NeTodoFindManyArgs){ .order_by = &(NeTodoOrderByInput){ .id = PRISMA_ASC },
                                                    .order_by_len = 1 }, &l));
    const char *s = STRS(l, NeTodo, uTodo);
    prisma_free(l);
    return s;
}

/* non_embedded_upsert.rs::nested_connect_in_create */
START_TEST(nested_connect_in_create)
{
    OK(ne_todo_create(db, &(NeTodoCreateInput){ .id = PRISMA_INT(1), .uTodo = "B" }, NULL));
    OK(ne_list_upsert(db, &(NeListWhereUniqueInput){ .uList = "Does not Exist" },
                      &(NeListCreateInput){ .id = PRISMA_INT(1), .uList = "A", .todo = { .connect = TODO_U("B") } },
                      &(NeListUpdateInput){ .todo = { .connect = TODO_U("Should not matter") } }, NULL));
    ck_assert_str_eq(lists(), "A:B");
    ck_assert_str_eq(todos(), "B");
    ck_assert_int_eq(rows("NeList"), 1);
    ck_assert_int_eq(rows("NeTodo"), 1);
}
END_TEST

/* non_embedded_upsert.rs::nested_connect_in_update */
START_TEST(nested_connect_in_update)
{
    OK(ne_todo_create(db, &(NeTodoCreateInput){ .id = PRISMA_INT(1), .uTodo = "B" }, NULL));
    OK(ne_list_create(db, &(NeListCreateInput){ .id = PRISMA_INT(1), .uList = "A" }, NULL));
    OK(ne_list_upsert(db, &(NeListWhereUniqueInput){ .uList = "A" },
                      &(NeListCreateInput){ .id = PRISMA_INT(2), .uList = "A",
                                            .todo = { .connect = TODO_U("Should not Matter") } },
                      &(NeListUpdateInput){ .todo = { .connect = TODO_U("B") } }, NULL));
    ck_assert_str_eq(lists(), "A:B");
    ck_assert_str_eq(todos(), "B");
    ck_assert_int_eq(rows("NeList"), 1);
    ck_assert_int_eq(rows("NeTodo"), 1);
}
END_TEST

/* non_embedded_upsert.rs::nested_disconnect_in_update */
START_TEST(nested_disconnect_in_update)
{
    OK(ne_todo_create(db, &(NeTodoCreateInput){ .id = PRISMA_INT(1), .uTodo = "B",
                                                .list = { .create = &(NeListCreateInput){ .id = PRISMA_INT(1),
                                                                                          .uList = "A" } } },
                      NULL));
    OK(ne_list_upsert(db, &(NeListWhereUniqueInput){ .uList = "A" },
                      &(NeListCreateInput){ .id = PRISMA_INT(2), .uList = "A",
                                            .todo = { .connect = TODO_U("Should not Matter") } },
                      &(NeListUpdateInput){ .todo = { .disconnect = true } }, NULL));
    ck_assert_str_eq(lists(), "A:null");
    ck_assert_str_eq(todos(), "B");
    ck_assert_int_eq(rows("NeList"), 1);
    ck_assert_int_eq(rows("NeTodo"), 1);
}
END_TEST

/* non_embedded_upsert.rs::nested_delete_in_update */
START_TEST(nested_delete_in_update)
{
    OK(ne_todo_create(db, &(NeTodoCreateInput){ .id = PRISMA_INT(1), .uTodo = "B",
                                                .list = { .create = &(NeListCreateInput){ .id = PRISMA_INT(1),
                                                                                          .uList = "A" } } },
                      NULL));
    OK(ne_list_upsert(db, &(NeListWhereUniqueInput){ .uList = "A" },
                      &(NeListCreateInput){ .id = PRISMA_INT(2), .uList = "A",
                                            .todo = { .connect = TODO_U("Should not Matter") } },
                      &(NeListUpdateInput){ .todo = { .delete_ = true } }, NULL));
    ck_assert_str_eq(lists(), "A:null");
    ck_assert_str_eq(todos(), "");
    ck_assert_int_eq(rows("NeList"), 1);
    ck_assert_int_eq(rows("NeTodo"), 0);
}
END_TEST

/* non_embedded_upsert.rs::execute_nested_create_of_correct_branch */
START_TEST(execute_nested_create_of_correct_branch)
{
    OK(ne_list_create(db, &(NeListCreateInput){ .id = PRISMA_INT(1), .uList = "A" }, NULL));
    OK(ne_list_upsert(db, &(NeListWhereUniqueInput){ .uList = "A" },
                      &(NeListCreateInput){ .id = PRISMA_INT(2), .uList = "B",
                                            .todo = { .create = &(NeTodoCreateInput){ .id = PRISMA_INT(1),
                                                                                      .uTodo = "B" } } },
                      &(NeListUpdateInput){ .uList = "C",
                                            .todo = { .create = &(NeTodoCreateInput){ .id = PRISMA_INT(2),
                                                                                      .uTodo = "C" } } },
                      NULL));
    ck_assert_str_eq(lists(), "C:C");
    ck_assert_str_eq(todos(), "C");
    ck_assert_int_eq(rows("NeList"), 1);
    ck_assert_int_eq(rows("NeTodo"), 1);
}
END_TEST

/* findManyList { uList, todoes { uTodo, tags { uTag } } }: include is one level
 * deep in C, so the tags of each todo are read with a second query. */
static const char *mm_lists(void)
{
    MmListList *l = NULL;
    OK(mm_list_find_many(db, &(MmListFindManyArgs){ .include = &(MmListInclude){ .todoes = true } }, &l));
    static char buf[256];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->len; i++) {
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s[", i ? "," : "", l->items[i].uList);
        for (size_t j = 0; j < l->items[i].todoes->len; j++) {
            const MmTodo *t = &l->items[i].todoes->items[j];
            MmTodo *with_tags = NULL;
            OK(mm_todo_find_first(db, &(MmTodoFindManyArgs){
                .where = &(MmTodoWhereInput){ .id = { .equals = PRISMA_INT(t->id) } },
                .include = &(MmTodoInclude){ .tags = true } }, &with_tags));
            ck_assert_ptr_nonnull(with_tags);
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s[%s]", j ? "," : "", t->uTodo,
                                    STRS(with_tags->tags, MmTag, uTag));
            prisma_free(with_tags);
        }
        len += (size_t)snprintf(buf + len, sizeof buf - len, "]");
    }
    prisma_free(l);
    return buf;
}

/* non_embedded_upsert.rs::nested_connect_in_correct_create_branch */
START_TEST(nested_connect_in_correct_create_branch)
{
    OK(mm_tag_create(db, &(MmTagCreateInput){ .id = PRISMA_INT(1), .uTag = "D" }, NULL));
    OK(mm_list_create(db, &(MmListCreateInput){ .id = PRISMA_INT(1), .uList = "A" }, NULL));
    OK(mm_list_update(db, &(MmListWhereUniqueInput){ .uList = "A" }, &(MmListUpdateInput){
        .todoes = { .upsert = &(MmTodoUpsertWithWhereInput){
                        .where = &(MmTodoWhereUniqueInput){ .uTodo = "B" },
                        .create = &(MmTodoCreateInput){ .id = PRISMA_INT(1), .uTodo = "C",
                                                        .tags = { .connect = &(MmTagWhereUniqueInput){ .uTag = "D" },
                                                                  .connect_len = 1 } },
                        .update = &(MmTodoUpdateInput){ .uTodo = "Should Not Matter",
                                                        .tags = { .create = &(MmTagCreateInput){ .id = PRISMA_INT(2),
                                                                                                 .uTag = "D" },
                                                                  .create_len = 1 } } },
                    .upsert_len = 1 } }, NULL));
    ck_assert_str_eq(mm_lists(), "A[C[D]]");
    ck_assert_int_eq(rows("MmList"), 1);
    ck_assert_int_eq(rows("MmTodo"), 1);
    ck_assert_int_eq(rows("MmTag"), 1);
}
END_TEST

/* non_embedded_upsert.rs::nested_connect_in_correct_update_branch */
START_TEST(nested_connect_in_correct_update_branch)
{
    OK(mm_tag_create(db, &(MmTagCreateInput){ .id = PRISMA_INT(1), .uTag = "D" }, NULL));
    OK(mm_list_create(db, &(MmListCreateInput){ .id = PRISMA_INT(1), .uList = "A",
                                                .todoes = { .create = &(MmTodoCreateInput){ .id = PRISMA_INT(1),
                                                                                            .uTodo = "B" },
                                                            .create_len = 1 } }, NULL));
    OK(mm_list_update(db, &(MmListWhereUniqueInput){ .uList = "A" }, &(MmListUpdateInput){
        .todoes = { .upsert = &(MmTodoUpsertWithWhereInput){
                        .where = &(MmTodoWhereUniqueInput){ .uTodo = "B" },
                        .create = &(MmTodoCreateInput){ .id = PRISMA_INT(1), .uTodo = "Should Not Matter",
                                                        .tags = { .connect = &(MmTagWhereUniqueInput){ .uTag = "D" },
                                                                  .connect_len = 1 } },
                        .update = &(MmTodoUpdateInput){ .uTodo = "C",
                                                        .tags = { .connect = &(MmTagWhereUniqueInput){ .uTag = "D" },
                                                                  .connect_len = 1 } } },
                    .upsert_len = 1 } }, NULL));
    ck_assert_str_eq(mm_lists(), "A[C[D]]");
    ck_assert_int_eq(rows("MmList"), 1);
    ck_assert_int_eq(rows("MmTodo"), 1);
    ck_assert_int_eq(rows("MmTag"), 1);
}
END_TEST

void non_embedded_upsert_tests(TCase *tc)
{
    tcase_add_test(tc, nested_connect_in_create);
    tcase_add_test(tc, nested_connect_in_update);
    tcase_add_test(tc, nested_disconnect_in_update);
    tcase_add_test(tc, nested_delete_in_update);
    tcase_add_test(tc, execute_nested_create_of_correct_branch);
    tcase_add_test(tc, nested_connect_in_correct_create_branch);
    tcase_add_test(tc, nested_connect_in_correct_update_branch);
}
