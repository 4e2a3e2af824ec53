/* Relation filters: some / every / none, is / is_not / is_null / is_not_null
 * (issue 13, item 3). Ported from prisma-engines query-engine-tests,
 * queries/filters/one_relation.rs and many_relation.rs; our own cases (self
 * relations, every place a where input goes, errors, statement counts) say so. */
#include "relfilter.h"

/* ---- one_relation.rs ---- */

/* one_relation.rs::test_data: three blogs, each with a post with a comment. */
static void or_data(void)
{
    static const char *const names[] = { "blog 1", "blog 2", "blog 3" };
    static const char *const titles[] = { "post 1", "post 2", "post 3" };
    static const char *const texts[] = { "comment 1", "comment 2", "comment 3" };
    static const int pop[] = { 10, 100, 1000 };
    for (int i = 0; i < 3; i++) {
        OK(or_blog_create(db, &(OrBlogCreateInput){ .id = PRISMA_INT(i + 1), .name = names[i] }, NULL));
        OK(or_post_create(db, &(OrPostCreateInput){ .id = PRISMA_INT(i + 1), .title = titles[i],
                                                    .popularity = PRISMA_INT(pop[i]), .blogId = PRISMA_INT(i + 1) },
                          NULL));
        OK(or_comment_create(db, &(OrCommentCreateInput){ .id = PRISMA_INT(i + 1), .text = texts[i],
                                                          .likes = PRISMA_INT(pop[i]), .postId = PRISMA_INT(i + 1) },
                             NULL));
    }
}

static const char *or_posts(const OrPostWhereInput *w)
{
    OrPostList *l = NULL;
    OK(or_post_find_many(db, &(OrPostFindManyArgs){ .where = w,
                                                    .order_by = &(OrPostOrderByInput){ .id = PRISMA_ASC },
                                                    .order_by_len = 1 }, &l));
    const char *s = NAMES(l, OrPost, title);
    or_post_list_free(l);
    return s;
}

static const char *or_blogs(const OrBlogWhereInput *w)
{
    OrBlogList *l = NULL;
    OK(or_blog_find_many(db, &(OrBlogFindManyArgs){ .where = w,
                                                    .order_by = &(OrBlogOrderByInput){ .id = PRISMA_ASC },
                                                    .order_by_len = 1 }, &l));
    const char *s = NAMES(l, OrBlog, name);
    or_blog_list_free(l);
    return s;
}

/* one_relation.rs::l1_one_rel (and l1_one_rel_shorthands: the same filters) */
START_TEST(one_relation_l1_one_rel)
{
    or_data();
    ck_assert_str_eq(or_posts(&(OrPostWhereInput){ .title = { .equals = "post 2" } }), "post 2");
    ck_assert_str_eq(or_posts(&(OrPostWhereInput){ .blog = { .is = &(OrBlogWhereInput){ .name = { .equals = "blog 1" } } } }),
                     "post 1");
    ck_assert_str_eq(
        or_blogs(&(OrBlogWhereInput){ .post = { .is = &(OrPostWhereInput){ .popularity = { .gte = PRISMA_INT(100) } } } }),
        "blog 2,blog 3");
    ck_assert_str_eq(
        or_blogs(&(OrBlogWhereInput){ .post = { .is = &(OrPostWhereInput){ .popularity = { .gte = PRISMA_INT(500) } } } }),
        "blog 3");
    ck_assert_str_eq(
        or_blogs(&(OrBlogWhereInput){ .post = { .is_not = &(OrPostWhereInput){ .popularity = { .gte = PRISMA_INT(500) } } } }),
        "blog 1,blog 2");
    OK(or_post_create(db, &(OrPostCreateInput){ .id = PRISMA_INT(4), .title = "Post 4", .popularity = PRISMA_INT(5) }, NULL));
    ck_assert_str_eq(or_posts(&(OrPostWhereInput){ .blog = { .is_null = true } }), "Post 4");
    ck_assert_str_eq(or_posts(&(OrPostWhereInput){ .blog = { .is_not_null = true } }), "post 1,post 2,post 3");
    /* Our own: the back side (Blog.post: the other side holds the key). */
    OK(or_blog_create(db, &(OrBlogCreateInput){ .id = PRISMA_INT(4), .name = "blog 4" }, NULL));
    ck_assert_str_eq(or_blogs(&(OrBlogWhereInput){ .post = { .is_null = true } }), "blog 4");
    ck_assert_str_eq(or_blogs(&(OrBlogWhereInput){ .post = { .is_not_null = true } }), "blog 1,blog 2,blog 3");
    /* is_not holds where there is no related record (Prisma: NOT cond OR no row). */
    ck_assert_str_eq(
        or_blogs(&(OrBlogWhereInput){ .post = { .is_not = &(OrPostWhereInput){ .popularity = { .gte = PRISMA_INT(500) } } } }),
        "blog 1,blog 2,blog 4");
}
END_TEST

/* one_relation.rs::l2_one_rel */
START_TEST(one_relation_l2_one_rel)
{
    or_data();
    ck_assert_str_eq(or_blogs(&(OrBlogWhereInput){ .post = { .is = &(OrPostWhereInput){
                         .comment = { .is = &(OrCommentWhereInput){ .likes = { .equals = PRISMA_INT(10) } } } } } }),
                     "blog 1");
    ck_assert_str_eq(or_blogs(&(OrBlogWhereInput){ .post = { .is = &(OrPostWhereInput){
                         .comment = { .is = &(OrCommentWhereInput){ .likes = { .equals = PRISMA_INT(1000) } } } } } }),
                     "blog 3");
}
END_TEST

/* one_relation.rs::crazy_filters */
START_TEST(one_relation_crazy_filters)
{
    or_data();
    ck_assert_str_eq(
        or_posts(&(OrPostWhereInput){
            .blog = { .is = &(OrBlogWhereInput){
                          .post = { .is = &(OrPostWhereInput){ .popularity = { .gte = PRISMA_INT(10) } } },
                          .name = { .contains = "blog 1" } } },
            .comment = { .is = &(OrCommentWhereInput){ .likes = { .gte = PRISMA_INT(5), .lte = PRISMA_INT(200) } } } }),
        "post 1");
}
END_TEST

/* ---- many_relation.rs ---- */

/* many_relation.rs::test_data */
static void mr_data(void)
{
    OK(mr_blog_create(db, &(MrBlogCreateInput){ .id = PRISMA_INT(1), .name = "blog 1" }, NULL));
    OK(mr_blog_create(db, &(MrBlogCreateInput){ .id = PRISMA_INT(2), .name = "blog 2" }, NULL));
    static const struct { int id, pop, blog; const char *title; } posts[] = {
        { 1, 10, 1, "post 1" }, { 2, 2, 1, "post 2" }, { 3, 1000, 2, "post 3" } };
    for (int i = 0; i < 3; i++)
        OK(mr_post_create(db, &(MrPostCreateInput){ .id = PRISMA_INT(posts[i].id), .title = posts[i].title,
                                                     .popularity = PRISMA_INT(posts[i].pop),
                                                     .blogId = PRISMA_INT(posts[i].blog) }, NULL));
    static const struct { int id, likes, post; const char *text; } comments[] = {
        { 1, 0, 1, "comment 1" }, { 2, 5, 1, "comment 2" }, { 3, 10, 1, "comment 3" },
        { 4, 10, 2, "comment 4" }, { 5, 1000, 3, "comment 5" } };
    for (int i = 0; i < 5; i++)
        OK(mr_comment_create(db, &(MrCommentCreateInput){ .id = PRISMA_INT(comments[i].id), .text = comments[i].text,
                                                          .likes = PRISMA_INT(comments[i].likes),
                                                          .postId = PRISMA_INT(comments[i].post) }, NULL));
}

static const char *mr_blogs(const MrBlogWhereInput *w)
{
    MrBlogList *l = NULL;
    OK(mr_blog_find_many(db, &(MrBlogFindManyArgs){ .where = w,
                                                    .order_by = &(MrBlogOrderByInput){ .id = PRISMA_ASC },
                                                    .order_by_len = 1 }, &l));
    const char *s = NAMES(l, MrBlog, name);
    mr_blog_list_free(l);
    return s;
}

#define POSTS_SOME(...) (&(MrBlogWhereInput){ .posts = { .some = &(MrPostWhereInput){ __VA_ARGS__ } } })
#define POSTS_EVERY(...) (&(MrBlogWhereInput){ .posts = { .every = &(MrPostWhereInput){ __VA_ARGS__ } } })
#define POSTS_NONE(...) (&(MrBlogWhereInput){ .posts = { .none = &(MrPostWhereInput){ __VA_ARGS__ } } })
#define C_SOME(...) .comments = { .some = &(MrCommentWhereInput){ __VA_ARGS__ } }
#define C_EVERY(...) .comments = { .every = &(MrCommentWhereInput){ __VA_ARGS__ } }
#define C_NONE(...) .comments = { .none = &(MrCommentWhereInput){ __VA_ARGS__ } }
#define LIKES_EQ(n) .likes = { .equals = PRISMA_INT(n) }
#define LIKES_GTE(n) .likes = { .gte = PRISMA_INT(n) }

/* many_relation.rs::l1_1_rel */
START_TEST(many_relation_l1_1_rel)
{
    mr_data();
    MrPostList *l = NULL;
    OK(mr_post_find_many(db, &(MrPostFindManyArgs){
        .where = &(MrPostWhereInput){ .blog = { .is = &(MrBlogWhereInput){ .name = { .equals = "blog 1" } } } },
        .order_by = &(MrPostOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
    ck_assert_str_eq(NAMES(l, MrPost, title), "post 1,post 2");
    mr_post_list_free(l);
}
END_TEST

/* many_relation.rs::l1_m_rel_some */
START_TEST(many_relation_l1_m_rel_some)
{
    mr_data();
    ck_assert_str_eq(mr_blogs(POSTS_SOME(.popularity = { .gte = PRISMA_INT(5) })), "blog 1,blog 2");
    ck_assert_str_eq(mr_blogs(POSTS_SOME(.popularity = { .gte = PRISMA_INT(50) })), "blog 2");
    ck_assert_str_eq(mr_blogs(POSTS_SOME(.AND = (MrPostWhereInput[]){ { .title = { .equals = "post 1" } },
                                                                     { .title = { .equals = "post 2" } } },
                                         .AND_len = 2)),
                     "");
    ck_assert_str_eq(mr_blogs(&(MrBlogWhereInput){
                         .AND = (MrBlogWhereInput[]){
                             { .posts = { .some = &(MrPostWhereInput){ .title = { .equals = "post 1" } } } },
                             { .posts = { .some = &(MrPostWhereInput){ .title = { .equals = "post 2" } } } } },
                         .AND_len = 2 }),
                     "blog 1");
    ck_assert_str_eq(mr_blogs(POSTS_SOME(.AND = (MrPostWhereInput[]){ { .title = { .equals = "post 1" } },
                                                                     { .popularity = { .gte = PRISMA_INT(2) } } },
                                         .AND_len = 2)),
                     "blog 1");
}
END_TEST

/* many_relation.rs::l1_m_rel_every */
START_TEST(many_relation_l1_m_rel_every)
{
    mr_data();
    ck_assert_str_eq(mr_blogs(POSTS_EVERY(.popularity = { .gte = PRISMA_INT(2) })), "blog 1,blog 2");
    ck_assert_str_eq(mr_blogs(POSTS_EVERY(.popularity = { .gte = PRISMA_INT(3) })), "blog 2");
    /* Our own: every holds on a blog with no post at all. */
    OK(mr_blog_create(db, &(MrBlogCreateInput){ .id = PRISMA_INT(3), .name = "blog 3" }, NULL));
    ck_assert_str_eq(mr_blogs(POSTS_EVERY(.popularity = { .gte = PRISMA_INT(3) })), "blog 2,blog 3");
}
END_TEST

/* many_relation.rs::l1_m_rel_none */
START_TEST(many_relation_l1_m_rel_none)
{
    mr_data();
    ck_assert_str_eq(mr_blogs(POSTS_NONE(.popularity = { .gte = PRISMA_INT(50) })), "blog 1");
    ck_assert_str_eq(mr_blogs(POSTS_NONE(.popularity = { .gte = PRISMA_INT(5) })), "");
}
END_TEST

/* many_relation.rs::l2_m_rel_some_some */
START_TEST(many_relation_l2_m_rel_some_some)
{
    mr_data();
    ck_assert_str_eq(mr_blogs(POSTS_SOME(C_SOME(LIKES_EQ(0)))), "blog 1");
    ck_assert_str_eq(mr_blogs(POSTS_SOME(C_SOME(LIKES_EQ(1)))), "");
}
END_TEST

/* many_relation.rs::l2_m_rel_all */
START_TEST(many_relation_l2_m_rel_all)
{
    mr_data();
    ck_assert_str_eq(mr_blogs(POSTS_SOME(C_EVERY(LIKES_GTE(0)))), "blog 1,blog 2");
    ck_assert_str_eq(mr_blogs(POSTS_SOME(C_EVERY(LIKES_EQ(0)))), "");
    ck_assert_str_eq(mr_blogs(POSTS_SOME(C_NONE(LIKES_EQ(0)))), "blog 1,blog 2");
    ck_assert_str_eq(mr_blogs(POSTS_SOME(C_NONE(LIKES_GTE(0)))), "");
    ck_assert_str_eq(mr_blogs(POSTS_EVERY(C_SOME(LIKES_EQ(10)))), "blog 1");
    ck_assert_str_eq(mr_blogs(POSTS_EVERY(C_SOME(LIKES_EQ(0)))), "");
    ck_assert_str_eq(mr_blogs(POSTS_EVERY(C_EVERY(LIKES_GTE(0)))), "blog 1,blog 2");
    ck_assert_str_eq(mr_blogs(POSTS_EVERY(C_EVERY(LIKES_EQ(0)))), "");
    ck_assert_str_eq(mr_blogs(POSTS_EVERY(C_NONE(LIKES_GTE(100)))), "blog 1");
    ck_assert_str_eq(mr_blogs(POSTS_EVERY(C_NONE(LIKES_EQ(0)))), "blog 2");
    ck_assert_str_eq(mr_blogs(POSTS_NONE(C_SOME(LIKES_GTE(100)))), "blog 1");
    ck_assert_str_eq(mr_blogs(POSTS_NONE(C_SOME(LIKES_EQ(0)))), "blog 2");
    ck_assert_str_eq(mr_blogs(POSTS_NONE(C_EVERY(LIKES_GTE(11)))), "blog 1");
    ck_assert_str_eq(mr_blogs(POSTS_NONE(C_EVERY(LIKES_GTE(0)))), "");
    ck_assert_str_eq(mr_blogs(POSTS_NONE(C_NONE(LIKES_GTE(0)))), "blog 1,blog 2");
    ck_assert_str_eq(mr_blogs(POSTS_NONE(C_NONE(LIKES_GTE(11)))), "blog 2");
}
END_TEST

static const char *m2_blogs(const M2BlogWhereInput *w)
{
    M2BlogList *l = NULL;
    OK(m2_blog_find_many(db, &(M2BlogFindManyArgs){ .where = w, .order_by = &(M2BlogOrderByInput){ .id = PRISMA_ASC },
                                                    .order_by_len = 1 }, &l));
    const char *s = NAMES(l, M2Blog, name);
    m2_blog_list_free(l);
    return s;
}

static const char *sr_users(const SrUserWhereInput *w)
{
    SrUserList *l = NULL;
    OK(sr_user_find_many(db, &(SrUserFindManyArgs){ .where = w, .order_by = &(SrUserOrderByInput){ .id = PRISMA_ASC },
                                                    .order_by_len = 1 }, &l));
    const char *s = IDS(l, SrUser);
    sr_user_list_free(l);
    return s;
}

/* many_relation.rs::l2_m_1_rel_all */
START_TEST(many_relation_l2_m_1_rel_all)
{
    static const char *const names[] = { "blog1", "blog2", "blog3", "blog4" };
    for (int i = 0; i < 4; i++)
        OK(m2_blog_create(db, &(M2BlogCreateInput){ .id = PRISMA_INT(i + 1), .name = names[i] }, NULL));
    static const int blog_of[] = { 0, 1, 1, 1, 2, 2, 3, 3 };
    for (int p = 1; p <= 7; p++)
        OK(m2_post_create(db, &(M2PostCreateInput){ .id = PRISMA_INT(p), .blogId = PRISMA_INT(blog_of[p]) }, NULL));
    static const int pop[] = { 0, 10, 50, 100, 1000, 1000 };
    for (int c = 1; c <= 5; c++)
        OK(m2_comment_create(db, &(M2CommentCreateInput){ .id = PRISMA_INT(c), .popularity = PRISMA_INT(pop[c]),
                                                          .postId = PRISMA_INT(c) }, NULL));
#define M2(...) m2_blogs(&(M2BlogWhereInput){ __VA_ARGS__ })
#define COMMENT_IS(...) .comment = { .is = &(M2CommentWhereInput){ __VA_ARGS__ } }
#define COMMENT_IS_NOT(...) .comment = { .is_not = &(M2CommentWhereInput){ __VA_ARGS__ } }
    ck_assert_str_eq(M2(.posts = { .some = &(M2PostWhereInput){ COMMENT_IS(.popularity = { .lt = PRISMA_INT(1000) }) } }),
                     "blog1");
    ck_assert_str_eq(M2(.posts = { .some = &(M2PostWhereInput){ COMMENT_IS_NOT(.popularity = { .gt = PRISMA_INT(100) }) } }),
                     "blog1,blog3");
    ck_assert_str_eq(M2(.posts = { .none = &(M2PostWhereInput){ COMMENT_IS(.popularity = { .lt = PRISMA_INT(1000) }) } }),
                     "blog2,blog3,blog4");
    ck_assert_str_eq(M2(.posts = { .none = &(M2PostWhereInput){ COMMENT_IS_NOT(.popularity = { .gt = PRISMA_INT(100) }) } }),
                     "blog2,blog4");
    ck_assert_str_eq(M2(.posts = { .every = &(M2PostWhereInput){ COMMENT_IS(.popularity = { .gte = PRISMA_INT(1000) }) } }),
                     "blog2,blog4");
    ck_assert_str_eq(
        M2(.posts = { .every = &(M2PostWhereInput){ COMMENT_IS_NOT(.popularity = { .gte = PRISMA_INT(1000) }) } }),
        "blog1,blog3,blog4");
#undef M2
}
END_TEST

/* many_relation.rs::m2m_join_relation_1level */
START_TEST(many_relation_m2m_join_relation_1level)
{
    OK(mm_post_create(db, &(MmPostCreateInput){ .id = PRISMA_INT(1), .title = "Title1" }, NULL));
    OK(mm_post_create(db, &(MmPostCreateInput){ .id = PRISMA_INT(2), .title = "Title2" }, NULL));
    const MmPostWhereUniqueInput both[] = { { .title = "Title1" }, { .title = "Title2" } };
    OK(mm_user_create(db, &(MmUserCreateInput){ .id = PRISMA_INT(1), .name = "Author1",
                                                .posts = { .connect = both, .connect_len = 2 } }, NULL));
    OK(mm_user_create(db, &(MmUserCreateInput){ .id = PRISMA_INT(2), .name = "Author2",
                                                .posts = { .connect = both, .connect_len = 2 } }, NULL));
    OK(mm_user_create(db, &(MmUserCreateInput){ .id = PRISMA_INT(3), .name = "Author3" }, NULL));
    MmUserList *l = NULL;
    OK(mm_user_find_many(db, &(MmUserFindManyArgs){
        .where = &(MmUserWhereInput){ .name = { .starts_with = "Author2" },
                                      .posts = { .some = &(MmPostWhereInput){ .title = { .ends_with = "1" } } } },
        .order_by = &(MmUserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
    ck_assert_str_eq(NAMES(l, MmUser, name), "Author2");
    mm_user_list_free(l);
    /* Our own: every / none through the join table, and the other side. */
    OK(mm_user_find_many(db, &(MmUserFindManyArgs){
        .where = &(MmUserWhereInput){ .posts = { .every = &(MmPostWhereInput){ .title = { .ends_with = "1" } } } },
        .order_by = &(MmUserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
    ck_assert_str_eq(NAMES(l, MmUser, name), "Author3");
    mm_user_list_free(l);
    OK(mm_user_find_many(db, &(MmUserFindManyArgs){
        .where = &(MmUserWhereInput){ .posts = { .none = &(MmPostWhereInput){ .title = { .equals = "Title2" } } } },
        .order_by = &(MmUserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
    ck_assert_str_eq(NAMES(l, MmUser, name), "Author3");
    mm_user_list_free(l);
    int64_t n = 0;
    OK(mm_post_count(db, &(MmPostWhereInput){ .authors = { .some = &(MmUserWhereInput){ .name = { .equals = "Author1" } } } },
                     &n));
    ck_assert_int_eq(n, 2);
}
END_TEST

/* ---- our own ---- */

/* Self-relations: every subquery has its own alias, at any depth. */
START_TEST(self_relations)
{
    /* 1 boss; 2, 3 report to 1; 4 reports to 2. Friends: 1-2, 2-3. */
    OK(sr_user_create(db, &(SrUserCreateInput){ .id = PRISMA_INT(1), .name = "boss" }, NULL));
    OK(sr_user_create(db, &(SrUserCreateInput){ .id = PRISMA_INT(2), .name = "ann", .managerId = PRISMA_INT(1) }, NULL));
    OK(sr_user_create(db, &(SrUserCreateInput){ .id = PRISMA_INT(3), .name = "bob", .managerId = PRISMA_INT(1) }, NULL));
    OK(sr_user_create(db, &(SrUserCreateInput){ .id = PRISMA_INT(4), .name = "cid", .managerId = PRISMA_INT(2) }, NULL));
    OK(sr_user_update(db, &(SrUserWhereUniqueInput){ .id = PRISMA_INT(1) },
                      &(SrUserUpdateInput){ .friends = { .connect = &(SrUserWhereUniqueInput){ .id = PRISMA_INT(2) },
                                                         .connect_len = 1 } }, NULL));
    OK(sr_user_update(db, &(SrUserWhereUniqueInput){ .id = PRISMA_INT(2) },
                      &(SrUserUpdateInput){ .friends = { .connect = &(SrUserWhereUniqueInput){ .id = PRISMA_INT(3) },
                                                         .connect_len = 1 } }, NULL));
#define SR(...) sr_users(&(SrUserWhereInput){ __VA_ARGS__ })
    /* whose manager is managed by the boss */
    ck_assert_str_eq(SR(.manager = { .is = &(SrUserWhereInput){
                            .manager = { .is = &(SrUserWhereInput){ .name = { .equals = "boss" } } } } }),
                     "4");
    ck_assert_str_eq(SR(.manager = { .is_null = true }), "1");
    /* managers of someone who manages someone */
    ck_assert_str_eq(SR(.reports = { .some = &(SrUserWhereInput){ .reports = { .some = &(SrUserWhereInput){ 0 } } } }), "1");
    /* every report has no reports: 2 has one (4), so not 2 */
    ck_assert_str_eq(SR(.reports = { .every = &(SrUserWhereInput){ .reports = { .none = &(SrUserWhereInput){ 0 } } } }),
                     "2,3,4");
    /* m-n on one model: friends (A side) and friendOf (B side) */
    ck_assert_str_eq(SR(.friends = { .some = &(SrUserWhereInput){ .name = { .equals = "ann" } } }), "1");
    ck_assert_str_eq(SR(.friendOf = { .some = &(SrUserWhereInput){ .name = { .equals = "ann" } } }), "3");
    ck_assert_str_eq(SR(.friends = { .some = &(SrUserWhereInput){
                            .friends = { .some = &(SrUserWhereInput){ .manager = { .is = &(SrUserWhereInput){
                                                                          .id = { .equals = PRISMA_INT(1) } } } } } } }),
                     "1");
    /* with OR / NOT around them */
    ck_assert_str_eq(SR(.OR = (SrUserWhereInput[]){ { .manager = { .is_null = true } },
                                                    { .reports = { .some = &(SrUserWhereInput){ 0 } } } },
                        .OR_len = 2),
                     "1,2");
    ck_assert_str_eq(SR(.NOT = &(SrUserWhereInput){ .reports = { .some = &(SrUserWhereInput){ 0 } } }, .NOT_len = 1),
                     "3,4");
#undef SR
}
END_TEST

/* Every place a where input goes: count, update_many, delete_many, a nested
 * update_many / delete_many, a transaction, a batch. */
START_TEST(relation_filters_everywhere)
{
    mr_data();
    const MrBlogWhereInput *has_zero = POSTS_SOME(C_SOME(LIKES_EQ(0)));
    int64_t n = 0;
    OK(mr_blog_count(db, has_zero, &n));
    ck_assert_int_eq(n, 1);
    OK(mr_blog_update_many(db, has_zero, &(MrBlogUpdateInput){ .name = "zero" }, &n));
    ck_assert_int_eq(n, 1);
    ck_assert_str_eq(mr_blogs(&(MrBlogWhereInput){ .name = { .equals = "zero" } }), "zero");
    /* nested: the blog's posts that have a comment with 10 likes */
    OK(mr_blog_update(db, &(MrBlogWhereUniqueInput){ .id = PRISMA_INT(1) },
                      &(MrBlogUpdateInput){ .posts = { .update_many = &(MrPostUpdateManyWithWhereInput){
                                                           .where = &(MrPostWhereInput){ C_SOME(LIKES_EQ(10)) },
                                                           .data = &(MrPostUpdateInput){ .title = "ten" } },
                                                       .update_many_len = 1 } }, NULL));
    MrPostList *pl = NULL;
    OK(mr_post_find_many(db, &(MrPostFindManyArgs){ .where = &(MrPostWhereInput){ .title = { .equals = "ten" } },
                                                    .order_by = &(MrPostOrderByInput){ .id = PRISMA_ASC },
                                                    .order_by_len = 1 }, &pl));
    ck_assert_str_eq(IDS(pl, MrPost), "1,2");
    mr_post_list_free(pl);
    /* in a transaction and a batch */
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    OK(mr_blog_count(tx, POSTS_EVERY(.popularity = { .gte = PRISMA_INT(100) }), &n));
    ck_assert_int_eq(n, 1);
    OK(prisma_tx_commit(tx));
    prisma_tx_free(tx);
    prisma_batch *b = NULL;
    int64_t bn = -1;
    MrBlogList *bl = NULL;
    OK(prisma_batch_new(db, &b));
    OK(mr_blog_batch_count(b, POSTS_NONE(.popularity = { .gte = PRISMA_INT(100) }), &bn));
    OK(mr_blog_batch_find_many(b, &(MrBlogFindManyArgs){ .where = POSTS_SOME(.title = { .equals = "post 3" }) }, &bl));
    OK(prisma_batch_run(b, NULL, NULL));
    prisma_batch_free(b);
    ck_assert_int_eq(bn, 1);
    ck_assert_str_eq(IDS(bl, MrBlog), "2");
    mr_blog_list_free(bl);
    /* delete_many: comments of posts of blog 2, then a nested delete_many */
    OK(mr_comment_delete_many(db, &(MrCommentWhereInput){ .post = { .is = &(MrPostWhereInput){
                                                              .blog = { .is = &(MrBlogWhereInput){ .id = { .equals = PRISMA_INT(2) } } } } } },
                              &n));
    ck_assert_int_eq(n, 1);
    OK(mr_post_update(db, &(MrPostWhereUniqueInput){ .id = PRISMA_INT(1) },
                      &(MrPostUpdateInput){ .comments = { .delete_many = &(MrCommentWhereInput){
                                                              .post = { .is = &(MrPostWhereInput){ .popularity = { .equals = PRISMA_INT(10) } } },
                                                              LIKES_GTE(5) },
                                                          .delete_many_len = 1 } }, NULL));
    OK(mr_comment_count(db, NULL, &n));
    ck_assert_int_eq(n, 2); /* comment 1 (post 1, 0 likes) and comment 4 (post 2) */
}
END_TEST

/* Bad relation filters: Prisma's P2009, nothing sent. */
START_TEST(relation_filter_errors)
{
    MrPostList *pl = NULL;
    OrPostList *ol = NULL;
    MrBlogList *bl = NULL;
    int64_t n = 0;
    trace_start();
    /* A required relation takes no null (MrPost.blog). */
    FAILS(mr_post_find_many(db, &(MrPostFindManyArgs){ .where = &(MrPostWhereInput){ .blog = { .is_null = true } } }, &pl),
          "P2009", "must not be null");
    FAILS(mr_post_count(db, &(MrPostWhereInput){ .blog = { .is_not_null = true } }, &n), "P2009", "must not be null");
    /* is and is_null at once */
    FAILS(or_post_find_many(db, &(OrPostFindManyArgs){ .where = &(OrPostWhereInput){
                                .blog = { .is = &(OrBlogWhereInput){ 0 }, .is_null = true } } }, &ol),
          "P2009", "both");
    /* a bad value deep inside is reported as at the top */
    FAILS(mr_blog_find_many(db, &(MrBlogFindManyArgs){ .where = POSTS_SOME(C_SOME(.likes = { .equals = PRISMA_INT_NULL })) },
                            &bl),
          "P2009", NULL);
    ck_assert_int_eq(trace_stop(), 0);
    ck_assert_ptr_null(pl);
    ck_assert_ptr_null(ol);
    ck_assert_ptr_null(bl);
}
END_TEST

/* Fixed statement counts: some / every / none nested two levels is one
 * statement, with 10 blogs or 1,000. */
static void seed_blogs(int n)
{
    MrBlogCreateInput *blogs = calloc((size_t)n, sizeof *blogs);
    MrPostCreateInput *posts = calloc((size_t)n * 2, sizeof *posts);
    MrCommentCreateInput *comments = calloc((size_t)n * 2, sizeof *comments);
    ck_assert_ptr_nonnull(blogs);
    ck_assert_ptr_nonnull(posts);
    ck_assert_ptr_nonnull(comments);
    for (int i = 0; i < n; i++) {
        blogs[i] = (MrBlogCreateInput){ .id = PRISMA_INT(i + 1), .name = "b" };
        for (int k = 0; k < 2; k++) {
            int p = 2 * i + k + 1;
            posts[p - 1] = (MrPostCreateInput){ .id = PRISMA_INT(p), .title = "p", .popularity = PRISMA_INT(i % 7),
                                                .blogId = PRISMA_INT(i + 1) };
            comments[p - 1] = (MrCommentCreateInput){ .id = PRISMA_INT(p), .likes = PRISMA_INT(p % 5),
                                                      .postId = PRISMA_INT(p) };
        }
    }
    OK(mr_blog_create_many(db, blogs, (size_t)n, false, NULL));
    OK(mr_post_create_many(db, posts, (size_t)n * 2, false, NULL));
    OK(mr_comment_create_many(db, comments, (size_t)n * 2, false, NULL));
    free(blogs);
    free(posts);
    free(comments);
}

START_TEST(one_statement_whatever_the_rows)
{
    static const int sizes[] = { 10, 1000 };
    for (int s = 0; s < 2; s++) {
        if (s)
            ck_assert_int_eq(testdb_truncate(url, (const char *const[]){ "MrComment", "MrPost", "MrBlog" }, 3), 0);
        seed_blogs(sizes[s]);
        const MrBlogWhereInput w = {
            .posts = { .some = &(MrPostWhereInput){ C_EVERY(LIKES_GTE(1)) },
                       .none = &(MrPostWhereInput){ C_SOME(LIKES_EQ(4)), .popularity = { .equals = PRISMA_INT(6) } } },
        };
        MrBlogList *l = NULL;
        trace_start();
        OK(mr_blog_find_many(db, &(MrBlogFindManyArgs){ .where = &w, .order_by = &(MrBlogOrderByInput){ .id = PRISMA_ASC },
                                                        .order_by_len = 1 }, &l));
        ck_assert_int_eq(trace_stop(), 1);
        ck_assert_ptr_nonnull(strstr(trace_last(), "EXISTS"));
        /* The same answer computed here: blog i has posts 2i+1, 2i+2 with one comment each (likes p % 5). */
        size_t expect = 0;
        for (int i = 0; i < sizes[s]; i++) {
            int p1 = 2 * i + 1, p2 = 2 * i + 2;
            bool some = p1 % 5 >= 1 || p2 % 5 >= 1;
            bool none = !(i % 7 == 6 && (p1 % 5 == 4 || p2 % 5 == 4));
            expect += some && none;
        }
        ck_assert_uint_eq(l->len, expect);
        mr_blog_list_free(l);
        int64_t n = 0;
        trace_start();
        OK(mr_blog_count(db, &w, &n));
        ck_assert_int_eq(trace_stop(), 1);
        ck_assert_int_eq(n, (int64_t)expect);
    }
}
END_TEST

void relfilter_filter_tests(TCase *tc)
{
    tcase_add_test(tc, one_relation_l1_one_rel);
    tcase_add_test(tc, one_relation_l2_one_rel);
    tcase_add_test(tc, one_relation_crazy_filters);
    tcase_add_test(tc, many_relation_l1_1_rel);
    tcase_add_test(tc, many_relation_l1_m_rel_some);
    tcase_add_test(tc, many_relation_l1_m_rel_every);
    tcase_add_test(tc, many_relation_l1_m_rel_none);
    tcase_add_test(tc, many_relation_l2_m_rel_some_some);
    tcase_add_test(tc, many_relation_l2_m_rel_all);
    tcase_add_test(tc, many_relation_l2_m_1_rel_all);
    tcase_add_test(tc, many_relation_m2m_join_relation_1level);
    tcase_add_test(tc, self_relations);
    tcase_add_test(tc, relation_filters_everywhere);
    tcase_add_test(tc, relation_filter_errors);
    tcase_add_test(tc, one_statement_whatever_the_rows);
}
