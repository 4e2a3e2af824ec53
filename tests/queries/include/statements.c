/* Fixed statement counts (issue 13): users with their posts (filtered,
 * ordered, take) and the posts' tags, and _count: the same number of
 * statements for 10 users as for 1,000, one per relation level. The trace
 * hook (prisma_set_trace) counts them. prismac's own. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>

/* n users, 4 posts each (2 published), each post with 2 of 5 tags. */
static void seed_tree(int n)
{
    UserCreateInput *u = calloc((size_t)n, sizeof *u);
    PostCreateInput *p = calloc((size_t)n * 4, sizeof *p);
    char (*emails)[16] = calloc((size_t)n, sizeof *emails);
    ck_assert(u && p && emails);
    for (int i = 0; i < n; i++) {
        snprintf(emails[i], sizeof emails[i], "u%d@x", i + 1);
        u[i] = (UserCreateInput){ .id = PRISMA_INT(i + 1), .email = emails[i], .name = "n" };
        for (int k = 0; k < 4; k++)
            p[i * 4 + k] = (PostCreateInput){ .id = PRISMA_INT(i * 4 + k + 1), .authorId = PRISMA_INT(i + 1),
                                              .title = "t", .published = PRISMA_BOOL(k % 2 == 0),
                                              .views = PRISMA_INT(k) };
    }
    OK(user_create_many(db, u, (size_t)n, false, NULL));
    OK(post_create_many(db, p, (size_t)n * 4, false, NULL));
    for (int t = 1; t <= 5; t++)
        seed_tag(t, "tag");
    /* The links, written as SQL (test set-up: the ids are the test's own numbers). */
    size_t cap = (size_t)n * 4 * 2 * 24 + 64, len = 0;
    char *sql = malloc(cap);
    ck_assert_ptr_nonnull(sql);
    len += (size_t)snprintf(sql, cap, "%s", testdb_sql("INSERT INTO \"_PostToTag\" (\"A\", \"B\") VALUES "));
    for (int post = 1; post <= n * 4; post++)
        len += (size_t)snprintf(sql + len, cap - len, "%s(%d, %d), (%d, %d)", post > 1 ? ", " : "", post,
                                post % 5 + 1, post, (post + 1) % 5 + 1);
    OK(prisma_execute_raw(db, sql, NULL, 0, NULL));
    free(sql);
    free(u);
    free(p);
    free(emails);
}

static const PostOrderByInput views_desc = { .views = PRISMA_DESC };

/* Statements for the tree of `n` users, checking the rows as it goes. */
static int tree_statements(int n)
{
    UserList *l = NULL;
    static const UserOrderByInput by = { .id = PRISMA_ASC };
    trace_reset();
    OK(user_find_many(db, &(UserFindManyArgs){
                              .order_by = &by, .order_by_len = 1,
                              .include = &(UserInclude){ .posts_args = &(PostFindManyArgs){
                                  .where = &(PostWhereInput){ .published = { .equals = PRISMA_BOOL(false) } },
                                  .order_by = &views_desc, .order_by_len = 1, .take = PRISMA_TAKE(1),
                                  .include = &(PostInclude){ .tags = true } } } },
                      &l));
    int count = trace_count();
    ck_assert_int_eq((int)l->len, n);
    for (size_t i = 0; i < l->len; i++) {
        const PostList *p = l->items[i].posts;
        ck_assert_int_eq((int)p->len, 1);
        ck_assert(!p->items[0].published);
        ck_assert_int_eq(p->items[0].views, 3); /* the unpublished post with most views */
        ck_assert_int_eq(p->items[0].authorId, l->items[i].id);
        ck_assert_int_eq((int)p->items[0].tags->len, 2);
    }
    user_list_free(l);
    return count;
}

static int count_statements(int n)
{
    UserList *l = NULL;
    trace_reset();
    OK(user_find_many(db, &(UserFindManyArgs){ .select = &(UserSelect){ .id = true, ._count = true } }, &l));
    int count = trace_count();
    ck_assert_int_eq((int)l->len, n);
    for (size_t i = 0; i < l->len; i++)
        ck_assert_int_eq(l->items[i]._count.posts, 4);
    user_list_free(l);
    PostList *pl = NULL;
    trace_reset();
    OK(post_find_many(db, &(PostFindManyArgs){ .include = &(PostInclude){ ._count = true } }, &pl));
    ck_assert_int_eq(trace_count(), count + 1); /* posts: comments and tags counted */
    for (size_t i = 0; i < pl->len; i++)
        ck_assert_int_eq(pl->items[i]._count.tags, 2);
    post_list_free(pl);
    return count;
}

START_TEST(tree_statements_do_not_grow_with_the_rows)
{
    seed_tree(10);
    int small = tree_statements(10);
    int small_count = count_statements(10);
    ck_assert_int_eq(small, 3); /* users, posts, tags: one per level */
    ck_assert_int_eq(small_count, 2); /* users, the posts' count */
    /* 990 more users: 1,000 in all. */
    UserCreateInput *u = calloc(990, sizeof *u);
    PostCreateInput *p = calloc(990 * 4, sizeof *p);
    char (*emails)[16] = calloc(990, sizeof *emails);
    for (int i = 0; i < 990; i++) {
        int id = 11 + i;
        snprintf(emails[i], sizeof emails[i], "u%d@x", id);
        u[i] = (UserCreateInput){ .id = PRISMA_INT(id), .email = emails[i], .name = "n" };
        for (int k = 0; k < 4; k++)
            p[i * 4 + k] = (PostCreateInput){ .id = PRISMA_INT((id - 1) * 4 + k + 1), .authorId = PRISMA_INT(id),
                                              .title = "t", .published = PRISMA_BOOL(k % 2 == 0),
                                              .views = PRISMA_INT(k) };
    }
    OK(user_create_many(db, u, 990, false, NULL));
    OK(post_create_many(db, p, 990 * 4, false, NULL));
    char *sql = malloc(990 * 4 * 2 * 24 + 64);
    size_t len = (size_t)sprintf(sql, "%s", testdb_sql("INSERT INTO \"_PostToTag\" (\"A\", \"B\") VALUES "));
    for (int post = 41; post <= 4000; post++)
        len += (size_t)sprintf(sql + len, "%s(%d, %d), (%d, %d)", post > 41 ? ", " : "", post, post % 5 + 1, post,
                               (post + 1) % 5 + 1);
    OK(prisma_execute_raw(db, sql, NULL, 0, NULL));
    free(sql);
    free(u);
    free(p);
    free(emails);
    ck_assert_int_eq(tree_statements(1000), small);
    ck_assert_int_eq(count_statements(1000), small_count);
}
END_TEST

void add_statement_tests(TCase *tc)
{
    tcase_add_test(tc, tree_statements_do_not_grow_with_the_rows);
}
