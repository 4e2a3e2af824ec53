/* Nested writes a planted bug got past the rest of the suite with: connect
 * lists longer than one statement's parameter limit. */
#include "regressions.h"

/* Past PostgreSQL's 65,535 parameters (and SQLite's 32,766). */
enum { LONG_LIST = 70000 };

static int author(const char *email)
{
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = email }, &u));
    int id = u->id;
    user_free(u);
    return id;
}

/* Writes LONG_LIST rows with raw SQL, `insert_into` then `values` of each
 * number i (from 1), and returns their ids, ascending. The numbers are digits
 * joined, not a recursive count (MariaDB stops one at 1,000 rows). */
static int32_t *long_list_of_ids(const char *insert_into, const char *values, const char *ids_sql)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "%s WITH d(i) AS (SELECT 0 UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
             "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9), "
             "n(i) AS (SELECT a.i + 10 * b.i + 100 * c.i + 1000 * e.i + 10000 * f.i + 1 FROM d a, d b, d c, d e, d f) "
             "SELECT %s FROM n WHERE i <= %d",
             insert_into, values, LONG_LIST);
    run_sql(sql);
    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db, testdb_sql("%s", ids_sql), NULL, 0, &rows));
    ck_assert_uint_eq(rows->n_rows, LONG_LIST);
    int32_t *ids = malloc(LONG_LIST * sizeof *ids);
    ck_assert_ptr_nonnull(ids);
    for (size_t i = 0; i < LONG_LIST; i++)
        ids[i] = (int32_t)rows->values[i].i;
    prisma_free(rows);
    return ids;
}

START_TEST(connect_lists_past_the_parameter_limit)
{
    int a = author("a@x"), b = author("b@x");
    char values[64];
    snprintf(values, sizeof values, "i, %d", a); /* the title is the number */
    int32_t *ids = long_list_of_ids("INSERT INTO \"Post\" (title, \"authorId\")", values,
                                    "SELECT id FROM \"Post\" ORDER BY id");
    /* 1-n: every post moves to b. */
    PostWhereUniqueInput *pw = calloc(LONG_LIST, sizeof *pw);
    ck_assert_ptr_nonnull(pw);
    for (size_t i = 0; i < LONG_LIST; i++)
        pw[i] = (PostWhereUniqueInput){ .id = PRISMA_INT(ids[i]) };
    OK(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(b) },
                   &(UserUpdateInput){ .posts = { .connect = pw, .connect_len = LONG_LIST } }, NULL));
    int64_t n = -1;
    OK(post_count(db, &(PostWhereInput){ .authorId = { .equals = PRISMA_INT(b) } }, &n));
    ck_assert_int_eq(n, LONG_LIST);
    free(pw);
    free(ids);

    /* m-n: one post linked to every tag. */
    ids = long_list_of_ids("INSERT INTO \"Tag\" (name)", "i", "SELECT id FROM \"Tag\" ORDER BY id");
    TagWhereUniqueInput *tw = calloc(LONG_LIST, sizeof *tw);
    ck_assert_ptr_nonnull(tw);
    for (size_t i = 0; i < LONG_LIST; i++)
        tw[i] = (TagWhereUniqueInput){ .id = PRISMA_INT(ids[i]) };
    Post *p = NULL;
    OK(post_create(db, &(PostCreateInput){ .title = "hub", .authorId = PRISMA_INT(a),
                                           .tags = { .connect = tw, .connect_len = LONG_LIST } },
                   &p));
    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db, testdb_sql("SELECT count(*) FROM \"_PostToTag\" WHERE \"A\" = $1"),
                        (prisma_raw_value[]){ PRISMA_RAW_INT_V(p->id) }, 1, &rows));
    ck_assert_int_eq(rows->values[0].i, LONG_LIST);
    prisma_free(rows);
    post_free(p);
    free(tw);
    free(ids);
}
END_TEST

/* Records created together for several parents (each post its own tags)
 * are each linked to their own parent. */
START_TEST(records_created_for_several_parents_link_to_their_own)
{
    const TagCreateInput tags_a[] = { { .name = "a1" }, { .name = "a2" } }, tags_b[] = { { .name = "b1" } };
    const PostCreateInput posts[] = { { .title = "A", .tags = { .create = tags_a, .create_len = 2 } },
                                      { .title = "B", .tags = { .create = tags_b, .create_len = 1 } } };
    OK(user_create(db, &(UserCreateInput){ .email = "u@x", .posts = { .create = posts, .create_len = 2 } }, NULL));
    PostList *l = NULL;
    OK(post_find_many(db, &(PostFindManyArgs){ .include = &(PostInclude){ .tags = true },
                                               .order_by = &(PostOrderByInput){ .title = PRISMA_ASC }, .order_by_len = 1 },
                      &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_uint_eq(l->items[0].tags->len, 2);
    ck_assert_str_eq(l->items[0].tags->items[0].name, "a1");
    ck_assert_str_eq(l->items[0].tags->items[1].name, "a2");
    ck_assert_uint_eq(l->items[1].tags->len, 1);
    ck_assert_str_eq(l->items[1].tags->items[0].name, "b1");
    post_list_free(l);
}
END_TEST

void add_nested_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, records_created_for_several_parents_link_to_their_own);
    tcase_add_test(tc, connect_lists_past_the_parameter_limit);
}
