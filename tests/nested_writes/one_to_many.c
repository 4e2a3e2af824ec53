/* The nested-writes suite (tests/nested_writes/support.c): 1-n relations, with a required and with an optional foreign key. */
#include "nested_writes.h"

/* ==== 1-n with a required foreign key: User.posts / Post.author ==== */

/* Item 53 and 57: nested create and create_many from the parent side, in a
 * create and in an update (item 54: the existing children stay). */
START_TEST(one_to_many_create_from_the_parent_side)
{
    User *u = NULL;
    OK(user_create_include(db,
                           &(UserCreateInput){ .email = "a@x",
                                               .posts = { MANY(create, PostCreateInput,
                                                               { .title = "A", .slug = "a1", .views = PRISMA_INT(3) },
                                                               { .title = "B", .slug = "a2" }),
                                                          MANY(create_many, PostCreateInput,
                                                               { .title = "C", .slug = "a3" },
                                                               { .title = "D", .slug = "a4" }) } },
                           &(UserInclude){ .posts = true }, &u));
    ck_assert_ptr_nonnull(u);
    ck_assert_ptr_nonnull(u->posts);
    ck_assert_uint_eq(u->posts->len, 4);
    for (size_t i = 0; i < u->posts->len; i++) {
        const Post *p = &u->posts->items[i];
        ck_assert_int_eq(p->authorId, u->id);
        ck_assert_ptr_nonnull(p->slug);
        ck_assert_int_eq(p->id, post_id(p->slug));
    }
    int a = u->id;
    user_free(u);
    ck_assert_str_eq(SLUGS_OF(a), "a1,a2,a3,a4");
    ck_assert_int_eq(col_of("Post", "views", post_id("a1")), 3);
    ck_assert_str_eq(str_of("Post", "title", post_id("a4")), "D");
    ck_assert_int_eq(rows("User"), 1);
    ck_assert_int_eq(rows("Post"), 4);

    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "E", .slug = "a5" }),
                                                  MANY(create_many, PostCreateInput, { .title = "F", .slug = "a6" }) } },
                   NULL));
    ck_assert_str_eq(SLUGS_OF(a), "a1,a2,a3,a4,a5,a6");
    ck_assert_int_eq(rows("Post"), 6);
}
END_TEST

/* Items 53 and 58: from the child side, the author is created, connected by
 * any unique, or connected-or-created; a missing one is P2025 (item 59). */
START_TEST(one_to_many_create_from_the_child_side)
{
    Post *p = NULL;
    OK(post_create(db, &(PostCreateInput){ .title = "p1", .slug = "p1", .author = { .create = &(UserCreateInput){ .email = "new@x" } } },
                   &p));
    int u = user_id("new@x");
    ck_assert_int_ne(u, 0);
    ck_assert_int_eq(p->authorId, u);
    post_free(p);
    OK(post_create(db, &(PostCreateInput){ .title = "p2", .slug = "p2", .author = { .connect = &(UserWhereUniqueInput){ .email = "new@x" } } },
                   NULL));
    OK(post_create(db, &(PostCreateInput){ .title = "p3", .slug = "p3", .author = { .connect = UID(u) } }, NULL));
    OK(post_create(db,
                   &(PostCreateInput){ .title = "p4", .slug = "p4",
                                       .author = { .connect_or_create = &(UserConnectOrCreateInput){
                                                       .where = &(UserWhereUniqueInput){ .email = "new@x" },
                                                       .create = &(UserCreateInput){ .email = "new@x", .name = "dup" } } } },
                   NULL));
    ck_assert_int_eq(rows("User"), 1);
    ck_assert_str_eq(str_of("User", "name", u), "NULL");
    ck_assert_str_eq(SLUGS_OF(u), "p1,p2,p3,p4");
    OK(post_create(db,
                   &(PostCreateInput){ .title = "p5", .slug = "p5",
                                       .author = { .connect_or_create = &(UserConnectOrCreateInput){
                                                       .where = &(UserWhereUniqueInput){ .email = "other@x" },
                                                       .create = &(UserCreateInput){ .email = "other@x", .name = "O" } } } },
                   NULL));
    int o = user_id("other@x");
    ck_assert_int_ne(o, 0);
    ck_assert_str_eq(str_of("User", "name", o), "O");
    ck_assert_str_eq(SLUGS_OF(o), "p5");
    snapshot before = snap();
    FAILS(post_create(db, &(PostCreateInput){ .title = "p6", .slug = "p6", .author = { .connect = UID(99999) } }, NULL), "P2025",
          INLINE_CONNECT("User", "Post", "one-to-many", "PostToUser"));
    FAILS(post_create(db, &(PostCreateInput){ .title = "p6", .slug = "p6", .author = { .connect = &(UserWhereUniqueInput){ .email = "nope@x" } } },
                      NULL),
          "P2025", INLINE_CONNECT("User", "Post", "one-to-many", "PostToUser"));
    UNCHANGED(before);
}
END_TEST

/* Item 58: connect by id or by another unique, in a create and in an update;
 * a post connected elsewhere moves. */
START_TEST(one_to_many_connect_from_the_parent_side)
{
    int a = new_user("a@x"), b = new_user("b@x");
    int p1 = new_post(a, "p1");
    new_post(a, "p2");
    new_post(a, "p3");
    User *c = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = "c@x", .posts = { MANY(connect, PostWhereUniqueInput, { .id = PRISMA_INT(p1) }, { .slug = "p2" }) } },
                   &c));
    ck_assert_str_eq(SLUGS_OF(c->id), "p1,p2");
    ck_assert_str_eq(SLUGS_OF(a), "p3");
    OK(user_update(db, UID(b), &(UserUpdateInput){ .posts = { MANY(connect, PostWhereUniqueInput, { .slug = "p3" }) } }, NULL));
    ck_assert_str_eq(SLUGS_OF(b), "p3");
    ck_assert_str_eq(SLUGS_OF(a), "");
    /* Connecting a post already connected to this user is not an error. */
    OK(user_update(db, UID(b), &(UserUpdateInput){ .posts = { MANY(connect, PostWhereUniqueInput, { .slug = "p3" }) } }, NULL));
    ck_assert_str_eq(SLUGS_OF(b), "p3");
    ck_assert_int_eq(rows("Post"), 3);
    ck_assert_int_eq(rows("User"), 3);
    user_free(c);
}
END_TEST

/* Item 62: connect_or_create connects when `where` matches (moving the post)
 * and creates otherwise. */
START_TEST(one_to_many_connect_or_create_from_the_parent_side)
{
    int a = new_user("a@x"), b = new_user("b@x");
    int p1 = new_post(b, "p1");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(connect_or_create, PostConnectOrCreateInput,
                                                       { .where = PSLUG("p1"), .create = &(PostCreateInput){ .title = "never", .slug = "p1" } },
                                                       { .where = PSLUG("p2"), .create = &(PostCreateInput){ .title = "made", .slug = "p2" } }) } },
                   NULL));
    ck_assert_str_eq(SLUGS_OF(a), "p1,p2");
    ck_assert_str_eq(SLUGS_OF(b), "");
    ck_assert_str_eq(str_of("Post", "title", p1), "p1");
    ck_assert_str_eq(str_of("Post", "title", post_id("p2")), "made");
    User *c = NULL;
    OK(user_create(db,
                   &(UserCreateInput){ .email = "c@x",
                                       .posts = { MANY(connect_or_create, PostConnectOrCreateInput,
                                                       { .where = PSLUG("p2"), .create = &(PostCreateInput){ .title = "never", .slug = "p2" } },
                                                       { .where = PSLUG("p3"), .create = &(PostCreateInput){ .title = "made", .slug = "p3" } }) } },
                   &c));
    ck_assert_str_eq(SLUGS_OF(c->id), "p2,p3");
    ck_assert_str_eq(SLUGS_OF(a), "p1");
    ck_assert_int_eq(rows("Post"), 3);
    user_free(c);
}
END_TEST

/* Items 69, 74 and 75/76: update, upsert and delete of connected posts. */
START_TEST(one_to_many_update_upsert_and_delete_from_the_parent_side)
{
    int a = new_user("a@x"), b = new_user("b@x");
    int p1 = new_post(a, "p1"), p2 = new_post(a, "p2");
    new_post(b, "q1");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(update, PostUpdateWithWhereInput,
                                                       { .where = PID(p1),
                                                         .data = &(PostUpdateInput){ .title = "P1", .views = { .increment = PRISMA_INT(2) } } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", p1), "P1");
    ck_assert_int_eq(col_of("Post", "views", p1), 2);
    ck_assert_str_eq(str_of("Post", "title", p2), "p2");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(upsert, PostUpsertWithWhereInput,
                                                       { .where = PSLUG("p2"),
                                                         .create = &(PostCreateInput){ .title = "no", .slug = "p2x" },
                                                         .update = &(PostUpdateInput){ .title = "P2" } },
                                                       { .where = PSLUG("p3"),
                                                         .create = &(PostCreateInput){ .title = "P3", .slug = "p3" },
                                                         .update = &(PostUpdateInput){ .title = "no" } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", p2), "P2");
    ck_assert_int_eq(post_id("p2x"), 0);
    ck_assert_str_eq(str_of("Post", "title", post_id("p3")), "P3");
    ck_assert_str_eq(SLUGS_OF(a), "p1,p2,p3");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .id = PRISMA_INT(p1) }, { .slug = "p3" }) } },
                   NULL));
    ck_assert_int_eq(col_of("Post", "id", p1), MISSING);
    ck_assert_str_eq(SLUGS_OF(a), "p2");
    ck_assert_str_eq(SLUGS_OF(b), "q1");
    ck_assert_int_eq(rows("Post"), 2);
}
END_TEST

/* Items 71 and 77: nested update_many / delete_many see only the connected
 * posts; a NULL (or empty) filter means all of them; several in one call. */
START_TEST(one_to_many_update_many_and_delete_many_touch_only_connected_records)
{
    int a = new_user("a@x"), b = new_user("b@x");
    OK(post_create_many(db,
                        (PostCreateInput[]){ { .title = "p1", .slug = "p1", .authorId = PRISMA_INT(a) },
                                             { .title = "p2", .slug = "p2", .authorId = PRISMA_INT(a) },
                                             { .title = "p3", .slug = "p3", .authorId = PRISMA_INT(a), .views = PRISMA_INT(5) },
                                             { .title = "q1", .slug = "q1", .authorId = PRISMA_INT(b) } },
                        4, false, NULL));
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(update_many, PostUpdateManyWithWhereInput,
                                                       { .where = &(PostWhereInput){ .views = { .equals = PRISMA_INT(0) } },
                                                         .data = &(PostUpdateInput){ .published = PRISMA_BOOL(true) } }) } },
                   NULL));
    ck_assert_str_eq(qs(testdb_sql("SELECT \"slug\" FROM \"Post\" WHERE \"published\" ORDER BY \"slug\"%s", testdb->byte_order), 0), "p1,p2");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(update_many, PostUpdateManyWithWhereInput,
                                                       { .where = NULL, .data = &(PostUpdateInput){ .views = { .increment = PRISMA_INT(10) } } }) } },
                   NULL));
    ck_assert_str_eq(qs(testdb_sql("SELECT \"views\" FROM \"Post\" ORDER BY \"slug\"%s", testdb->byte_order), 0), "10,10,15,0");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(update_many, PostUpdateManyWithWhereInput,
                                                       { .where = &(PostWhereInput){ .views = { .gte = PRISMA_INT(15) } },
                                                         .data = &(PostUpdateInput){ .title = "big" } },
                                                       { .where = &(PostWhereInput){ .views = { .lt = PRISMA_INT(15) } },
                                                         .data = &(PostUpdateInput){ .title = "small" } }) } },
                   NULL));
    ck_assert_str_eq(qs(testdb_sql("SELECT \"title\" FROM \"Post\" ORDER BY \"slug\"%s", testdb->byte_order), 0), "small,small,big,q1");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(delete_many, PostWhereInput, { .views = { .lt = PRISMA_INT(15) } }) } }, NULL));
    ck_assert_str_eq(SLUGS_OF(a), "p3");
    ck_assert_str_eq(SLUGS_OF(b), "q1");
    OK(user_update(db, UID(a), &(UserUpdateInput){ .posts = { MANY(delete_many, PostWhereInput, { .AND = NULL }) } }, NULL));
    ck_assert_str_eq(SLUGS_OF(a), "");
    ck_assert_str_eq(SLUGS_OF(b), "q1");
    /* No hit, no change, no error. */
    OK(user_update(db, UID(b),
                   &(UserUpdateInput){ .posts = { MANY(update_many, PostUpdateManyWithWhereInput,
                                                       { .where = &(PostWhereInput){ .views = { .equals = PRISMA_INT(77) } },
                                                         .data = &(PostUpdateInput){ .title = "x" } }),
                                                  MANY(delete_many, PostWhereInput, { .views = { .equals = PRISMA_INT(77) } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", post_id("q1")), "q1");
    ck_assert_int_eq(rows("Post"), 1);
}
END_TEST

/* Items 59, 61, 66, 69, 75, 76 on PostToUser: every error, and nothing
 * changes. */
START_TEST(one_to_many_errors)
{
    int a = new_user("a@x"), b = new_user("b@x");
    int p1 = new_post(a, "p1");
    new_post(a, "p2");
    int q1 = new_post(b, "q1");
    snapshot before = snap();
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(connect, PostWhereUniqueInput, { .id = PRISMA_INT(q1) }, { .id = PRISMA_INT(99999) }) } },
                      NULL),
          "P2018", INCOMPLETE_CONNECT(2, 1, "one-to-many", "PostToUser"));
    ck_assert_str_eq(SLUGS_OF(b), "q1");
    FAILS(user_create(db, &(UserCreateInput){ .email = "c@x", .posts = { MANY(connect, PostWhereUniqueInput, { .slug = "nope" }) } }, NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-many", "PostToUser"));
    ck_assert_int_eq(user_id("c@x"), 0);
    FAILS(post_update(db, PID(p1), &(PostUpdateInput){ .author = { .connect = UID(99999) } }, NULL), "P2025",
          INLINE_CONNECT("User", "Post", "one-to-many", "PostToUser"));
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(update, PostUpdateWithWhereInput,
                                                          { .where = PID(q1), .data = &(PostUpdateInput){ .title = "x" } }) } },
                      NULL),
          "P2025", NESTED_MISSING("Post", "update", "one-to-many", "PostToUser"));
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(update, PostUpdateWithWhereInput,
                                                          { .where = PSLUG("nope"), .data = &(PostUpdateInput){ .title = "x" } }) } },
                      NULL),
          "P2025", NESTED_MISSING("Post", "update", "one-to-many", "PostToUser"));
    FAILS(user_update(db, UID(a), &(UserUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .id = PRISMA_INT(q1) }) } }, NULL),
          "P2017", NOT_CONNECTED("PostToUser", "User", "Post"));
    FAILS(user_update(db, UID(a), &(UserUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .slug = "nope" }) } }, NULL),
          "P2017", NOT_CONNECTED("PostToUser", "User", "Post"));
    /* authorId is required: unlinking a post would orphan it. */
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { MANY(disconnect, PostWhereUniqueInput, { .id = PRISMA_INT(p1) }) } }, NULL),
               "P2014", "'PostToUser'");
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { MANY(set, PostWhereUniqueInput, { .id = PRISMA_INT(p1) }), .set_given = true } },
                           NULL),
               "P2014", "'PostToUser'");
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { .set_given = true } }, NULL), "P2014", "'PostToUser'");
    FAILS_WITH(post_update(db, PID(p1), &(PostUpdateInput){ .author = { .disconnect = true } }, NULL), "P2014", "'PostToUser'");
    UNCHANGED(before);
    ck_assert_str_eq(SLUGS_OF(a), "p1,p2");
    ck_assert_str_eq(SLUGS_OF(b), "q1");
    ck_assert_str_eq(str_of("Post", "title", q1), "q1");
}
END_TEST

/* Items 58, 60, 63, 74: the to-one side of PostToUser inside an update. */
START_TEST(one_to_many_from_the_child_side_in_an_update)
{
    int a = new_user("a@x"), b = new_user("b@x");
    int p = new_post(a, "p");
    OK(post_update(db, PID(p), &(PostUpdateInput){ .author = { .connect = UID(b) } }, NULL));
    ck_assert_int_eq(col_of("Post", "authorId", p), b);
    /* The same record again: idempotent. */
    OK(post_update(db, PID(p), &(PostUpdateInput){ .author = { .connect = &(UserWhereUniqueInput){ .email = "b@x" } } }, NULL));
    ck_assert_int_eq(col_of("Post", "authorId", p), b);
    OK(post_update(db, PID(p), &(PostUpdateInput){ .author = { .update = &(UserUpdateInput){ .name = "Bee" } } }, NULL));
    ck_assert_str_eq(str_of("User", "name", b), "Bee");
    ck_assert_str_eq(str_of("User", "name", a), "NULL");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .author = { .upsert = &(UserUpsertWithWhereInput){ .create = &(UserCreateInput){ .email = "never@x" },
                                                                                           .update = &(UserUpdateInput){ .name = "B2" } } } },
                   NULL));
    ck_assert_str_eq(str_of("User", "name", b), "B2");
    ck_assert_int_eq(user_id("never@x"), 0);
    OK(post_update(db, PID(p), &(PostUpdateInput){ .title = "moved", .author = { .create = &(UserCreateInput){ .email = "c@x" } } }, NULL));
    int c = user_id("c@x");
    ck_assert_int_ne(c, 0);
    ck_assert_int_eq(col_of("Post", "authorId", p), c);
    ck_assert_str_eq(str_of("Post", "title", p), "moved");
    ck_assert_int_eq(rows("User"), 3);
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .author = { .connect_or_create = &(UserConnectOrCreateInput){
                                                       .where = &(UserWhereUniqueInput){ .email = "a@x" },
                                                       .create = &(UserCreateInput){ .email = "a@x" } } } },
                   NULL));
    ck_assert_int_eq(col_of("Post", "authorId", p), a);
    ck_assert_int_eq(rows("User"), 3);
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .author = { .connect_or_create = &(UserConnectOrCreateInput){
                                                       .where = &(UserWhereUniqueInput){ .email = "d@x" },
                                                       .create = &(UserCreateInput){ .email = "d@x" } } } },
                   NULL));
    ck_assert_int_eq(col_of("Post", "authorId", p), user_id("d@x"));
    ck_assert_int_eq(rows("User"), 4);
    ck_assert_int_eq(rows("Post"), 1);
}
END_TEST

/* ==== 1-n with an optional foreign key: Post.comments / Comment.post ==== */

/* Items 53, 57, 62, 64, 65, 67, 69, 74, 75: every operation from the parent
 * side; disconnecting what is not connected is a no-op; set replaces. */
START_TEST(optional_one_to_many_from_the_parent_side)
{
    int a = new_user("a@x");
    Post *made = NULL;
    OK(post_create_include(db,
                           &(PostCreateInput){ .title = "P", .slug = "P", .authorId = PRISMA_INT(a),
                                               .comments = { MANY(create, CommentCreateInput, { .text = "c1" }, { .text = "c2" },
                                                                  { .text = "c3", .likes = PRISMA_INT(1) }) } },
                           &(PostInclude){ .comments = true }, &made));
    ck_assert_ptr_nonnull(made->comments);
    ck_assert_uint_eq(made->comments->len, 3);
    int P_ = made->id;
    for (size_t i = 0; i < made->comments->len; i++) {
        ck_assert_ptr_nonnull(made->comments->items[i].postId);
        ck_assert_int_eq(*made->comments->items[i].postId, P_);
        ck_assert_int_eq(made->comments->items[i].id, comment_id(made->comments->items[i].text));
    }
    post_free(made);
    int Q = new_post(a, "Q");
    int cq = new_comment("cq", Q);
    new_comment("free", 0);
    ck_assert_str_eq(COMMENTS_OF(P_), "c1,c2,c3");

    /* disconnect: the FK becomes NULL; what is not connected is left alone. */
    OK(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { MANY(disconnect, CommentWhereUniqueInput, { .text = "c1" }) } }, NULL));
    ck_assert_int_eq(col_of("Comment", "postId", comment_id("c1")), NULLV);
    ck_assert_str_eq(COMMENTS_OF(P_), "c2,c3");
    OK(post_update(db, PID(P_),
                   &(PostUpdateInput){ .comments = { MANY(disconnect, CommentWhereUniqueInput, { .text = "c1" }, { .text = "cq" }, { .text = "nope" }) } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "c2,c3");
    ck_assert_int_eq(col_of("Comment", "postId", cq), Q);

    /* set replaces every link. */
    OK(post_update(db, PID(P_),
                   &(PostUpdateInput){ .comments = { MANY(set, CommentWhereUniqueInput, { .text = "c2" }, { .text = "free" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "c2,free");
    ck_assert_int_eq(col_of("Comment", "postId", comment_id("c3")), NULLV);
    /* A comment connected elsewhere moves. */
    OK(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { MANY(set, CommentWhereUniqueInput, { .text = "cq" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "cq");
    ck_assert_str_eq(COMMENTS_OF(Q), "");
    /* set with no records removes every link. */
    OK(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { .set_given = true } }, NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "");
    /* set entries that match nothing: the relation ends empty, no error. */
    OK(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { MANY(connect, CommentWhereUniqueInput, { .text = "c1" }) } }, NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "c1");
    OK(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { MANY(set, CommentWhereUniqueInput, { .text = "nope" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "");
    ck_assert_int_eq(rows("Comment"), 5);

    /* connect_or_create and create_many. */
    OK(post_update(db, PID(P_),
                   &(PostUpdateInput){ .comments = { MANY(connect_or_create, CommentConnectOrCreateInput,
                                                          { .where = CTEXT("c1"), .create = &(CommentCreateInput){ .text = "c1" } },
                                                          { .where = CTEXT("c4"), .create = &(CommentCreateInput){ .text = "c4" } }),
                                                     MANY(create_many, CommentCreateInput, { .text = "m1" }, { .text = "m2" }) } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "c1,c4,m1,m2");
    ck_assert_int_eq(rows("Comment"), 8);

    /* update, upsert (an update and a create) and delete. */
    OK(post_update(db, PID(P_),
                   &(PostUpdateInput){ .comments = {
                                           MANY(update, CommentUpdateWithWhereInput,
                                                { .where = CTEXT("c1"), .data = &(CommentUpdateInput){ .likes = { .increment = PRISMA_INT(5) } } }),
                                           MANY(upsert, CommentUpsertWithWhereInput,
                                                { .where = CTEXT("m1"),
                                                  .create = &(CommentCreateInput){ .text = "never" },
                                                  .update = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(7) } } },
                                                { .where = CTEXT("u1"),
                                                  .create = &(CommentCreateInput){ .text = "u1", .likes = PRISMA_INT(2) },
                                                  .update = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(99) } } }),
                                           DELETE_MANY_(CommentWhereUniqueInput, { .text = "m2" }) } },
                   NULL));
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("c1")), 5);
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("m1")), 7);
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("u1")), 2);
    ck_assert_int_eq(comment_id("never"), 0);
    ck_assert_int_eq(comment_id("m2"), 0);
    ck_assert_str_eq(COMMENTS_OF(P_), "c1,c4,m1,u1");

    /* Errors. */
    snapshot before = snap();
    FAILS(post_update(db, PID(P_),
                      &(PostUpdateInput){ .comments = { MANY(update, CommentUpdateWithWhereInput,
                                                             { .where = CTEXT("cq"), .data = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(1) } } }) } },
                      NULL),
          "P2025", NESTED_MISSING("Comment", "update", "one-to-many", "CommentToPost"));
    FAILS(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { DELETE_MANY_(CommentWhereUniqueInput, { .text = "c2" }) } }, NULL),
          "P2017", NOT_CONNECTED("CommentToPost", "Post", "Comment"));
    FAILS(post_update(db, PID(P_),
                      &(PostUpdateInput){ .comments = { MANY(connect, CommentWhereUniqueInput, { .text = "c2" }, { .text = "nope" }) } }, NULL),
          "P2018", INCOMPLETE_CONNECT(2, 1, "one-to-many", "CommentToPost"));
    UNCHANGED(before);
    ck_assert_int_eq(col_of("Comment", "postId", comment_id("c2")), NULLV);
    ck_assert_int_eq(col_of("Comment", "likes", cq), 0);
}
END_TEST

/* Items 63, 64, 69, 74, 75 from the child side of an optional relation. */
START_TEST(optional_one_to_many_from_the_child_side)
{
    int a = new_user("a@x");
    int P_ = new_post(a, "P");
    int c = new_comment("c", 0);
#define CID(x) (&(CommentWhereUniqueInput){ .id = PRISMA_INT(x) })
    /* Nothing connected: disconnect is a no-op, update and delete are P2025. */
    OK(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .disconnect = true } }, NULL));
    ck_assert_int_eq(col_of("Comment", "postId", c), NULLV);
    snapshot before = snap();
    FAILS(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .update = &(PostUpdateInput){ .title = "x" } } }, NULL), "P2025",
          NESTED_MISSING("Post", "update", "one-to-many", "CommentToPost"));
    FAILS(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .delete_ = true } }, NULL), "P2025",
          NESTED_MISSING("Post", "delete", "one-to-many", "CommentToPost"));
    FAILS(comment_update(db, CID(c), &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(3) }, .post = { .connect = PID(99999) } }, NULL),
          "P2025", INLINE_CONNECT("Post", "Comment", "one-to-many", "CommentToPost"));
    UNCHANGED(before);
    ck_assert_int_eq(col_of("Comment", "likes", c), 0);

    OK(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .connect = PSLUG("P") } }, NULL));
    ck_assert_int_eq(col_of("Comment", "postId", c), P_);
    OK(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .update = &(PostUpdateInput){ .title = "T" } } }, NULL));
    ck_assert_str_eq(str_of("Post", "title", P_), "T");
    OK(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .disconnect = true } }, NULL));
    ck_assert_int_eq(col_of("Comment", "postId", c), NULLV);
    ck_assert_int_eq(col_of("Post", "id", P_), P_);

    /* upsert creates when nothing is connected, then updates the connected one. */
    OK(comment_update(db, CID(c),
                      &(CommentUpdateInput){ .post = { .upsert = &(PostUpsertWithWhereInput){
                                                           .create = &(PostCreateInput){ .title = "U", .slug = "U", .author = { .connect = UID(a) } },
                                                           .update = &(PostUpdateInput){ .title = "never" } } } },
                      NULL));
    int U = post_id("U");
    ck_assert_int_ne(U, 0);
    ck_assert_int_eq(col_of("Comment", "postId", c), U);
    ck_assert_str_eq(str_of("Post", "title", U), "U");
    OK(comment_update(db, CID(c),
                      &(CommentUpdateInput){ .post = { .upsert = &(PostUpsertWithWhereInput){
                                                           .create = &(PostCreateInput){ .title = "never", .slug = "U2", .author = { .connect = UID(a) } },
                                                           .update = &(PostUpdateInput){ .title = "U!" } } } },
                      NULL));
    ck_assert_str_eq(str_of("Post", "title", U), "U!");
    ck_assert_int_eq(post_id("U2"), 0);

    /* create: a new post (with a new author: Comment > Post > User). */
    OK(comment_update(db, CID(c),
                      &(CommentUpdateInput){ .post = { .create = &(PostCreateInput){ .title = "N", .slug = "N",
                                                                                     .author = { .create = &(UserCreateInput){ .email = "n@x" } } } } },
                      NULL));
    int N = post_id("N");
    ck_assert_int_eq(col_of("Comment", "postId", c), N);
    ck_assert_int_eq(col_of("Post", "authorId", N), user_id("n@x"));
    OK(comment_update(db, CID(c),
                      &(CommentUpdateInput){ .post = { .connect_or_create = &(PostConnectOrCreateInput){
                                                           .where = PSLUG("P"), .create = &(PostCreateInput){ .title = "never", .slug = "P" } } } },
                      NULL));
    ck_assert_int_eq(col_of("Comment", "postId", c), P_);

    /* delete: the post goes, the comment stays (onDelete: SetNull). */
    OK(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .delete_ = true } }, NULL));
    ck_assert_int_eq(col_of("Post", "id", P_), MISSING);
    ck_assert_int_eq(col_of("Comment", "postId", c), NULLV);

    /* In a create. */
    Comment *d = NULL;
    OK(comment_create(db, &(CommentCreateInput){ .text = "d", .post = { .connect = PSLUG("U") } }, &d));
    ck_assert_ptr_nonnull(d->postId);
    ck_assert_int_eq(*d->postId, U);
    comment_free(d);
    FAILS(comment_create(db, &(CommentCreateInput){ .text = "e", .post = { .connect = PSLUG("gone") } }, NULL), "P2025",
          INLINE_CONNECT("Post", "Comment", "one-to-many", "CommentToPost"));
    ck_assert_int_eq(comment_id("e"), 0);
}
END_TEST

void nw_one_to_many_tests(TCase *tc)
{
    tcase_add_test(tc, one_to_many_create_from_the_parent_side);
    tcase_add_test(tc, one_to_many_create_from_the_child_side);
    tcase_add_test(tc, one_to_many_connect_from_the_parent_side);
    tcase_add_test(tc, one_to_many_connect_or_create_from_the_parent_side);
    tcase_add_test(tc, one_to_many_update_upsert_and_delete_from_the_parent_side);
    tcase_add_test(tc, one_to_many_update_many_and_delete_many_touch_only_connected_records);
    tcase_add_test(tc, one_to_many_errors);
    tcase_add_test(tc, one_to_many_from_the_child_side_in_an_update);
    tcase_add_test(tc, optional_one_to_many_from_the_parent_side);
    tcase_add_test(tc, optional_one_to_many_from_the_child_side);
}
