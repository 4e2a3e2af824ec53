/* The nested-writes suite (tests/nested_writes/support.c): implicit m-n relations. */
#include "nested_writes.h"

/* ==== implicit m-n: Post.tags / Tag.posts ==== */

/* Items 53, 58, 60, 62 from both sides. */
START_TEST(many_to_many_create_connect_and_connect_or_create)
{
    int a = new_user("a@x");
    new_tag("c");
    Post *p = NULL;
    OK(post_create_include(db,
                           &(PostCreateInput){ .title = "p", .slug = "p", .authorId = PRISMA_INT(a),
                                               .tags = { MANY(create, TagCreateInput, { .name = "a" }, { .name = "b" }),
                                                         MANY(connect, TagWhereUniqueInput, { .name = "c" }),
                                                         MANY(connect_or_create, TagConnectOrCreateInput,
                                                              { .where = TNAME("d"), .create = &(TagCreateInput){ .name = "d" } },
                                                              { .where = TNAME("c"), .create = &(TagCreateInput){ .name = "c" } }) } },
                           &(PostInclude){ .tags = true }, &p));
    ck_assert_ptr_nonnull(p->tags);
    ck_assert_uint_eq(p->tags->len, 4);
    for (size_t i = 0; i < p->tags->len; i++)
        ck_assert_int_eq(p->tags->items[i].id, tag_id(p->tags->items[i].name));
    int pid = p->id;
    post_free(p);
    ck_assert_str_eq(TAGS_OF(pid), "a,b,c,d");
    ck_assert_int_eq(rows("Tag"), 4);
    ck_assert_int_eq(rows("_PostToTag"), 4);
    /* From the tag side. */
    int q = new_post(a, "q");
    OK(tag_update(db, TNAME("c"), &(TagUpdateInput){ .posts = { MANY(connect, PostWhereUniqueInput, { .slug = "q" }) } }, NULL));
    ck_assert_str_eq(TAGS_OF(q), "c");
    OK(tag_create(db,
                  &(TagCreateInput){ .name = "e",
                                     .posts = { MANY(create, PostCreateInput, { .title = "r", .slug = "r", .author = { .connect = UID(a) } }),
                                                MANY(connect, PostWhereUniqueInput, { .slug = "q" }) } },
                  NULL));
    ck_assert_str_eq(TAGS_OF(q), "c,e");
    ck_assert_str_eq(TAGS_OF(post_id("r")), "e");
    ck_assert_int_eq(col_of("Post", "authorId", post_id("r")), a);
    OK(tag_update(db, TNAME("a"),
                  &(TagUpdateInput){ .posts = { MANY(connect_or_create, PostConnectOrCreateInput,
                                                     { .where = PSLUG("s"),
                                                       .create = &(PostCreateInput){ .title = "s", .slug = "s", .author = { .connect = UID(a) } } }) } },
                  NULL));
    ck_assert_str_eq(TAGS_OF(post_id("s")), "a");
    /* Connecting what is already connected is not an error (item 60). */
    OK(post_update(db, PID(q), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "a" }) } }, NULL));
    ck_assert_str_eq(TAGS_OF(q), "a,c,e");
    int64_t links = rows("_PostToTag");
    OK(post_update(db, PID(q), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "a" }, { .name = "c" }) } }, NULL));
    OK(post_update(db, PID(q),
                   &(PostUpdateInput){ .tags = { MANY(connect_or_create, TagConnectOrCreateInput,
                                                      { .where = TNAME("e"), .create = &(TagCreateInput){ .name = "e" } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(q), "a,c,e");
    ck_assert_int_eq(rows("_PostToTag"), links);
    ck_assert_int_eq(rows("Tag"), 5);
}
END_TEST

/* Items 65, 67, 68 on m-n. */
START_TEST(many_to_many_set_and_disconnect)
{
    int a = new_user("a@x");
    new_tag("a");
    new_tag("b");
    new_tag("c");
    new_tag("d");
    int p = new_post(a, "p");
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "a" }, { .name = "b" }) } }, NULL));
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(set, TagWhereUniqueInput, { .name = "c" }, { .name = "d" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "c,d");
    /* One kept, one new (issue 28151: linked and new ones end up linked). */
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(set, TagWhereUniqueInput, { .name = "c" }, { .name = "d" }, { .name = "a" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "a,c,d");
    /* disconnect: b is not connected (a no-op), a and d are; the tags stay. */
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(disconnect, TagWhereUniqueInput, { .name = "a" }, { .name = "b" }, { .name = "d" }) } }, NULL));
    ck_assert_str_eq(TAGS_OF(p), "c");
    ck_assert_int_eq(rows("Tag"), 4);
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { .set_given = true } }, NULL));
    ck_assert_str_eq(TAGS_OF(p), "");
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "a" }) } }, NULL));
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(set, TagWhereUniqueInput, { .name = "nope" }), .set_given = true } }, NULL));
    ck_assert_str_eq(TAGS_OF(p), "");
    ck_assert_int_eq(rows("_PostToTag"), 0);
    /* From the tag side. */
    int q = new_post(a, "q");
    OK(tag_update(db, TNAME("a"), &(TagUpdateInput){ .posts = { MANY(set, PostWhereUniqueInput, { .slug = "p" }, { .slug = "q" }), .set_given = true } },
                  NULL));
    ck_assert_str_eq(TAGS_OF(p), "a");
    ck_assert_str_eq(TAGS_OF(q), "a");
    OK(tag_update(db, TNAME("a"), &(TagUpdateInput){ .posts = { MANY(disconnect, PostWhereUniqueInput, { .slug = "q" }) } }, NULL));
    ck_assert_str_eq(TAGS_OF(q), "");
    ck_assert_str_eq(TAGS_OF(p), "a");
    ck_assert_int_eq(rows("Post"), 2);
}
END_TEST

/* Items 59, 69, 71, 74, 75, 76, 77 on m-n. */
START_TEST(many_to_many_update_upsert_delete_and_errors)
{
    int a = new_user("a@x");
    Post *made = NULL;
    OK(post_create(db, &(PostCreateInput){ .title = "p", .slug = "p", .authorId = PRISMA_INT(a), .tags = { MANY(create, TagCreateInput, { .name = "t1" }, { .name = "t2" }) } },
                   &made));
    int p = made->id;
    post_free(made);
    int q = new_post(a, "q");
    OK(post_update(db, PID(q), &(PostUpdateInput){ .tags = { MANY(create, TagCreateInput, { .name = "t3" }) } }, NULL));
    new_tag("tz");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(update, TagUpdateWithWhereInput, { .where = TNAME("t1"), .data = &(TagUpdateInput){ .name = "T1" } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "T1,t2");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(upsert, TagUpsertWithWhereInput,
                                                      { .where = TNAME("t2"), .create = &(TagCreateInput){ .name = "never" }, .update = &(TagUpdateInput){ .name = "T2" } },
                                                      { .where = TNAME("t4"), .create = &(TagCreateInput){ .name = "t4" }, .update = &(TagUpdateInput){ .name = "never" } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "T1,T2,t4");
    ck_assert_int_eq(tag_id("never"), 0);
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { DELETE_MANY_(TagWhereUniqueInput, { .name = "T1" }) } }, NULL));
    ck_assert_int_eq(tag_id("T1"), 0);
    ck_assert_str_eq(TAGS_OF(p), "T2,t4");

    snapshot before = snap();
    FAILS(post_update(db, PID(p),
                      &(PostUpdateInput){ .tags = { MANY(update, TagUpdateWithWhereInput, { .where = TNAME("t3"), .data = &(TagUpdateInput){ .name = "x" } }) } },
                      NULL),
          "P2025", NESTED_MISSING("Tag", "update", "many-to-many", "PostToTag"));
    FAILS(post_update(db, PID(p), &(PostUpdateInput){ .tags = { DELETE_MANY_(TagWhereUniqueInput, { .name = "t3" }) } }, NULL), "P2017",
          NOT_CONNECTED("PostToTag", "Post", "Tag"));
    FAILS(tag_update(db, TNAME("t3"), &(TagUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .slug = "p" }) } }, NULL), "P2017",
          NOT_CONNECTED("PostToTag", "Tag", "Post"));
    FAILS(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "tz" }, { .name = "nope" }) } }, NULL),
          "P2025", M2N_CONNECT(2, 1));
    FAILS(post_create(db, &(PostCreateInput){ .title = "n", .slug = "n", .authorId = PRISMA_INT(a), .tags = { MANY(connect, TagWhereUniqueInput, { .name = "nope" }) } },
                      NULL),
          "P2025", M2N_CONNECT(1, 0));
    UNCHANGED(before);
    ck_assert_str_eq(TAGS_OF(p), "T2,t4");
    ck_assert_str_eq(TAGS_OF(q), "t3");

    /* update_many and delete_many: only the connected records. */
    OK(post_update(db, PID(q), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "tz" }, { .name = "t4" }) } }, NULL));
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(delete_many, TagWhereInput, { .name = { .starts_with = "t" } }) } }, NULL));
    ck_assert_int_eq(tag_id("t4"), 0);
    ck_assert_int_ne(tag_id("t3"), 0);
    ck_assert_int_ne(tag_id("tz"), 0);
    /* Where text ignores case, "T2" starts with "t" too. */
    ck_assert_str_eq(TAGS_OF(p), testdb->case_insensitive_text ? "" : "T2");
    ck_assert_str_eq(TAGS_OF(q), "t3,tz");
    int r = new_post(a, "r");
    OK(tag_update(db, TNAME("tz"),
                  &(TagUpdateInput){ .posts = { MANY(update_many, PostUpdateManyWithWhereInput,
                                                     { .where = NULL, .data = &(PostUpdateInput){ .views = { .increment = PRISMA_INT(1) } } }) } },
                  NULL));
    ck_assert_int_eq(col_of("Post", "views", q), 1);
    ck_assert_int_eq(col_of("Post", "views", p), 0);
    ck_assert_int_eq(col_of("Post", "views", r), 0);
    OK(tag_update(db, TNAME("tz"), &(TagUpdateInput){ .posts = { MANY(delete_many, PostWhereInput, { .AND = NULL }) } }, NULL));
    ck_assert_int_eq(col_of("Post", "id", q), MISSING);
    ck_assert_int_eq(col_of("Post", "id", p), p);
    ck_assert_int_eq(col_of("Post", "id", r), r);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"_PostToTag\" WHERE \"A\" = $1", q), 0);
}
END_TEST

void nw_many_to_many_tests(TCase *tc)
{
    tcase_add_test(tc, many_to_many_create_connect_and_connect_or_create);
    tcase_add_test(tc, many_to_many_set_and_disconnect);
    tcase_add_test(tc, many_to_many_update_upsert_delete_and_errors);
}
