/* `_count` of relations in include and select, with a where per relation.
 * Ported from query-engine-tests queries/aggregation/uniq_count_relation.rs
 * and many_count_relation.rs (Post -> comments 1-n, categories m-n: here
 * Post -> comments, tags). */
#include "support.h"

/* uniq_count_relation.rs: no_rel_records */
START_TEST(no_rel_records)
{
    seed_user(1, "a@x", "a", 1, "");
    seed_post(1, 1, "a", false, 0);
    Post *p = NULL;
    OK(post_find_unique_with(db, &(PostFindUniqueArgs){ .where = &(PostWhereUniqueInput){ .id = PRISMA_INT(1) },
                                                        .select = &(PostSelect){ ._count = true } },
                             &p));
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->_count.comments, 0);
    ck_assert_int_eq(p->_count.tags, 0);
    ck_assert_ptr_null(p->title);
    post_free(p);
}
END_TEST

static void post_1_and_2(void)
{
    seed_user(1, "a@x", "a", 1, "");
    seed_post(1, 1, "a", false, 0);
    seed_post(2, 1, "b", false, 0);
    seed_comment(1, 1, "c1");
    for (int c = 2; c <= 4; c++)
        seed_comment(c, 2, "c");
    for (int t = 1; t <= 6; t++)
        seed_tag(t, "t");
    link_tag(1, 1);
    link_tag(1, 2);
    for (int t = 3; t <= 6; t++)
        link_tag(2, t);
}

/* uniq_count_relation.rs and many_count_relation.rs: count_one2m_m2m */
START_TEST(count_one2m_m2m)
{
    post_1_and_2();
    Post *p = NULL;
    OK(post_find_unique_with(db, &(PostFindUniqueArgs){ .where = &(PostWhereUniqueInput){ .id = PRISMA_INT(1) },
                                                        .select = &(PostSelect){ ._count = true } },
                             &p));
    ck_assert_int_eq(p->_count.comments, 1);
    ck_assert_int_eq(p->_count.tags, 2);
    post_free(p);
    /* Both posts at once, through include: one statement per relation. */
    PostList *l = NULL;
    static const PostOrderByInput by = { .id = PRISMA_ASC };
    trace_reset();
    OK(post_find_many(db, &(PostFindManyArgs){ .include = &(PostInclude){ ._count = true }, .order_by = &by,
                                              .order_by_len = 1 },
                      &l));
    ck_assert_int_eq(trace_count(), 3);
    ck_assert_int_eq((int)l->len, 2);
    ck_assert_int_eq(l->items[0]._count.comments, 1);
    ck_assert_int_eq(l->items[0]._count.tags, 2);
    ck_assert_int_eq(l->items[1]._count.comments, 3);
    ck_assert_int_eq(l->items[1]._count.tags, 4);
    ck_assert_str_eq(l->items[1].title, "b"); /* include: every field too */
    post_list_free(l);
}
END_TEST

/* uniq_count_relation.rs: count_with_filters (paginated relations do not change the count) */
START_TEST(count_with_filters)
{
    seed_user(1, "a@x", "a", 1, "");
    seed_post(1, 1, "a", false, 0);
    for (int c = 1; c <= 4; c++) {
        seed_comment(c, 1, "c");
        seed_tag(c, "t");
        link_tag(1, c);
    }
    Post *p = NULL;
    OK(post_find_unique_with(db, &(PostFindUniqueArgs){
                                     .where = &(PostWhereUniqueInput){ .id = PRISMA_INT(1) },
                                     .select = &(PostSelect){
                                         .comments_args = &(CommentFindManyArgs){ .cursor = &(CommentWhereUniqueInput){ .id = PRISMA_INT(1) },
                                                                                  .take = PRISMA_TAKE(1) },
                                         .tags_args = &(TagFindManyArgs){ .cursor = &(TagWhereUniqueInput){ .id = PRISMA_INT(1) },
                                                                          .take = PRISMA_TAKE(1) },
                                         ._count = true } },
                             &p));
    ck_assert_int_eq((int)p->comments->len, 1);
    ck_assert_int_eq(p->comments->items[0].id, 1);
    ck_assert_int_eq((int)p->tags->len, 1);
    ck_assert_int_eq(p->tags->items[0].id, 1);
    ck_assert_int_eq(p->_count.comments, 4);
    ck_assert_int_eq(p->_count.tags, 4);
    post_free(p);
}
END_TEST

/* uniq_count_relation.rs: nested_count_one2m_m2m (_count at every level) */
START_TEST(nested_count_one2m_m2m)
{
    seed_user(1, "a@x", "Bob", 1, "");
    seed_post(1, 1, "Wooow!", false, 0);
    seed_comment(1, 1, "Amazing");
    for (int t = 3; t <= 5; t++) {
        seed_tag(t, "t");
        link_tag(1, t);
    }
    User *u = NULL;
    OK(user_find_unique_with(db, &(UserFindUniqueArgs){
                                     .where = &(UserWhereUniqueInput){ .id = PRISMA_INT(1) },
                                     .select = &(UserSelect){
                                         .name = true, ._count = true,
                                         .posts_args = &(PostFindManyArgs){ .select = &(PostSelect){
                                             .title = true, .comments = true, .tags = true, ._count = true } } } },
                             &u));
    ck_assert_str_eq(u->name, "Bob");
    ck_assert_int_eq(u->_count.posts, 1);
    ck_assert_int_eq((int)u->posts->len, 1);
    ck_assert_str_eq(u->posts->items[0].title, "Wooow!");
    ck_assert_int_eq((int)u->posts->items[0].comments->len, 1);
    ck_assert_int_eq((int)u->posts->items[0].tags->len, 3);
    ck_assert_int_eq(u->posts->items[0]._count.comments, 1);
    ck_assert_int_eq(u->posts->items[0]._count.tags, 3);
    user_free(u);
}
END_TEST

/* _count with a where per relation, and only the chosen relations counted
 * (Prisma's `_count: { select: { posts: { where } } }`). */
START_TEST(count_select_with_where)
{
    post_1_and_2();
    seed_comment(5, 1, "keep");
    PostList *l = NULL;
    static const PostOrderByInput by = { .id = PRISMA_ASC };
    trace_reset();
    OK(post_find_many(db, &(PostFindManyArgs){
                              .order_by = &by, .order_by_len = 1,
                              .include = &(PostInclude){ ._count_select = &(PostCountSelect){
                                  .comments_where = &(CommentWhereInput){ .text = { .equals = "keep" } } } } },
                      &l));
    ck_assert_int_eq(trace_count(), 2); /* the posts, the comments' count; tags not counted */
    ck_assert_int_eq(l->items[0]._count.comments, 1);
    ck_assert_int_eq(l->items[1]._count.comments, 0);
    ck_assert_int_eq(l->items[0]._count.tags, 0);
    post_list_free(l);
}
END_TEST

/* many_count_relation.rs: no_rel_records (findMany) */
START_TEST(many_no_rel_records)
{
    seed_user(1, "a@x", "a", 1, "");
    seed_post(1, 1, "a", false, 0);
    PostList *l = NULL;
    OK(post_find_many(db, &(PostFindManyArgs){ .select = &(PostSelect){ ._count = true } }, &l));
    ck_assert_int_eq((int)l->len, 1);
    ck_assert_int_eq(l->items[0]._count.comments, 0);
    ck_assert_int_eq(l->items[0]._count.tags, 0);
    post_list_free(l);
}
END_TEST

/* many_count_relation.rs: works_with_inmemory_args_processing (cursor, skip,
 * take and _count; createdAt desc is id desc here) */
START_TEST(works_with_inmemory_args_processing)
{
    seed_user(1, "a@x", "a", 1, "");
    for (int p = 1; p <= 4; p++)
        seed_post(p, 1, "p", false, 0);
    seed_comment(1, 1, "c");
    seed_comment(2, 1, "c");
    for (int c = 3; c <= 6; c++)
        seed_comment(c, 2, "c");
    PostList *l = NULL;
    OK(post_find_many(db, &(PostFindManyArgs){ .order_by = &(PostOrderByInput){ .id = PRISMA_DESC }, .order_by_len = 1,
                                              .cursor = &(PostWhereUniqueInput){ .id = PRISMA_INT(4) }, .skip = 1,
                                              .take = PRISMA_TAKE(6),
                                              .select = &(PostSelect){ .id = true, ._count = true } },
                      &l));
    ck_assert_int_eq((int)l->len, 3);
    ck_assert_int_eq(l->items[0].id, 3);
    ck_assert_int_eq(l->items[0]._count.comments, 0);
    ck_assert_int_eq(l->items[1].id, 2);
    ck_assert_int_eq(l->items[1]._count.comments, 4);
    ck_assert_int_eq(l->items[2].id, 1);
    ck_assert_int_eq(l->items[2]._count.comments, 2);
    post_list_free(l);
}
END_TEST

/* many_count_relation.rs: count_one2m_dup_child_id (a to-one relation's
 * record shared by two parents, its _count read through select) */
START_TEST(count_one2m_dup_child_id)
{
    seed_user(1, "a@x", "a", 1, "");
    seed_post(1, 1, "hello", false, 0);
    seed_comment(1, 1, "c");
    seed_comment(2, 1, "c");
    CommentList *l = NULL;
    OK(comment_find_many(db, &(CommentFindManyArgs){ .select = &(CommentSelect){ .post_args = &(PostFindManyArgs){
                                                         .select = &(PostSelect){ .id = true, ._count = true } } } },
                         &l));
    ck_assert_int_eq((int)l->len, 2);
    for (int i = 0; i < 2; i++) {
        ck_assert_ptr_nonnull(l->items[i].post);
        ck_assert_int_eq(l->items[i].post->id, 1);
        ck_assert_int_eq(l->items[i].post->_count.comments, 2);
        ck_assert_ptr_null(l->items[i].post->title);
        ck_assert_int_eq(l->items[i].id, 0); /* not selected */
    }
    comment_list_free(l);
}
END_TEST

void add_count_tests(TCase *tc)
{
    tcase_add_test(tc, many_no_rel_records);
    tcase_add_test(tc, works_with_inmemory_args_processing);
    tcase_add_test(tc, count_one2m_dup_child_id);
    tcase_add_test(tc, no_rel_records);
    tcase_add_test(tc, count_one2m_m2m);
    tcase_add_test(tc, count_with_filters);
    tcase_add_test(tc, nested_count_one2m_m2m);
    tcase_add_test(tc, count_select_with_where);
}
