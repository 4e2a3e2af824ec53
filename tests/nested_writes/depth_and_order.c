/* The nested-writes suite (tests/nested_writes/support.c): depth, and the order of operations on one relation. */
#include "nested_writes.h"

/* ==== depth ==== */

START_TEST(nested_creates_four_levels_deep)
{
    int u = deep_user();
    ck_assert_int_eq(rows("User"), 1);
    ck_assert_int_eq(rows("Profile"), 1);
    ck_assert_int_eq(rows("Passport"), 1);
    ck_assert_int_eq(rows("Post"), 2);
    ck_assert_int_eq(rows("Comment"), 4);
    ck_assert_int_eq(rows("Reaction"), 2);
    ck_assert_int_eq(rows("Tag"), 1);
    ck_assert_int_eq(rows("_PostToTag"), 1);
    ck_assert_str_eq(SLUGS_OF(u), "p1,p2");
    ck_assert_str_eq(PROFILE_OF(u), "bio");
    ck_assert_str_eq(PASSPORT_OF(u), "N");
    ck_assert_str_eq(COMMENTS_OF(post_id("p1")), "c1,c2");
    ck_assert_str_eq(COMMENTS_OF(post_id("p2")), "c3,c4");
    ck_assert_str_eq(TAGS_OF(post_id("p1")), "t1");
    ck_assert_str_eq(REACTIONS_OF(comment_id("c1")), "like,wow");
    /* Self 1-n, four generations. */
    OK(person_create(db,
                     &(PersonCreateInput){
                         .name = "g0",
                         .children = { MANY(create, PersonCreateInput,
                                            { .name = "g1",
                                              .children = { MANY(create, PersonCreateInput,
                                                                 { .name = "g2", .children = { MANY(create, PersonCreateInput, { .name = "g3" }) } }) } }) } },
                     NULL));
    ck_assert_str_eq(CHILDREN_OF(person_id("g2")), "g3");
    ck_assert_str_eq(CHILDREN_OF(person_id("g1")), "g2");
    ck_assert_str_eq(CHILDREN_OF(person_id("g0")), "g1");
}
END_TEST

/* Item 79 in updates and upserts: every level runs. */
START_TEST(nested_updates_at_every_level)
{
    int u = deep_user();
    int c1 = comment_id("c1");
    const CommentUpdateInput c1_update = {
        .likes = { .increment = PRISMA_INT(1) },
        .reactions = { MANY(create, ReactionCreateInput, { .kind = "sad" }),
                       MANY(update_many, ReactionUpdateManyWithWhereInput,
                            { .where = &(ReactionWhereInput){ .kind = { .equals = "like" } }, .data = &(ReactionUpdateInput){ .kind = "LIKE" } }),
                       MANY(delete_many, ReactionWhereInput, { .kind = { .equals = "wow" } }) },
    };
    const PostUpdateInput p1_update = {
        .title = "P1",
        .tags = { MANY(create, TagCreateInput, { .name = "t2" }) },
        .comments = { MANY(update, CommentUpdateWithWhereInput, { .where = CTEXT("c1"), .data = &c1_update }),
                      MANY(create, CommentCreateInput, { .text = "c5", .reactions = { MANY(create, ReactionCreateInput, { .kind = "new" }) } }) },
    };
    const UserUpdateInput user_update_in = {
        .name = "Deep",
        .profile = { .update = &(ProfileUpdateInput){ .bio = "B" } },
        .posts = { MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("p1"), .data = &p1_update }) },
    };
    OK(user_update(db, UID(u), &user_update_in, NULL));
    ck_assert_str_eq(str_of("User", "name", u), "Deep");
    ck_assert_str_eq(PROFILE_OF(u), "B");
    ck_assert_str_eq(str_of("Post", "title", post_id("p1")), "P1");
    ck_assert_str_eq(TAGS_OF(post_id("p1")), "t1,t2");
    ck_assert_int_eq(col_of("Comment", "likes", c1), 1);
    ck_assert_str_eq(REACTIONS_OF(c1), "LIKE,sad");
    ck_assert_str_eq(COMMENTS_OF(post_id("p1")), "c1,c2,c5");
    ck_assert_str_eq(REACTIONS_OF(comment_id("c5")), "new");

    /* upsert on an existing user: its update branch carries nested writes. */
    User *r = NULL;
    OK(user_upsert_include(db, &(UserWhereUniqueInput){ .email = "deep@x" },
                           &(UserCreateInput){ .email = "deep@x", .posts = { MANY(create, PostCreateInput, { .title = "never", .slug = "never" }) } },
                           &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                               { .title = "p3", .slug = "p3",
                                                                 .comments = { MANY(create, CommentCreateInput, { .text = "c6" }) } }) } },
                           &(UserInclude){ .posts = true }, &r));
    ck_assert_ptr_nonnull(r->posts);
    ck_assert_uint_eq(r->posts->len, 3);
    user_free(r);
    ck_assert_int_eq(post_id("never"), 0);
    ck_assert_str_eq(COMMENTS_OF(post_id("p3")), "c6");
    /* upsert of a new user: its create branch carries nested writes. */
    OK(user_upsert_include(db, &(UserWhereUniqueInput){ .email = "fresh@x" },
                           &(UserCreateInput){ .email = "fresh@x",
                                               .posts = { MANY(create, PostCreateInput,
                                                               { .title = "f1", .slug = "f1", .tags = { MANY(connect, TagWhereUniqueInput, { .name = "t1" }) } }) } },
                           &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "never", .slug = "never" }) } },
                           &(UserInclude){ .posts = true }, &r));
    ck_assert_ptr_nonnull(r->posts);
    ck_assert_uint_eq(r->posts->len, 1);
    ck_assert_int_eq(r->posts->items[0].id, post_id("f1"));
    user_free(r);
    ck_assert_int_eq(post_id("never"), 0);
    ck_assert_str_eq(TAGS_OF(post_id("f1")), "t1");
}
END_TEST

/* ==== the order of operations on one relation (item 78) ==== */

START_TEST(operations_on_one_relation_run_in_prismas_order)
{
    int a = new_user("a@x");
    /* create, then update the new post */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "n1", .slug = "n1" }),
                                                  MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("n1"), .data = &(PostUpdateInput){ .title = "N1" } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", post_id("n1")), "N1");
    /* create, then delete it */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "n2", .slug = "n2" }),
                                                  DELETE_MANY_(PostWhereUniqueInput, { .slug = "n2" }) } },
                   NULL));
    ck_assert_int_eq(post_id("n2"), 0);
    /* create, then upsert it: updated, not created again */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "n3", .slug = "n3" }),
                                                  MANY(upsert, PostUpsertWithWhereInput,
                                                       { .where = PSLUG("n3"),
                                                         .create = &(PostCreateInput){ .title = "dup", .slug = "n3dup" },
                                                         .update = &(PostUpdateInput){ .title = "N3" } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", post_id("n3")), "N3");
    ck_assert_int_eq(post_id("n3dup"), 0);
    /* create before create_many: the create's row is the one kept */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "first", .slug = "n0" }),
                                                  MANY(create_many, PostCreateInput, { .title = "second", .slug = "n0" }), .skip_duplicates = true } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", post_id("n0")), "first");
    OK(user_update(db, UID(a), &(UserUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .slug = "n0" }) } }, NULL));
    /* create_many, then update */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create_many, PostCreateInput, { .title = "n4", .slug = "n4" }),
                                                  MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("n4"), .data = &(PostUpdateInput){ .title = "N4" } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", post_id("n4")), "N4");
    /* update, then delete the same post */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("n1"), .data = &(PostUpdateInput){ .title = "x" } }),
                                                  DELETE_MANY_(PostWhereUniqueInput, { .slug = "n1" }) } },
                   NULL));
    ck_assert_int_eq(post_id("n1"), 0);
    /* upsert (a create), then delete */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(upsert, PostUpsertWithWhereInput,
                                                       { .where = PSLUG("n5"),
                                                         .create = &(PostCreateInput){ .title = "n5", .slug = "n5" },
                                                         .update = &(PostUpdateInput){ .title = "x" } }),
                                                  DELETE_MANY_(PostWhereUniqueInput, { .slug = "n5" }) } },
                   NULL));
    ck_assert_int_eq(post_id("n5"), 0);
    /* delete, then connect: the connect no longer finds it, and nothing is deleted */
    new_post(a, "n6");
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .slug = "n6" }),
                                                     MANY(connect, PostWhereUniqueInput, { .slug = "n6" }) } },
                      NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-many", "PostToUser"));
    ck_assert_int_ne(post_id("n6"), 0);
    ck_assert_str_eq(SLUGS_OF(a), "n3,n4,n6");

    /* m-n: create then set; connect then set; connect_or_create then set;
     * set then disconnect; create then disconnect. */
    int p = new_post(a, "p");
    new_tag("a");
    new_tag("b");
    new_tag("c");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(create, TagCreateInput, { .name = "new1" }),
                                                 MANY(set, TagWhereUniqueInput, { .name = "new1" }, { .name = "b" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "b,new1");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "a" }),
                                                 MANY(set, TagWhereUniqueInput, { .name = "c" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "c");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(connect_or_create, TagConnectOrCreateInput,
                                                      { .where = TNAME("new2"), .create = &(TagCreateInput){ .name = "new2" } }),
                                                 MANY(set, TagWhereUniqueInput, { .name = "a" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "a");
    ck_assert_int_ne(tag_id("new2"), 0);
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(set, TagWhereUniqueInput, { .name = "a" }, { .name = "b" }), .set_given = true,
                                                 MANY(disconnect, TagWhereUniqueInput, { .name = "a" }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "b");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(create, TagCreateInput, { .name = "new3" }), MANY(disconnect, TagWhereUniqueInput, { .name = "new3" }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "b");
    ck_assert_int_ne(tag_id("new3"), 0);

    /* 1-n with an optional key: disconnect before update_many, update_many
     * before delete_many, create before update_many, update before upsert. */
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { MANY(create, CommentCreateInput, { .text = "k1" }, { .text = "k2" }),
                                                     MANY(disconnect, CommentWhereUniqueInput, { .text = "k1" }),
                                                     MANY(update_many, CommentUpdateManyWithWhereInput,
                                                          { .where = NULL, .data = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(9) } } }) } },
                   NULL));
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("k1")), 0);
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("k2")), 9);
    ck_assert_str_eq(COMMENTS_OF(p), "k2");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { MANY(create, CommentCreateInput, { .text = "k3" }),
                                                     MANY(update_many, CommentUpdateManyWithWhereInput,
                                                          { .where = NULL, .data = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(3) } } }) } },
                   NULL));
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("k3")), 3);
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("k2")), 3);
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { MANY(update, CommentUpdateWithWhereInput,
                                                          { .where = CTEXT("k3"), .data = &(CommentUpdateInput){ .text = "K3" } }),
                                                     MANY(upsert, CommentUpsertWithWhereInput,
                                                          { .where = CTEXT("K3"),
                                                            .create = &(CommentCreateInput){ .text = "never" },
                                                            .update = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(4) } } }) } },
                   NULL));
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("K3")), 4);
    ck_assert_int_eq(comment_id("never"), 0);
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { MANY(update_many, CommentUpdateManyWithWhereInput,
                                                          { .where = NULL, .data = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(7) } } }),
                                                     MANY(delete_many, CommentWhereInput, { .likes = { .equals = PRISMA_INT(7) } }) } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(p), "");
    ck_assert_int_ne(comment_id("k1"), 0);
    ck_assert_int_eq(comment_id("k2"), 0);
    ck_assert_int_eq(rows("Comment"), 1);
    /* connect before disconnect: the same comment ends disconnected */
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { MANY(connect, CommentWhereUniqueInput, { .text = "k1" }),
                                                     MANY(disconnect, CommentWhereUniqueInput, { .text = "k1" }) } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(p), "");
    /* delete before connect_or_create: the comment is created again */
    OK(post_update(db, PID(p), &(PostUpdateInput){ .comments = { MANY(connect, CommentWhereUniqueInput, { .text = "k1" }) } }, NULL));
    int k1 = comment_id("k1");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { DELETE_MANY_(CommentWhereUniqueInput, { .text = "k1" }),
                                                     MANY(connect_or_create, CommentConnectOrCreateInput,
                                                          { .where = CTEXT("k1"), .create = &(CommentCreateInput){ .text = "k1", .likes = PRISMA_INT(1) } }) } },
                   NULL));
    ck_assert_int_ne(comment_id("k1"), k1);
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("k1")), 1);
    ck_assert_str_eq(COMMENTS_OF(p), "k1");
}
END_TEST

void nw_depth_and_order_tests(TCase *tc)
{
    tcase_add_test(tc, nested_creates_four_levels_deep);
    tcase_add_test(tc, nested_updates_at_every_level);
    tcase_add_test(tc, operations_on_one_relation_run_in_prismas_order);
}
