/* The nested-writes suite (tests/nested_writes/support.c): atomicity, what a nested write may not say, batched writes and lengths. */
#include "nested_writes.h"

/* ==== atomicity ==== */

/* A user with a profile, a passport, two posts (with tags, comments and
 * reactions), whose last step fails in one of four ways. */
static int big_failing_create(prisma_client *c, int how)
{
    const TagWhereUniqueInput missing_tag[] = { { .name = "t-old" }, { .name = "nope" } };
    const CommentCreateInput last_comments[] = { { .text = "fresh" }, { .text = how == 1 ? "taken" : "fresh2" } };
    PostCreateInput posts[] = {
        { .title = "f1", .slug = "f1",
          .tags = { MANY(create, TagCreateInput, { .name = "t-new" }),
                    MANY(connect_or_create, TagConnectOrCreateInput, { .where = TNAME("t-new2"), .create = &(TagCreateInput){ .name = "t-new2" } }) },
          .comments = { MANY(create, CommentCreateInput, { .text = "fc", .reactions = { MANY(create, ReactionCreateInput, { .kind = "like" }) } }) } },
        { .title = "f2", .slug = "f2",
          .comments = { .create = last_comments, .create_len = 2 },
          .tags = { .connect = how == 2 ? missing_tag : NULL, .connect_len = how == 2 ? 2 : 0 } },
    };
    const PostWhereUniqueInput missing_post[] = { { .slug = "q" }, { .slug = "nope" } };
    UserCreateInput in = {
        .email = "new@x",
        .profile = { .create = &(ProfileCreateInput){ .bio = "b" } },
        .posts = { .create = posts, .create_len = 2,
                   .connect = how == 0 ? missing_post : NULL, .connect_len = how == 0 ? 2 : 0 },
        .passport = { .create = how == 3 ? &(PassportCreateInput){ .number = "taken" } : &(PassportCreateInput){ .number = "new" } },
    };
    return user_create(c, &in, NULL);
}

static const char *const big_codes[] = { "P2018", "P2002", "P2025", "P2002" };

static void make_old_data(void)
{
    int b = new_user("b@x");
    new_post(b, "q");
    new_tag("t-old");
    new_comment("taken", 0);
    OK(passport_create(db, &(PassportCreateInput){ .number = "taken" }, NULL));
}

/* Issue 5: a nested create that fails at its last step leaves no trace. */
START_TEST(a_failing_nested_create_leaves_no_trace)
{
    make_old_data();
    snapshot before = snap();
    for (int how = 0; how < 4; how++) {
        FAILS(big_failing_create(db, how), big_codes[how], NULL);
        UNCHANGED(before);
        ck_assert_int_eq(user_id("new@x"), 0);
        ck_assert_int_eq(tag_id("t-new"), 0);
        ck_assert_str_eq(SLUGS_OF(user_id("b@x")), "q");
    }
    /* upsert: a failing nested write in either branch leaves nothing. */
    FAILS(user_upsert(db, &(UserWhereUniqueInput){ .email = "new@x" },
                      &(UserCreateInput){ .email = "new@x", .posts = { MANY(create, PostCreateInput, { .title = "u1", .slug = "u1" }),
                                                                       MANY(connect, PostWhereUniqueInput, { .slug = "nope" }) } },
                      &(UserUpdateInput){ .name = "never" }, NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-many", "PostToUser"));
    FAILS(user_upsert(db, &(UserWhereUniqueInput){ .email = "b@x" }, &(UserCreateInput){ .email = "b@x" },
                      &(UserUpdateInput){ .name = "never", .posts = { MANY(create, PostCreateInput, { .title = "u1", .slug = "u1" }),
                                                                      DELETE_MANY_(PostWhereUniqueInput, { .slug = "nope" }) } },
                      NULL),
          "P2017", NOT_CONNECTED("PostToUser", "User", "Post"));
    UNCHANGED(before);
    ck_assert_str_eq(str_of("User", "name", user_id("b@x")), "NULL");
    /* The same input without the failure goes through. */
    OK(big_failing_create(db, 4));
    snapshot after = snap();
    ck_assert_int_eq(total_rows(&after) - total_rows(&before), 1 + 1 + 1 + 2 + 3 + 1 + 2 + 2);
    ck_assert_str_eq(SLUGS_OF(user_id("new@x")), "f1,f2");
}
END_TEST

/* Item 70: a failing nested update changes nothing, not even the parent's
 * own fields, whatever ran before the failing step. */
START_TEST(a_failing_nested_update_leaves_no_trace)
{
    User *u = NULL;
    OK(user_create(db,
                   &(UserCreateInput){ .email = "a@x",
                                       .profile = { .create = &(ProfileCreateInput){ .bio = "bio" } },
                                       .posts = { MANY(create, PostCreateInput,
                                                       { .title = "p1", .slug = "p1", .tags = { MANY(create, TagCreateInput, { .name = "t1" }) },
                                                         .comments = { MANY(create, CommentCreateInput, { .text = "c1" }) } },
                                                       { .title = "p2", .slug = "p2" }) } },
                   &u));
    int a = u->id;
    user_free(u);
    int b = new_user("b@x");
    new_post(b, "q");
    snapshot before = snap();
    /* The connect (after create, update and delete) fails. */
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .name = "changed",
                                          .profile = { .update = &(ProfileUpdateInput){ .bio = "changed" } },
                                          .posts = { MANY(create, PostCreateInput, { .title = "p3", .slug = "p3", .comments = { MANY(create, CommentCreateInput, { .text = "c3" }) } }),
                                                     MANY(update, PostUpdateWithWhereInput,
                                                          { .where = PSLUG("p1"),
                                                            .data = &(PostUpdateInput){ .title = "changed", .tags = { MANY(create, TagCreateInput, { .name = "t2" }) } } }),
                                                     DELETE_MANY_(PostWhereUniqueInput, { .slug = "p2" }),
                                                     MANY(connect, PostWhereUniqueInput, { .slug = "q" }, { .slug = "nope" }) } },
                      NULL),
          "P2018", INCOMPLETE_CONNECT(2, 1, "one-to-many", "PostToUser"));
    UNCHANGED(before);
    ck_assert_str_eq(str_of("User", "name", a), "NULL");
    ck_assert_str_eq(PROFILE_OF(a), "bio");
    ck_assert_str_eq(str_of("Post", "title", post_id("p1")), "p1");
    ck_assert_str_eq(SLUGS_OF(a), "p1,p2");
    ck_assert_str_eq(SLUGS_OF(b), "q");
    ck_assert_str_eq(TAGS_OF(post_id("p1")), "t1");
    /* A failure two levels down, after the other writes of the level above. */
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .name = "changed",
                                          .posts = { MANY(update, PostUpdateWithWhereInput,
                                                          { .where = PSLUG("p1"),
                                                            .data = &(PostUpdateInput){
                                                                .title = "changed",
                                                                .comments = { MANY(create, CommentCreateInput, { .text = "c4" }),
                                                                              MANY(update, CommentUpdateWithWhereInput,
                                                                                   { .where = CTEXT("nope"), .data = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(1) } } }) } } }) } },
                      NULL),
          "P2025", NESTED_MISSING("Comment", "update", "one-to-many", "CommentToPost"));
    UNCHANGED(before);
    ck_assert_str_eq(str_of("User", "name", a), "NULL");
    ck_assert_int_eq(comment_id("c4"), 0);
    /* And a to-one create that would orphan the profile (P2014), last. */
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .name = "changed",
                                          .posts = { MANY(create, PostCreateInput, { .title = "p4", .slug = "p4" }) },
                                          .profile = { .create = &(ProfileCreateInput){ .bio = "second" } } },
                      NULL),
          "P2014", REQUIRED_RELATION("ProfileToUser", "Profile", "User"));
    UNCHANGED(before);
    ck_assert_int_eq(post_id("p4"), 0);
}
END_TEST

typedef struct tx_work {
    int user;
    const char *prefix; /* of the slugs and tag names written */
    int create_rc, update_rc;
    char create_code[16], update_code[16];
    bool fail_at_end;
} tx_work;

static int nested_in_tx(prisma_client *tx, void *arg)
{
    tx_work *w = arg;
    char s1n[16], s2n[16], s3n[16], tn[16];
    snprintf(s1n, sizeof s1n, "%s1", w->prefix);
    snprintf(s2n, sizeof s2n, "%s2", w->prefix);
    snprintf(s3n, sizeof s3n, "%s3", w->prefix);
    snprintf(tn, sizeof tn, "%stag", w->prefix);
    OKC(tx, user_update(tx, UID(w->user), &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = s1n, .slug = s1n }) } }, NULL));
    snapshot s1 = snap_on(tx);
    w->create_rc = big_failing_create(tx, 0);
    snprintf(w->create_code, sizeof w->create_code, "%s", code_of(tx));
    snapshot s2 = snap_on(tx);
    same_rows(&s1, &s2);
    w->update_rc = user_update(tx, UID(w->user),
                               &(UserUpdateInput){ .name = "changed",
                                                   .posts = { MANY(create, PostCreateInput, { .title = s2n, .slug = s2n }),
                                                              DELETE_MANY_(PostWhereUniqueInput, { .slug = "nope" }) } },
                               NULL);
    snprintf(w->update_code, sizeof w->update_code, "%s", code_of(tx));
    snapshot s3 = snap_on(tx);
    same_rows(&s1, &s3);
    OKC(tx, user_update(tx, UID(w->user),
                        &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = s3n, .slug = s3n, .tags = { MANY(create, TagCreateInput, { .name = tn }) } }) } },
                        NULL));
    if (w->fail_at_end)
        return prisma_fail(tx, "no");
    return PRISMA_OK;
}

/* Issue 5: inside an interactive transaction a failing nested write is undone
 * (a savepoint) and the transaction goes on and commits the other writes. */
START_TEST(a_failing_nested_write_inside_a_transaction_is_undone_and_the_transaction_goes_on)
{
    make_old_data();
    int a = new_user("a@x");
    snapshot before = snap();
    tx_work w = { .user = a, .prefix = "t" };
    OK(prisma_transaction(db, nested_in_tx, &w, NULL));
    ck_assert_int_eq(w.create_rc, PRISMA_ERROR);
    ck_assert_str_eq(w.create_code, "P2018");
    ck_assert_int_eq(w.update_rc, PRISMA_ERROR);
    ck_assert_str_eq(w.update_code, "P2017");
    ck_assert_str_eq(SLUGS_OF(a), "t1,t3");
    ck_assert_str_eq(TAGS_OF(post_id("t3")), "ttag");
    ck_assert_str_eq(str_of("User", "name", a), "NULL");
    ck_assert_int_eq(user_id("new@x"), 0);
    snapshot after = snap();
    ck_assert_int_eq(total_rows(&after) - total_rows(&before), 2 + 1 + 1);
    /* When the transaction itself rolls back, the nested writes that
     * succeeded in it go too. */
    w = (tx_work){ .user = a, .prefix = "u", .fail_at_end = true };
    ck_assert_int_eq(prisma_transaction(db, nested_in_tx, &w, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), "USER");
    UNCHANGED(after);
    /* The same in a manual transaction: the failed nested write is undone,
     * the transaction stays usable and commits the rest. */
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    OKC(tx, user_update(tx, UID(a), &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "v1", .slug = "v1" }) } }, NULL));
    FAILS_ON(tx, big_failing_create(tx, 1), "P2002", NULL);
    FAILS_ON(tx,
             user_update(tx, UID(a),
                         &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "v2", .slug = "v2" }),
                                                        MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("q"), .data = &(PostUpdateInput){ .title = "x" } }) } },
                         NULL),
             "P2025", NESTED_MISSING("Post", "update", "one-to-many", "PostToUser"));
    OKC(tx, user_update(tx, UID(a), &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "v3", .slug = "v3" }) } }, NULL));
    OKC(tx, prisma_tx_commit(tx));
    prisma_tx_free(tx);
    ck_assert_str_eq(SLUGS_OF(a), "t1,t3,v1,v3");
    ck_assert_str_eq(str_of("Post", "title", post_id("q")), "q");
    ck_assert_int_eq(user_id("new@x"), 0);
}
END_TEST

/* ==== P2009: what a nested write may not say ==== */

START_TEST(nested_children_may_not_set_their_own_foreign_keys_or_back_relations)
{
    int a = new_user("a@x");
    int p = new_post(a, "p");
    new_tag("t");
    snapshot before = snap();
    /* The foreign key and the relation at once. */
    FAILS(post_create(db, &(PostCreateInput){ .title = "x", .slug = "x", .authorId = PRISMA_INT(a), .author = { .connect = UID(a) } }, NULL), "P2009",
          NULL);
    /* A nested child's key is filled by the runtime. */
    FAILS(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { MANY(create, PostCreateInput, { .title = "x", .slug = "x", .authorId = PRISMA_INT(a) }) } },
                      NULL),
          "P2009", NULL);
    FAILS(user_create(db, &(UserCreateInput){ .email = "b@x", .profile = { .create = &(ProfileCreateInput){ .bio = "x", .userId = PRISMA_INT(a) } } }, NULL),
          "P2009", NULL);
    FAILS(post_update(db, PID(p), &(PostUpdateInput){ .comments = { MANY(create, CommentCreateInput, { .text = "x", .postId = PRISMA_INT(p) }) } }, NULL),
          "P2009", NULL);
    /* Nested writes on the back relation inside a nested child. */
    FAILS(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { MANY(create, PostCreateInput, { .title = "x", .slug = "x", .author = { .connect = UID(a) } }) } },
                      NULL),
          "P2009", NULL);
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                          { .title = "x", .slug = "x", .author = { .create = &(UserCreateInput){ .email = "c@x" } } }) } },
                      NULL),
          "P2009", NULL);
    /* create_many on m-n, and nested writes inside create_many items. */
    FAILS(post_create(db, &(PostCreateInput){ .title = "x", .slug = "x", .authorId = PRISMA_INT(a), .tags = { MANY(create_many, TagCreateInput, { .name = "m" }) } },
                      NULL),
          "P2009", NULL);
    FAILS(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(create_many, TagCreateInput, { .name = "m" }) } }, NULL), "P2009", NULL);
    FAILS(person_create(db, &(PersonCreateInput){ .name = "x", .following = { MANY(create_many, PersonCreateInput, { .name = "y" }) } }, NULL), "P2009",
          NULL);
    FAILS(user_create(db,
                      &(UserCreateInput){ .email = "b@x",
                                          .posts = { MANY(create_many, PostCreateInput, { .title = "x", .slug = "x", .tags = { MANY(connect, TagWhereUniqueInput, { .name = "t" }) } }) } },
                      NULL),
          "P2009", NULL);
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(create_many, PostCreateInput,
                                                          { .title = "x", .slug = "x", .comments = { MANY(create, CommentCreateInput, { .text = "c" }) } }) } },
                      NULL),
          "P2009", NULL);
    UNCHANGED(before);
}
END_TEST

/* ==== order and atomicity where writes are batched ==== */

/* Item 74: an upsert that finds nothing creates, and runs nothing of its
 * update, not even the nested writes that give the row its keys. */
START_TEST(an_upsert_that_creates_runs_nothing_of_its_update)
{
    int u = new_user("u@x");
    OK(passport_create(db, &(PassportCreateInput){ .number = "P0", .holder = { .connect = UID(u) } }, NULL));
    int64_t users = rows("User");
    Passport *n1 = NULL;
    OK(passport_upsert(db, &(PassportWhereUniqueInput){ .number = "N1" }, &(PassportCreateInput){ .number = "N1" },
                       &(PassportUpdateInput){ .holder = { .create = &(UserCreateInput){ .email = "ghost@x" } } }, &n1));
    ck_assert_ptr_null(n1->holderId);
    passport_free(n1);
    ck_assert_int_eq(user_id("ghost@x"), 0);
    ck_assert_int_eq(rows("User"), users);
    /* A connect in the update would have taken P0's holder. */
    OK(passport_upsert(db, &(PassportWhereUniqueInput){ .number = "N2" }, &(PassportCreateInput){ .number = "N2" },
                       &(PassportUpdateInput){ .holder = { .connect = UID(u) } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(u), "P0");
    /* When it finds the record, the update's nested writes run. */
    OK(passport_upsert(db, &(PassportWhereUniqueInput){ .number = "N2" }, &(PassportCreateInput){ .number = "N2" },
                       &(PassportUpdateInput){ .holder = { .connect = UID(u) } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(u), "N2");
}
END_TEST

/* Item 78 for records created together: creates run before connects, so a
 * record connects a tag created in the same call, whichever record made it. */
START_TEST(records_created_together_create_before_they_connect)
{
    int u = new_user("u@x");
    new_tag("old");
    OK(user_update(db, UID(u),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                       { .title = "a", .slug = "a",
                                                         .tags = { MANY(create, TagCreateInput, { .name = "new" }),
                                                                   MANY(connect, TagWhereUniqueInput, { .name = "new" }) } },
                                                       { .title = "b", .slug = "b",
                                                         .tags = { MANY(connect, TagWhereUniqueInput, { .name = "old" }) } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(post_id("a")), "new");
    ck_assert_str_eq(TAGS_OF(post_id("b")), "old");
    OK(user_update(db, UID(u),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                       { .title = "c", .slug = "c", .tags = { MANY(create, TagCreateInput, { .name = "newer" }) } },
                                                       { .title = "d", .slug = "d", .tags = { MANY(connect, TagWhereUniqueInput, { .name = "newer" }) } },
                                                       { .title = "e", .slug = "e", .tags = { MANY(connect, TagWhereUniqueInput, { .name = "old" }) } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(post_id("c")), "newer");
    ck_assert_str_eq(TAGS_OF(post_id("d")), "newer");
    ck_assert_str_eq(TAGS_OF(post_id("e")), "old");
}
END_TEST

/* Items 53, 58: the records of a list are created in order, so one can
 * connect a record an earlier one created (itself, or through its keys). */
START_TEST(a_record_in_a_list_connects_one_created_before_it)
{
    OK(person_create(db, &(PersonCreateInput){ .name = "root", .children = { MANY(create, PersonCreateInput, { .name = "c1" },
                                                                                  { .name = "c2", .mentor = { .connect = PNAME("c1") } }) } },
                     NULL));
    ck_assert_int_eq(col_of("Person", "mentorId", person_id("c2")), person_id("c1"));
    ck_assert_int_eq(col_of("Person", "parentId", person_id("c2")), person_id("root"));
    OK(tag_create(db, &(TagCreateInput){ .name = "t",
                                         .posts = { MANY(create, PostCreateInput,
                                                         { .title = "p1", .slug = "p1", .author = { .create = &(UserCreateInput){ .email = "x@x" } } },
                                                         { .title = "p2", .slug = "p2", .author = { .connect = &(UserWhereUniqueInput){ .email = "x@x" } } }) } },
                  NULL));
    ck_assert_int_eq(col_of("Post", "authorId", post_id("p1")), user_id("x@x"));
    ck_assert_int_eq(col_of("Post", "authorId", post_id("p2")), user_id("x@x"));
}
END_TEST

/* Item 78 and E9: the records of a list are written one after the other,
 * nested writes and all, so a record cannot connect what a later one
 * creates (nor the later row itself), and its connect_or_create comes first. */
START_TEST(a_record_in_a_list_does_not_see_what_later_ones_create)
{
    int u = new_user("u@x");
    snapshot before = snap();
    FAILS(user_update(db, UID(u),
                      &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                          { .title = "a", .slug = "a", .tags = { MANY(connect, TagWhereUniqueInput, { .name = "t" }) } },
                                                          { .title = "b", .slug = "b", .tags = { MANY(create, TagCreateInput, { .name = "t" }, { .name = "u" }) } }) } },
                      NULL),
          "P2025", M2N_CONNECT(1, 0));
    FAILS(user_update(db, UID(u),
                      &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                          { .title = "a", .slug = "a", .comments = { MANY(connect, CommentWhereUniqueInput, { .text = "c" }) } },
                                                          { .title = "b", .slug = "b", .comments = { MANY(create, CommentCreateInput, { .text = "c" }, { .text = "d" }) } }) } },
                      NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-many", "CommentToPost"));
    FAILS(person_create(db, &(PersonCreateInput){ .name = "root", .children = { MANY(create, PersonCreateInput,
                                                                                  { .name = "A", .children = { MANY(connect, PersonWhereUniqueInput, { .name = "B" }) } },
                                                                                  { .name = "B" }) } },
                        NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-many", "Family"));
    FAILS_WITH(user_update(db, UID(u),
                           &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                               { .title = "a", .slug = "a", .tags = { MANY(connect_or_create, TagConnectOrCreateInput,
                                                                                                           { .where = TNAME("t"), .create = &(TagCreateInput){ .name = "t" } }) } },
                                                               { .title = "b", .slug = "b", .tags = { MANY(create, TagCreateInput, { .name = "t" }, { .name = "u" }) } }) } },
                           NULL),
               "P2002", "(`name`)");
    UNCHANGED(before);
}
END_TEST

/* Items 58, 61: two new records of a list connect the same 1-1 partner: the
 * later one takes it over, as it would from any record. */
START_TEST(a_later_record_in_a_list_takes_a_one_to_one_partner_over)
{
    int m = new_person("M");
    OK(person_create(db, &(PersonCreateInput){ .name = "root",
                                               .children = { MANY(create, PersonCreateInput, { .name = "c1", .mentor = { .connect = PNAME("M") } },
                                                                  { .name = "c2", .mentor = { .connect = PNAME("M") } }) } },
                     NULL));
    ck_assert_int_eq(col_of("Person", "mentorId", person_id("c1")), NULLV);
    ck_assert_int_eq(col_of("Person", "mentorId", person_id("c2")), m);
}
END_TEST

/* Item 62: a connect_or_create list may name a record twice: created once,
 * connected once. */
START_TEST(connect_or_create_may_name_a_record_twice)
{
    int u = new_user("u@x");
    OK(user_update(db, UID(u),
                   &(UserUpdateInput){ .posts = { MANY(connect_or_create, PostConnectOrCreateInput,
                                                       { .where = PSLUG("d"), .create = &(PostCreateInput){ .title = "d", .slug = "d" } },
                                                       { .where = PSLUG("d"), .create = &(PostCreateInput){ .title = "d", .slug = "d" } }) } },
                   NULL));
    ck_assert_str_eq(SLUGS_OF(u), "d");
    ck_assert_int_eq(rows("Post"), 1);
    /* m-n: linked once. */
    OK(post_update(db, PSLUG("d"),
                   &(PostUpdateInput){ .tags = { MANY(connect_or_create, TagConnectOrCreateInput,
                                                      { .where = TNAME("t"), .create = &(TagCreateInput){ .name = "t" } },
                                                      { .where = TNAME("t"), .create = &(TagCreateInput){ .name = "t" } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(post_id("d")), "t");
    ck_assert_int_eq(rows("Tag"), 1);
}
END_TEST

/* Item 74 (and 56): a nested upsert finds no post of this user with that
 * slug and creates one; another user's post holds the slug: P2002, as a
 * plain create would be, and nothing changes. */
START_TEST(a_nested_upsert_whose_create_collides_outside_the_relation_is_p2002)
{
    int a = new_user("a@x"), b = new_user("b@x");
    new_post(b, "s");
    snapshot before = snap();
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(upsert, PostUpsertWithWhereInput,
                                                          { .where = PSLUG("s"), .create = &(PostCreateInput){ .title = "x", .slug = "s" },
                                                            .update = &(PostUpdateInput){ .title = "y" } }) } },
                      NULL),
          "P2002", "Unique constraint failed on the fields: (`slug`)");
    ck_assert_str_eq(prisma_error_model(db), "Post");
    UNCHANGED(before);
}
END_TEST

/* ==== lengths no array can have ==== */

/* A garbage length next to a real array (an uninitialised size_t, a negative
 * number cast) is refused with P2009 before any item is read or any size is
 * computed from it: no allocation wraps around, nothing is written. */
START_TEST(lengths_no_array_can_have_are_refused)
{
    int a = new_user("a@x");
    int p = new_post(a, "p");
    new_tag("t");
    snapshot before = snap();
    const size_t huge = SIZE_MAX / 2;
    PostCreateInput post = { .title = "x" };
    PostWhereUniqueInput where = { .slug = "p" };
    PostConnectOrCreateInput coc = { .where = &where, .create = &post };
    TagWhereUniqueInput tag = { .name = "t" };
#define HUGE_LIST(what) "`" what "` on `posts` has a length of"
    FAILS_WITH(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { .create = &post, .create_len = huge } }, NULL),
               "P2009", HUGE_LIST("create"));
    FAILS_WITH(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { .create_many = &post, .create_many_len = huge } },
                           NULL),
               "P2009", HUGE_LIST("create_many"));
    FAILS_WITH(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { .connect = &where, .connect_len = huge } }, NULL),
               "P2009", HUGE_LIST("connect"));
    FAILS_WITH(user_create(db, &(UserCreateInput){ .email = "b@x",
                                                   .posts = { .connect_or_create = &coc, .connect_or_create_len = huge } },
                           NULL),
               "P2009", HUGE_LIST("connect_or_create"));
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { .delete_ = &where, .delete_len = huge } }, NULL), "P2009",
               HUGE_LIST("delete_"));
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { .set = &where, .set_len = huge, .set_given = true } }, NULL),
               "P2009", HUGE_LIST("set"));
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { .delete_many = &(PostWhereInput){ 0 }, .delete_many_len = huge } },
                           NULL),
               "P2009", HUGE_LIST("delete_many"));
    /* Records created together: each one's list is checked too. */
    PostCreateInput two[2] = { { .title = "1", .tags = { .connect = &tag, .connect_len = 1 } },
                               { .title = "2", .tags = { .connect = &tag, .connect_len = huge } } };
    FAILS_WITH(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { .create = two, .create_len = 2 } }, NULL), "P2009",
               "`connect` on `tags` has a length of");
    /* And a top-level create_many. */
    FAILS_WITH(post_create_many(db, &post, huge, false, NULL), "P2009", "`data` has a length of");
#undef HUGE_LIST
    UNCHANGED(before);
    (void)p;
}
END_TEST

void nw_atomicity_tests(TCase *tc)
{
    tcase_add_test(tc, a_failing_nested_create_leaves_no_trace);
    tcase_add_test(tc, a_failing_nested_update_leaves_no_trace);
    tcase_add_test(tc, a_failing_nested_write_inside_a_transaction_is_undone_and_the_transaction_goes_on);
    tcase_add_test(tc, nested_children_may_not_set_their_own_foreign_keys_or_back_relations);
    tcase_add_test(tc, an_upsert_that_creates_runs_nothing_of_its_update);
    tcase_add_test(tc, records_created_together_create_before_they_connect);
    tcase_add_test(tc, a_record_in_a_list_connects_one_created_before_it);
    tcase_add_test(tc, a_later_record_in_a_list_takes_a_one_to_one_partner_over);
    tcase_add_test(tc, a_record_in_a_list_does_not_see_what_later_ones_create);
    tcase_add_test(tc, connect_or_create_may_name_a_record_twice);
    tcase_add_test(tc, a_nested_upsert_whose_create_collides_outside_the_relation_is_p2002);
    tcase_add_test(tc, lengths_no_array_can_have_are_refused);
}
