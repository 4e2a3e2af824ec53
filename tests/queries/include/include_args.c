/* Include with arguments at any depth: where, order_by, skip, take, cursor
 * per parent record, nested includes and selects, to-one arguments refused.
 * Ported from query-engine-tests
 * queries/order_and_pagination/nested_pagination.rs (Top -> Middle -> Bottom
 * is User -> Post -> Comment here: T1 is user 1 "T1", M12 post 12 of it,
 * B121 comment 121 of that post). */
#include "support.h"

#include <stdio.h>

/* nested_pagination.rs: create_test_data. */
static void nested_data(void)
{
    for (int t = 1; t <= 3; t++) {
        char s[16], e[16];
        snprintf(s, sizeof s, "T%d", t);
        snprintf(e, sizeof e, "%d@x", t);
        seed_user(t, e, s, t, "");
        for (int m = 1; m <= 3; m++) {
            snprintf(s, sizeof s, "M%d%d", t, m);
            seed_post(t * 10 + m, t, s, false, m);
            for (int b = 1; b <= 3; b++) {
                snprintf(s, sizeof s, "B%d%d%d", t, m, b);
                seed_comment(t * 100 + m * 10 + b, t * 10 + m, s);
            }
        }
    }
}

/* The users' posts as "M11,M12|M21|..." (users in order, '|' between). */
static void render_mid(const UserList *l, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < l->len; i++) {
        n += (size_t)snprintf(out + n, cap - n, "%s", i ? "|" : "");
        const PostList *p = l->items[i].posts;
        ck_assert_ptr_nonnull(p);
        for (size_t j = 0; j < p->len; j++)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", j ? "," : "", p->items[j].title);
    }
}

/* The comments: posts separated by ';', users by '|'. */
static void render_bottom(const UserList *l, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < l->len; i++) {
        n += (size_t)snprintf(out + n, cap - n, "%s", i ? "|" : "");
        const PostList *p = l->items[i].posts;
        ck_assert_ptr_nonnull(p);
        for (size_t j = 0; j < p->len; j++) {
            n += (size_t)snprintf(out + n, cap - n, "%s", j ? ";" : "");
            const CommentList *c = p->items[j].comments;
            ck_assert_ptr_nonnull(c);
            for (size_t k = 0; k < c->len; k++)
                n += (size_t)snprintf(out + n, cap - n, "%s%s", k ? "," : "", c->items[k].text);
        }
    }
}

static const UserOrderByInput by_id = { .id = PRISMA_ASC };

/* findManyTop(take?){ t, middles(args){ m } } */
static void expect_mid(const PostFindManyArgs *pa, prisma_bigint top_take, int64_t top_skip, const char *want)
{
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .include = &(UserInclude){ .posts_args = pa }, .order_by = &by_id,
                                              .order_by_len = 1, .take = top_take, .skip = top_skip },
                      &l));
    char got[1024];
    render_mid(l, got, sizeof got);
    ck_assert_str_eq(got, want);
    user_list_free(l);
}

/* findManyTop{ middles{ bottoms(args){ b } } } */
static void expect_bottom(const CommentFindManyArgs *ca, const char *want)
{
    static const PostOrderByInput post_by_id = { .id = PRISMA_ASC };
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .include = &(UserInclude){ .posts_args = &(PostFindManyArgs){
                                                   .order_by = &post_by_id, .order_by_len = 1,
                                                   .include = &(PostInclude){ .comments_args = ca } } },
                                              .order_by = &by_id, .order_by_len = 1 },
                      &l));
    char got[2048];
    render_bottom(l, got, sizeof got);
    ck_assert_str_eq(got, want);
    user_list_free(l);
}

static const PostOrderByInput post_id_asc = { .id = PRISMA_ASC };
static const CommentOrderByInput comment_id_asc = { .id = PRISMA_ASC };
#define ALL_BOTTOMS                                                                                                   \
    "B111,B112,B113;B121,B122,B123;B131,B132,B133|B211,B212,B213;B221,B222,B223;B231,B232,B233|"                     \
    "B311,B312,B313;B321,B322,B323;B331,B332,B333"
#define NO_BOTTOMS ";;|;;|;;"

/* nested_pagination.rs: all_data_there */
START_TEST(all_data_there)
{
    nested_data();
    expect_bottom(&(CommentFindManyArgs){ .order_by = &comment_id_asc, .order_by_len = 1 }, ALL_BOTTOMS);
    expect_mid(&(PostFindManyArgs){ .order_by = &post_id_asc, .order_by_len = 1 }, (prisma_bigint){ 0 }, 0,
               "M11,M12,M13|M21,M22,M23|M31,M32,M33");
}
END_TEST

/* nested_pagination.rs: mid_lvl_cursor */
START_TEST(mid_lvl_cursor)
{
    nested_data();
    PostFindManyArgs pa = { .cursor = &(PostWhereUniqueInput){ .id = PRISMA_INT(22) }, .order_by = &post_id_asc,
                            .order_by_len = 1 };
    expect_mid(&pa, (prisma_bigint){ 0 }, 0, "|M22,M23|");
    expect_mid(&pa, PRISMA_TAKE(1), 1, "M22,M23");
}
END_TEST

/* nested_pagination.rs: mid_lvl_skip_1, mid_lvl_skip_3, mid_lvl_skip_4 */
START_TEST(mid_lvl_skip)
{
    nested_data();
    expect_mid(&(PostFindManyArgs){ .skip = 1 }, (prisma_bigint){ 0 }, 0, "M12,M13|M22,M23|M32,M33");
    expect_mid(&(PostFindManyArgs){ .skip = 1 }, PRISMA_TAKE(1), 0, "M12,M13");
    expect_mid(&(PostFindManyArgs){ .skip = 3 }, (prisma_bigint){ 0 }, 0, "||");
    expect_mid(&(PostFindManyArgs){ .skip = 3 }, PRISMA_TAKE(1), 0, "");
    expect_mid(&(PostFindManyArgs){ .skip = 4 }, (prisma_bigint){ 0 }, 0, "||");
    expect_mid(&(PostFindManyArgs){ .skip = 4 }, PRISMA_TAKE(1), 0, "");
}
END_TEST

/* nested_pagination.rs: bottom_lvl_skip_0, _1, _3, _4 */
START_TEST(bottom_lvl_skip)
{
    nested_data();
    expect_bottom(&(CommentFindManyArgs){ .skip = 0, .order_by = &comment_id_asc, .order_by_len = 1 }, ALL_BOTTOMS);
    expect_bottom(&(CommentFindManyArgs){ .skip = 1 },
                  "B112,B113;B122,B123;B132,B133|B212,B213;B222,B223;B232,B233|B312,B313;B322,B323;B332,B333");
    expect_bottom(&(CommentFindManyArgs){ .skip = 3 }, NO_BOTTOMS);
    expect_bottom(&(CommentFindManyArgs){ .skip = 4 }, NO_BOTTOMS);
}
END_TEST

/* nested_pagination.rs: mid_lvl_take_0, _1, _3, _4 */
START_TEST(mid_lvl_take)
{
    nested_data();
    trace_reset();
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(0) }, (prisma_bigint){ 0 }, 0, "||");
    ck_assert_int_eq(trace_count(), 1); /* take 0: nothing asked for the posts */
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(0) }, PRISMA_TAKE(1), 0, "");
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(1) }, (prisma_bigint){ 0 }, 0, "M11|M21|M31");
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(1) }, PRISMA_TAKE(1), 0, "M11");
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(3) }, (prisma_bigint){ 0 }, 0, "M11,M12,M13|M21,M22,M23|M31,M32,M33");
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(3) }, PRISMA_TAKE(1), 0, "M11,M12,M13");
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(4) }, (prisma_bigint){ 0 }, 0, "M11,M12,M13|M21,M22,M23|M31,M32,M33");
}
END_TEST

/* nested_pagination.rs: bottom_lvl_take_0, _1, _3, _4 */
START_TEST(bottom_lvl_take)
{
    nested_data();
    expect_bottom(&(CommentFindManyArgs){ .take = PRISMA_TAKE(0) }, NO_BOTTOMS);
    expect_bottom(&(CommentFindManyArgs){ .take = PRISMA_TAKE(1) }, "B111;B121;B131|B211;B221;B231|B311;B321;B331");
    expect_bottom(&(CommentFindManyArgs){ .take = PRISMA_TAKE(3) }, ALL_BOTTOMS);
    expect_bottom(&(CommentFindManyArgs){ .take = PRISMA_TAKE(4) }, ALL_BOTTOMS);
}
END_TEST

/* nested_pagination.rs: mid_lvl_take_minus_1, _3, _4; bottom_lvl_take_minus_1 */
START_TEST(take_negative)
{
    nested_data();
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(-1), .order_by = &post_id_asc, .order_by_len = 1 },
               (prisma_bigint){ 0 }, 0, "M13|M23|M33");
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(-3), .order_by = &post_id_asc, .order_by_len = 1 },
               (prisma_bigint){ 0 }, 0, "M11,M12,M13|M21,M22,M23|M31,M32,M33");
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(-4), .order_by = &post_id_asc, .order_by_len = 1 },
               (prisma_bigint){ 0 }, 0, "M11,M12,M13|M21,M22,M23|M31,M32,M33");
    expect_bottom(&(CommentFindManyArgs){ .take = PRISMA_TAKE(-1), .order_by = &comment_id_asc, .order_by_len = 1 },
                  "B113;B123;B133|B213;B223;B233|B313;B323;B333");
}
END_TEST

/* nested_pagination.rs: bottom_lvl_take_minus_3, bottom_lvl_take_minus_4 */
START_TEST(bottom_lvl_take_minus_3_and_4)
{
    nested_data();
    expect_bottom(&(CommentFindManyArgs){ .take = PRISMA_TAKE(-3), .order_by = &comment_id_asc, .order_by_len = 1 },
                  ALL_BOTTOMS);
    expect_bottom(&(CommentFindManyArgs){ .take = PRISMA_TAKE(-4), .order_by = &comment_id_asc, .order_by_len = 1 },
                  ALL_BOTTOMS);
}
END_TEST

/* nested_pagination.rs: top_lvl_skip_1_take_1, top_lvl_skip_1_take_3,
 * mid_lvl_skip_1_take_1, mid_lvl_skip_1_take_3, top_lvl_skip_1_take_minus_3,
 * mid_lvl_skip_1_take_minus_1, mid_lvl_skip_1_take_minus_3 */
START_TEST(skip_and_take)
{
    nested_data();
    static const PostOrderByInput title_asc = { .title = PRISMA_ASC };
    PostFindManyArgs by_title = { .order_by = &title_asc, .order_by_len = 1 };
    expect_mid(&by_title, PRISMA_TAKE(1), 1, "M21,M22,M23");
    expect_mid(&by_title, PRISMA_TAKE(3), 1, "M21,M22,M23|M31,M32,M33");
    expect_mid(&(PostFindManyArgs){ .skip = 1, .take = PRISMA_TAKE(1) }, (prisma_bigint){ 0 }, 0, "M12|M22|M32");
    expect_mid(&(PostFindManyArgs){ .skip = 1, .take = PRISMA_TAKE(3) }, (prisma_bigint){ 0 }, 0, "M12,M13|M22,M23|M32,M33");
    expect_mid(&by_title, PRISMA_TAKE(-3), 1, "M11,M12,M13|M21,M22,M23");
    expect_mid(&(PostFindManyArgs){ .skip = 1, .take = PRISMA_TAKE(-1), .order_by = &post_id_asc, .order_by_len = 1 },
               (prisma_bigint){ 0 }, 0, "M12|M22|M32");
    expect_mid(&(PostFindManyArgs){ .skip = 1, .take = PRISMA_TAKE(-3), .order_by = &post_id_asc, .order_by_len = 1 },
               (prisma_bigint){ 0 }, 0, "M11,M12|M21,M22|M31,M32");
}
END_TEST

/* nested_pagination.rs: mid_order_by_take_1, mid_lvl_order_by_take_3 */
START_TEST(order_by_and_take)
{
    nested_data();
    static const PostOrderByInput title_desc = { .title = PRISMA_DESC };
    expect_mid(&(PostFindManyArgs){ .order_by = &title_desc, .order_by_len = 1, .take = PRISMA_TAKE(1) },
               (prisma_bigint){ 0 }, 0, "M13|M23|M33");
    expect_mid(&(PostFindManyArgs){ .order_by = &title_desc, .order_by_len = 1, .take = PRISMA_TAKE(3) },
               (prisma_bigint){ 0 }, 0, "M13,M12,M11|M23,M22,M21|M33,M32,M31");
}
END_TEST

/* The tags of posts 11, 12, 13 as "1,2|2|" */
static void expect_tags(const TagFindManyArgs *ta, const char *want)
{
    static const PostOrderByInput by = { .id = PRISMA_ASC };
    PostList *l = NULL;
    OK(post_find_many(db, &(PostFindManyArgs){ .where = &(PostWhereInput){ .authorId = { .equals = PRISMA_INT(1) } },
                                              .order_by = &by, .order_by_len = 1,
                                              .include = &(PostInclude){ .tags_args = ta } },
                      &l));
    char got[256];
    size_t n = 0;
    got[0] = 0;
    for (size_t i = 0; i < l->len; i++) {
        n += (size_t)snprintf(got + n, sizeof got - n, "%s", i ? "|" : "");
        for (size_t j = 0; j < l->items[i].tags->len; j++)
            n += (size_t)snprintf(got + n, sizeof got - n, "%s%d", j ? "," : "", l->items[i].tags->items[j].id);
    }
    ck_assert_str_eq(got, want);
    post_list_free(l);
}

/* nested_pagination.rs: m2m_many_children_nested_cursor (A1..A3 are posts 11..13, B1..B8 tags 1..8) */
START_TEST(m2m_many_children_nested_cursor)
{
    nested_data();
    for (int t = 1; t <= 3; t++)
        seed_tag(t, "b");
    link_tag(11, 1);
    link_tag(11, 2);
    link_tag(11, 3);
    link_tag(12, 2);
    expect_tags(&(TagFindManyArgs){ .cursor = &(TagWhereUniqueInput){ .id = PRISMA_INT(2) } }, "2,3|2|");
}
END_TEST

/* nested_pagination.rs: m2m_many_children_nested_cursor_skip_take */
START_TEST(m2m_many_children_nested_cursor_skip_take)
{
    nested_data();
    for (int t = 1; t <= 8; t++)
        seed_tag(t, "b");
    for (int t = 1; t <= 6; t++)
        link_tag(11, t);
    static const int a2[] = { 2, 3, 5, 7, 8 };
    for (int k = 0; k < 5; k++)
        link_tag(12, a2[k]);
    static const TagOrderByInput tag_asc = { .id = PRISMA_ASC };
    expect_tags(&(TagFindManyArgs){ .cursor = &(TagWhereUniqueInput){ .id = PRISMA_INT(2) }, .skip = 1 }, "3,4,5,6|3,5,7,8|");
    expect_tags(&(TagFindManyArgs){ .cursor = &(TagWhereUniqueInput){ .id = PRISMA_INT(2) }, .skip = 1, .take = PRISMA_TAKE(2) },
                "3,4|3,5|");
    expect_tags(&(TagFindManyArgs){ .cursor = &(TagWhereUniqueInput){ .id = PRISMA_INT(5) }, .skip = 1,
                                    .take = PRISMA_TAKE(-2), .order_by = &tag_asc, .order_by_len = 1 },
                "3,4|2,3|");
}
END_TEST

/* where and order_by per parent, skip and take combined (prismac's own). */
START_TEST(where_order_skip_take_per_parent)
{
    nested_data();
    static const PostOrderByInput views_desc = { .views = PRISMA_DESC };
    expect_mid(&(PostFindManyArgs){ .where = &(PostWhereInput){ .views = { .gte = PRISMA_INT(2) } },
                                    .order_by = &views_desc, .order_by_len = 1 },
               (prisma_bigint){ 0 }, 0, "M13,M12|M23,M22|M33,M32");
    expect_mid(&(PostFindManyArgs){ .order_by = &views_desc, .order_by_len = 1, .skip = 1, .take = PRISMA_TAKE(1) },
               (prisma_bigint){ 0 }, 0, "M12|M22|M32");
}
END_TEST

/* To-one: include / select / omit through its arguments; anything else refused. */
START_TEST(to_one_arguments)
{
    nested_data();
    seed_profile(1, 1, "bio1");
    PostList *l = NULL;
    static const PostOrderByInput by = { .id = PRISMA_ASC };
    OK(post_find_many(db, &(PostFindManyArgs){ .where = &(PostWhereInput){ .id = { .equals = PRISMA_INT(11) } },
                                              .order_by = &by, .order_by_len = 1,
                                              .include = &(PostInclude){ .author_args = &(UserFindManyArgs){
                                                  .select = &(UserSelect){ .name = true, .profile = true } } } },
                      &l));
    ck_assert_int_eq((int)l->len, 1);
    ck_assert_ptr_nonnull(l->items[0].author);
    ck_assert_str_eq(l->items[0].author->name, "T1");
    ck_assert_ptr_null(l->items[0].author->email);
    ck_assert_ptr_nonnull(l->items[0].author->profile);
    ck_assert_str_eq(l->items[0].author->profile->bio, "bio1");
    post_list_free(l);
    l = NULL;
    REFUSED(post_find_many(db, &(PostFindManyArgs){ .include = &(PostInclude){ .author_args = &(UserFindManyArgs){
                                                      .where = &(UserWhereInput){ .id = { .equals = PRISMA_INT(1) } } } } },
                           &l),
            "P2009");
    REFUSED(post_find_many(db, &(PostFindManyArgs){ .include = &(PostInclude){ .author_args = &(UserFindManyArgs){
                                                      .take = PRISMA_TAKE(1) } } },
                           &l),
            "P2009");
}
END_TEST

/* Many-to-many with arguments, and a negative skip refused (prismac's own). */
START_TEST(many_to_many_with_arguments)
{
    nested_data();
    for (int t = 1; t <= 4; t++) {
        char s[8];
        snprintf(s, sizeof s, "tag%d", t);
        seed_tag(t, s);
    }
    link_tag(11, 1);
    link_tag(11, 2);
    link_tag(11, 3);
    link_tag(12, 3);
    link_tag(12, 4);
    static const TagOrderByInput tag_desc = { .id = PRISMA_DESC };
    PostList *l = NULL;
    static const PostOrderByInput by = { .id = PRISMA_ASC };
    OK(post_find_many(db, &(PostFindManyArgs){ .where = &(PostWhereInput){ .authorId = { .equals = PRISMA_INT(1) } },
                                              .order_by = &by, .order_by_len = 1,
                                              .include = &(PostInclude){ .tags_args = &(TagFindManyArgs){
                                                  .where = &(TagWhereInput){ .id = { .gt = PRISMA_INT(1) } },
                                                  .order_by = &tag_desc, .order_by_len = 1, .take = PRISMA_TAKE(2) } } },
                      &l));
    ck_assert_int_eq((int)l->len, 3);
    ck_assert_int_eq((int)l->items[0].tags->len, 2);
    ck_assert_int_eq(l->items[0].tags->items[0].id, 3);
    ck_assert_int_eq(l->items[0].tags->items[1].id, 2);
    ck_assert_int_eq((int)l->items[1].tags->len, 2);
    ck_assert_int_eq(l->items[1].tags->items[0].id, 4);
    ck_assert_int_eq((int)l->items[2].tags->len, 0);
    post_list_free(l);
    l = NULL;
    REFUSED(post_find_many(db, &(PostFindManyArgs){ .include = &(PostInclude){ .tags_args = &(TagFindManyArgs){ .skip = -1 } } },
                           &l),
            "P2019");
}
END_TEST

/* Writes return their record with the same include arguments; bad ones are
 * refused before the write (nothing sent, nothing written). prismac's own. */
START_TEST(write_include_with_arguments)
{
    nested_data();
    static const PostOrderByInput views_desc = { .views = PRISMA_DESC };
    User *u = NULL;
    OK(user_update_include(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(2) }, &(UserUpdateInput){ .age = { .set = PRISMA_INT(9) } },
                           &(UserInclude){ .posts_args = &(PostFindManyArgs){ .order_by = &views_desc, .order_by_len = 1,
                                                                              .take = PRISMA_TAKE(2) },
                                           ._count = true },
                           &u));
    ck_assert_int_eq(u->age, 9);
    ck_assert_int_eq((int)u->posts->len, 2);
    ck_assert_str_eq(u->posts->items[0].title, "M23");
    ck_assert_int_eq(u->_count.posts, 3);
    user_free(u);
    Post *p = NULL;
    REFUSED(post_create_include(db, &(PostCreateInput){ .id = PRISMA_INT(99), .title = "x", .authorId = PRISMA_INT(1) },
                                &(PostInclude){ .author_args = &(UserFindManyArgs){ .skip = 1 } }, &p),
            "P2009");
    int64_t n = -1;
    OK(post_count(db, &(PostWhereInput){ .id = { .equals = PRISMA_INT(99) } }, &n));
    ck_assert_int_eq(n, 0);
}
END_TEST

/* take -1 then take 1 without an order_by, on one connection: the cached
 * statement of the first must not answer the second (the shape key holds the
 * direction), at the top and in an include. prismac's own. */
START_TEST(negative_then_positive_take_without_order)
{
    nested_data();
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(-1) }, &l));
    ck_assert_int_eq(l->items[0].id, 3);
    user_list_free(l);
    OK(user_find_many(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(1) }, &l));
    ck_assert_int_eq(l->items[0].id, 1);
    user_list_free(l);
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(-1) }, (prisma_bigint){ 0 }, 0, "M13|M23|M33");
    expect_mid(&(PostFindManyArgs){ .take = PRISMA_TAKE(1) }, (prisma_bigint){ 0 }, 0, "M11|M21|M31");
}
END_TEST

void add_include_args_tests(TCase *tc)
{
    tcase_add_test(tc, negative_then_positive_take_without_order);
    tcase_add_test(tc, write_include_with_arguments);
    tcase_add_test(tc, all_data_there);
    tcase_add_test(tc, mid_lvl_cursor);
    tcase_add_test(tc, mid_lvl_skip);
    tcase_add_test(tc, bottom_lvl_skip);
    tcase_add_test(tc, mid_lvl_take);
    tcase_add_test(tc, bottom_lvl_take);
    tcase_add_test(tc, take_negative);
    tcase_add_test(tc, where_order_skip_take_per_parent);
    tcase_add_test(tc, bottom_lvl_take_minus_3_and_4);
    tcase_add_test(tc, skip_and_take);
    tcase_add_test(tc, order_by_and_take);
    tcase_add_test(tc, m2m_many_children_nested_cursor);
    tcase_add_test(tc, m2m_many_children_nested_cursor_skip_take);
    tcase_add_test(tc, to_one_arguments);
    tcase_add_test(tc, many_to_many_with_arguments);
}
