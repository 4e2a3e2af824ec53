/* issue 13: the areas together (prismac's own cases). Each area has its own
 * file in tests/queries/; these check that they compose: relation filters
 * and relation ordering inside include arguments and _count, field
 * references inside relation filters, distinct with a relation filter, and
 * group_by / aggregate over a relation filter (Prisma's
 * group_by.rs::group_by_relation_filters, on these models). */
#include "support.h"

#include <stdio.h>

/* Alice (1) writes posts 10 (tags a, b; 2 comments), 11 (tag b); Bob (2)
 * writes 20 (tag a; 1 comment); Carol (3) writes nothing. */
static void data(void)
{
    seed_user(1, "alice@x", "Alice", 30, "Paris");
    seed_user(2, "bob@x", "Bob", 40, "Paris");
    seed_user(3, "carol@x", "Carol", 50, "Rome");
    seed_post(10, 1, "p10", true, 5);
    seed_post(11, 1, "p11", false, 50);
    seed_post(20, 2, "p20", true, 7);
    seed_tag(1, "a");
    seed_tag(2, "b");
    link_tag(10, 1);
    link_tag(10, 2);
    link_tag(11, 2);
    link_tag(20, 1);
    seed_comment(100, 10, "c1");
    seed_comment(101, 10, "c2");
    seed_comment(200, 20, "c3");
}

/* The ids of a post list, "10,11". */
static const char *post_ids(const PostList *l)
{
    static char buf[128];
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; l && i < l->len; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%d", i ? "," : "", l->items[i].id);
    return buf;
}

START_TEST(relation_filter_and_ordering_inside_include)
{
    data();
    /* Each user's posts tagged "b", ordered by their number of comments
     * (desc): one statement for the users, one for the posts. */
    UserList *l = NULL;
    trace_reset();
    OK(user_find_many(db,
                      &(UserFindManyArgs){
                          .order_by = &(UserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1,
                          .include = &(UserInclude){ .posts_args = &(PostFindManyArgs){
                                                         .where = &(PostWhereInput){ .tags = { .some = &(TagWhereInput){
                                                                                                   .name = { .equals = "b" } } } },
                                                         .order_by = &(PostOrderByInput){ .comments = { ._count = PRISMA_DESC } },
                                                         .order_by_len = 1 } } },
                      &l));
    ck_assert_int_eq(trace_count(), 2);
    ck_assert_uint_eq(l->len, 3);
    ck_assert_str_eq(post_ids(l->items[0].posts), "10,11"); /* 10 has 2 comments, 11 none */
    ck_assert_str_eq(post_ids(l->items[1].posts), "");
    ck_assert_str_eq(post_ids(l->items[2].posts), "");
    prisma_free(l);

    /* The same, the other way round, and only the first per user. */
    OK(user_find_many(db,
                      &(UserFindManyArgs){
                          .order_by = &(UserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1,
                          .include = &(UserInclude){ .posts_args = &(PostFindManyArgs){
                                                         .order_by = &(PostOrderByInput){ .comments = { ._count = PRISMA_ASC } },
                                                         .order_by_len = 1, .take = PRISMA_TAKE(1) } } },
                      &l));
    ck_assert_str_eq(post_ids(l->items[0].posts), "11");
    ck_assert_str_eq(post_ids(l->items[1].posts), "20");
    prisma_free(l);
}
END_TEST

START_TEST(relation_filter_inside_count)
{
    data();
    /* Posts counted per user, only those with a comment. */
    UserList *l = NULL;
    trace_reset();
    OK(user_find_many(db,
                      &(UserFindManyArgs){
                          .order_by = &(UserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1,
                          .include = &(UserInclude){ ._count_select = &(UserCountSelect){
                                                         .posts_where = &(PostWhereInput){
                                                             .comments = { .some = &(CommentWhereInput){ 0 } } } } } },
                      &l));
    ck_assert_int_eq(trace_count(), 2);
    ck_assert_int_eq(l->items[0]._count.posts, 1);
    ck_assert_int_eq(l->items[1]._count.posts, 1);
    ck_assert_int_eq(l->items[2]._count.posts, 0);
    prisma_free(l);
}
END_TEST

START_TEST(field_reference_inside_relation_filter)
{
    data();
    /* Users with a post whose views exceed its id: only Alice's 11 (50 > 11). */
    UserList *l = NULL;
    OK(user_find_many(db,
                      &(UserFindManyArgs){ .where = &(UserWhereInput){ .posts = { .some = &(PostWhereInput){
                                                                                    .views = { .ref = { .gt = POST_FIELD_ID } } } } } },
                      &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_int_eq(l->items[0].id, 1);
    prisma_free(l);
}
END_TEST

START_TEST(distinct_with_relation_filter_and_select)
{
    data();
    /* One user per city among the users who have a published post; only
     * the city read. */
    static const UserScalarField by_city[] = { USER_FIELD_CITY };
    UserList *l = NULL;
    OK(user_find_many(db,
                      &(UserFindManyArgs){
                          .where = &(UserWhereInput){ .posts = { .some = &(PostWhereInput){ .published = { .equals = PRISMA_BOOL(true) } } } },
                          .distinct = by_city, .distinct_len = 1,
                          .select = &(UserSelect){ .city = true } },
                      &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_str_eq(l->items[0].city, "Paris");
    ck_assert_ptr_null(l->items[0].email); /* not selected */
    prisma_free(l);
}
END_TEST

START_TEST(group_by_and_aggregate_over_relation_filter)
{
    data();
    /* Posts grouped by published, among those whose author is older than 35
     * (Bob's 20 only) or tagged "b" (10, 11). */
    static const PostScalarField by_published[] = { POST_FIELD_PUBLISHED };
    PostGroupByList *g = NULL;
    trace_reset();
    OK(post_group_by(db,
                     &(PostGroupByArgs){
                         .by = by_published, .by_len = 1,
                         .where = &(PostWhereInput){
                             .OR = (PostWhereInput[]){ { .author = { .is = &(UserWhereInput){ .age = { .gt = PRISMA_INT(35) } } } },
                                                       { .tags = { .some = &(TagWhereInput){ .name = { .equals = "b" } } } } },
                             .OR_len = 2 },
                         .order_by = &(PostGroupByOrderByInput){ .published = PRISMA_ASC }, .order_by_len = 1,
                         ._count = &(PostCountAggregateInput){ ._all = true },
                         ._sum = &(PostNumberAggregateInput){ .views = true } },
                     &g));
    ck_assert_int_eq(trace_count(), 1);
    ck_assert_uint_eq(g->len, 2);
    ck_assert(!g->items[0].published);
    ck_assert_int_eq(g->items[0]._count._all, 1); /* 11 */
    ck_assert_int_eq(*g->items[0]._sum.views, 50);
    ck_assert(g->items[1].published);
    ck_assert_int_eq(g->items[1]._count._all, 2); /* 10, 20 */
    ck_assert_int_eq(*g->items[1]._sum.views, 12);
    prisma_free(g);

    PostAggregate *a = NULL;
    OK(post_aggregate(db,
                      &(PostAggregateArgs){ .where = &(PostWhereInput){ .comments = { .none = &(CommentWhereInput){ 0 } } },
                                            ._count = &(PostCountAggregateInput){ ._all = true },
                                            ._max = &(PostMinMaxAggregateInput){ .views = true } },
                      &a));
    ck_assert_int_eq(a->_count._all, 1); /* 11 */
    ck_assert_int_eq(*a->_max.views, 50);
    prisma_free(a);
}
END_TEST

void add_combined_tests(TCase *tc)
{
    tcase_add_test(tc, relation_filter_and_ordering_inside_include);
    tcase_add_test(tc, relation_filter_inside_count);
    tcase_add_test(tc, field_reference_inside_relation_filter);
    tcase_add_test(tc, distinct_with_relation_filter_and_select);
    tcase_add_test(tc, group_by_and_aggregate_over_relation_filter);
}
