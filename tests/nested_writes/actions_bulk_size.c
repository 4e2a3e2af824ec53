/* The nested-writes suite (tests/nested_writes/support.c): referential actions, bulk operations and size. */
#include "nested_writes.h"

/* ==== referential actions, with the foreign keys db push created (item 81) ==== */

static void new_owner(int id)
{
    OK(owner_create(db, &(OwnerCreateInput){ .id = PRISMA_INT(id), .name = "o" }, NULL));
}

#define OWNER(x) (&(OwnerWhereUniqueInput){ .id = PRISMA_INT(x) })

START_TEST(on_delete_cascade_set_null_and_set_default)
{
    new_owner(0); /* the default of SetDefaultChild.ownerId */
    new_owner(1);
    OK(owner_update(db, OWNER(1),
                    &(OwnerUpdateInput){ .cascade = { MANY(create, CascadeChildCreateInput, { .id = { 0 } }, { .id = { 0 } }) },
                                         .setNull = { MANY(create, SetNullChildCreateInput, { .id = { 0 } }) },
                                         .setDefault = { MANY(create, SetDefaultChildCreateInput, { .id = { 0 } }) } },
                    NULL));
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"CascadeChild\" WHERE \"ownerId\" = 1", 0), 2);
    if (testdb->refuses_set_default) {
        /* The SetDefault child refuses the delete; without it, the rest acts. */
        FAILS(owner_delete(db, OWNER(1), NULL), "P2003", FK_VIOLATION("SetDefaultChild"));
        ck_assert_int_eq(rows("CascadeChild"), 2);
        OK(set_default_child_delete_many(db, NULL, NULL));
    }
    OK(owner_delete(db, OWNER(1), NULL));
    ck_assert_int_eq(rows("CascadeChild"), 0);
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"SetNullChild\"", 0), "NULL");
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"SetDefaultChild\"", 0), testdb->refuses_set_default ? "" : "0");

    /* Through the relations of the main models: a user's posts, profile and
     * the join rows of the posts go; comments stay with a NULL post; the
     * passport stays with no holder. */
    int u = deep_user();
    int c1 = comment_id("c1");
    OK(user_delete(db, UID(u), NULL));
    ck_assert_int_eq(rows("Post"), 0);
    ck_assert_int_eq(rows("Profile"), 0);
    ck_assert_int_eq(rows("_PostToTag"), 0);
    ck_assert_int_eq(rows("Tag"), 1);
    ck_assert_int_eq(rows("Comment"), 4);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Comment\" WHERE \"postId\" IS NULL", 0), 4);
    ck_assert_str_eq(REACTIONS_OF(c1), "like,wow");
    ck_assert_str_eq(qs("SELECT \"holderId\" FROM \"Passport\"", 0), "NULL");
    /* A nested delete cascades the same way. */
    OK(comment_update(db, CTEXT("c1"), &(CommentUpdateInput){ .reactions = { MANY(delete_many, ReactionWhereInput, { .AND = NULL }) } }, NULL));
    ck_assert_int_eq(rows("Reaction"), 0);
}
END_TEST

START_TEST(on_update_cascade_set_null_and_set_default)
{
    new_owner(0);
    new_owner(1);
    OK(owner_update(db, OWNER(1),
                    &(OwnerUpdateInput){ .cascade = { MANY(create, CascadeChildCreateInput, { .id = { 0 } }, { .id = { 0 } }) },
                                         .setNull = { MANY(create, SetNullChildCreateInput, { .id = { 0 } }) },
                                         .setDefault = { MANY(create, SetDefaultChildCreateInput, { .id = { 0 } }) } },
                    NULL));
    if (testdb->refuses_set_default) {
        /* The SetDefault child refuses the change; without it, the rest acts. */
        FAILS(owner_update(db, OWNER(1), &(OwnerUpdateInput){ .id = { .set = PRISMA_INT(3) } }, NULL), "P2003",
              FK_VIOLATION("SetDefaultChild"));
        ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"CascadeChild\"", 0), "1,1");
        OK(set_default_child_delete_many(db, NULL, NULL));
    }
    OK(owner_update(db, OWNER(1), &(OwnerUpdateInput){ .id = { .set = PRISMA_INT(3) } }, NULL));
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"CascadeChild\"", 0), "3,3");
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"SetNullChild\"", 0), "NULL");
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"SetDefaultChild\"", 0), testdb->refuses_set_default ? "" : "0");
    /* The parent's key changed through a nested update from a child. */
    int child = (int)qi("SELECT MIN(\"id\") FROM \"CascadeChild\"", 0);
    OK(cascade_child_update(db, &(CascadeChildWhereUniqueInput){ .id = PRISMA_INT(child) },
                            &(CascadeChildUpdateInput){ .owner = { .update = &(OwnerUpdateInput){ .id = { .set = PRISMA_INT(5) } } } }, NULL));
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"CascadeChild\"", 0), "5,5");
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Owner\" WHERE \"id\" = 5", 0), 1);
}
END_TEST

/* Owner 1 with one child that restricts (onDelete and onUpdate Restrict, or
 * NoAction), owner 2 without children. Returns the child's id. */
static int restricting_child(bool no_action)
{
    new_owner(1);
    new_owner(2);
    if (no_action)
        OK(owner_update(db, OWNER(1), &(OwnerUpdateInput){ .noAction = { MANY(create, NoActionChildCreateInput, { .id = { 0 } }) } }, NULL));
    else
        OK(owner_update(db, OWNER(1), &(OwnerUpdateInput){ .restricted = { MANY(create, RestrictChildCreateInput, { .id = { 0 } }) } }, NULL));
    return (int)qi(no_action ? "SELECT MIN(\"id\") FROM \"NoActionChild\"" : "SELECT MIN(\"id\") FROM \"RestrictChild\"", 0);
}

/* Deleting a parent that has children fails with P2003 and nothing changes,
 * also with delete_many (all or nothing: owner 2, without children, stays). */
static void delete_fails(bool no_action)
{
    restricting_child(no_action);
    snapshot before = snap();
    FAILS(owner_delete(db, OWNER(1), NULL), "P2003", no_action ? FK_VIOLATION("NoActionChild") : FK_VIOLATION("RestrictChild"));
    int64_t n = -1;
    FAILS(owner_delete_many(db, NULL, &n), "P2003", no_action ? FK_VIOLATION("NoActionChild") : FK_VIOLATION("RestrictChild"));
    UNCHANGED(before);
    ck_assert_str_eq(qs("SELECT \"id\" FROM \"Owner\" ORDER BY \"id\"", 0), "1,2");
}

/* Changing the parent's id fails with P2003, directly and through a nested
 * update from the child; a parent without children changes its id freely. */
static void update_fails(bool no_action)
{
    int child = restricting_child(no_action);
    char msg[160]; /* kept: the checks below spell more SQL */
    snprintf(msg, sizeof msg, "%s", no_action ? FK_VIOLATION("NoActionChild") : FK_VIOLATION("RestrictChild"));
    snapshot before = snap();
    FAILS(owner_update(db, OWNER(1), &(OwnerUpdateInput){ .id = { .set = PRISMA_INT(7) } }, NULL), "P2003", msg);
    if (no_action)
        FAILS(no_action_child_update(db, &(NoActionChildWhereUniqueInput){ .id = PRISMA_INT(child) },
                                     &(NoActionChildUpdateInput){ .owner = { .update = &(OwnerUpdateInput){ .id = { .set = PRISMA_INT(9) } } } }, NULL),
              "P2003", msg);
    else
        FAILS(restrict_child_update(db, &(RestrictChildWhereUniqueInput){ .id = PRISMA_INT(child) },
                                    &(RestrictChildUpdateInput){ .owner = { .update = &(OwnerUpdateInput){ .id = { .set = PRISMA_INT(9) } } } }, NULL),
              "P2003", msg);
    UNCHANGED(before);
    ck_assert_str_eq(qs("SELECT \"id\" FROM \"Owner\" ORDER BY \"id\"", 0), "1,2");
    ck_assert_int_eq(col_of(no_action ? "NoActionChild" : "RestrictChild", "ownerId", child), 1);
    OK(owner_update(db, OWNER(2), &(OwnerUpdateInput){ .id = { .set = PRISMA_INT(6) } }, NULL));
    ck_assert_str_eq(qs("SELECT \"id\" FROM \"Owner\" ORDER BY \"id\"", 0), "1,6");
}

START_TEST(on_delete_restrict_fails_with_p2003)
{
    delete_fails(false);
}
END_TEST

START_TEST(on_delete_no_action_fails_with_p2003)
{
    delete_fails(true);
}
END_TEST

START_TEST(on_update_restrict_fails_with_p2003)
{
    update_fails(false);
}
END_TEST

START_TEST(on_update_no_action_fails_with_p2003)
{
    update_fails(true);
}
END_TEST

/* ==== bulk operations (issue 5, item 6) ==== */

START_TEST(bulk_writes_return_counts_and_are_all_or_nothing)
{
    int64_t n = -1;
    OK(user_create_many(db, (UserCreateInput[]){ { .email = "u1@x" }, { .email = "u2@x" }, { .email = "u3@x" } }, 3, false, &n));
    ck_assert_int_eq(n, 3);
    /* A duplicate in the middle: nothing is inserted. */
    FAILS(user_create_many(db, (UserCreateInput[]){ { .email = "u4@x" }, { .email = "u2@x" }, { .email = "u5@x" } }, 3, false, &n), "P2002",
          "Unique constraint failed on the fields: (`email`)");
    ck_assert_int_eq(user_id("u4@x"), 0);
    ck_assert_int_eq(user_id("u5@x"), 0);
    ck_assert_int_eq(rows("User"), 3);
    OK(user_create_many(db, (UserCreateInput[]){ { .email = "u4@x" }, { .email = "u2@x" }, { .email = "u5@x" } }, 3, true, &n));
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(rows("User"), 5);
    OK(user_update_many(db, &(UserWhereInput){ .email = { .in = PRISMA_STRINGS("u1@x", "u2@x", "nope") } }, &(UserUpdateInput){ .name = "n" }, &n));
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"User\" WHERE \"name\" = 'n'", 0), 2);
    /* update_many is all or nothing: two posts cannot take the same slug. */
    int a = user_id("u1@x");
    new_post(a, "s1");
    new_post(a, "s2");
    FAILS(post_update_many(db, &(PostWhereInput){ .authorId = { .equals = PRISMA_INT(a) } }, &(PostUpdateInput){ .slug = "same" }, &n), "P2002", NULL);
    ck_assert_str_eq(SLUGS_OF(a), "s1,s2");
    OK(post_update_many(db, &(PostWhereInput){ .authorId = { .equals = PRISMA_INT(a) } }, &(PostUpdateInput){ .views = { .increment = PRISMA_INT(1) } }, &n));
    ck_assert_int_eq(n, 2);
    OK(user_delete_many(db, &(UserWhereInput){ .name = { .equals = "n" } }, &n));
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(rows("User"), 3);
    ck_assert_int_eq(rows("Post"), 0); /* onDelete: Cascade */
    OK(user_delete_many(db, &(UserWhereInput){ .email = { .equals = "nope" } }, &n));
    ck_assert_int_eq(n, 0);

    /* create_many_and_return: the rows written, with their ids, on both backends. */
    UserList *l = NULL;
    OK(user_create_many_and_return(db, (UserCreateInput[]){ { .email = "r1@x" }, { .email = "r2@x", .name = "R" } }, 2, false, &l));
    ck_assert_ptr_nonnull(l);
    ck_assert_uint_eq(l->len, 2);
    for (size_t i = 0; i < 2; i++)
        ck_assert_int_eq(l->items[i].id, user_id(l->items[i].email));
    ck_assert_ptr_nonnull(l->items[1].name);
    ck_assert_str_eq(l->items[1].name, "R");
    user_list_free(l);
    l = NULL;
    OK(user_create_many_and_return(db, (UserCreateInput[]){ { .email = "r1@x" }, { .email = "r3@x" } }, 2, true, &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_str_eq(l->items[0].email, "r3@x");
    user_list_free(l);
    int r1 = user_id("r1@x");
    PostList *pl = NULL;
    OK(post_create_many_and_return(db,
                                   (PostCreateInput[]){ { .title = "c1", .slug = "c1", .authorId = PRISMA_INT(r1) },
                                                        { .title = "c2", .slug = "c2", .authorId = PRISMA_INT(r1), .views = PRISMA_INT(4) } },
                                   2, false, &pl));
    ck_assert_uint_eq(pl->len, 2);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(pl->items[i].id, post_id(pl->items[i].slug));
        ck_assert_int_eq(pl->items[i].authorId, r1);
    }
    post_list_free(pl);
    pl = NULL;
    snapshot before = snap();
    FAILS(post_create_many_and_return(db,
                                      (PostCreateInput[]){ { .title = "c3", .slug = "c3", .authorId = PRISMA_INT(r1) },
                                                           { .title = "c1", .slug = "c1", .authorId = PRISMA_INT(r1) } },
                                      2, false, &pl),
          "P2002", NULL);
    ck_assert_ptr_null(pl);
    UNCHANGED(before);

    /* Nested create_many: a duplicate in the middle fails the whole write;
     * skip_duplicates skips it. */
    FAILS(user_create(db,
                      &(UserCreateInput){ .email = "z@x",
                                          .posts = { MANY(create_many, PostCreateInput, { .title = "d1", .slug = "d1" }, { .title = "c1", .slug = "c1" },
                                                          { .title = "d2", .slug = "d2" }) } },
                      NULL),
          "P2002", NULL);
    UNCHANGED(before);
    OK(user_create(db,
                   &(UserCreateInput){ .email = "z@x",
                                       .posts = { MANY(create_many, PostCreateInput, { .title = "d1", .slug = "d1" }, { .title = "c1", .slug = "c1" },
                                                       { .title = "d2", .slug = "d2" }),
                                                  .skip_duplicates = true } },
                   NULL));
    ck_assert_str_eq(SLUGS_OF(user_id("z@x")), "d1,d2");
    ck_assert_str_eq(SLUGS_OF(r1), "c1,c2");
    /* A nested create's unique violation names the column as Prisma does,
     * also a camelCase one (quoted in PostgreSQL's own message). */
    OK(user_update(db, UID(r1), &(UserUpdateInput){ .passport = { .create = &(PassportCreateInput){ .number = "P1" } } }, NULL));
    FAILS(passport_create(db, &(PassportCreateInput){ .number = "P2", .holderId = PRISMA_INT(r1) }, NULL), "P2002",
          "Unique constraint failed on the fields: (`holderId`)");
    FAILS(user_create(db, &(UserCreateInput){ .email = "y@x", .passport = { .create = &(PassportCreateInput){ .number = "P1" } } }, NULL), "P2002",
          "Unique constraint failed on the fields: (`number`)");
    ck_assert_int_eq(user_id("y@x"), 0);
}
END_TEST

/* ==== size: lists beyond one statement's parameter limit ==== */

#define BIG 10000 /* x 7 columns: past SQLite's 32766 and PostgreSQL's 65535 parameters */
#define LINKS 3000

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Records created together, each with nested writes of its own, are told
 * apart by their keys: every grandchild and link lands on its own parent. */
static void check_shelf(int32_t shelf, bool given)
{
    ck_assert_str_eq(qs("SELECT title FROM \"Album\" WHERE \"shelfId\" = $1 ORDER BY title", shelf), "a1,a2,a3");
    ck_assert_str_eq(qs("SELECT p.caption FROM \"Photo\" p JOIN \"Album\" a ON a.id = p.\"albumId\" "
                        "WHERE a.\"shelfId\" = $1 ORDER BY a.title, p.caption", shelf),
                     "a1p1,a1p2,a3p1");
    const char *pairs = qs("SELECT p.caption, l.name FROM \"Photo\" p JOIN \"_LabelToPhoto\" j ON j.\"B\" = p.id "
                           "JOIN \"Label\" l ON l.id = j.\"A\" JOIN \"Album\" a ON a.id = p.\"albumId\" "
                           "WHERE a.\"shelfId\" = $1 ORDER BY p.caption, l.name", shelf);
    ck_assert_str_eq(pairs, given ? "a1p1:red2,a1p2:blue2,a1p2:red2,a3p1:green2"
                                  : "a1p1:red,a1p2:blue,a1p2:red,a3p1:green");
}

START_TEST(records_created_together_keep_their_own_nested_writes)
{
    for (int given = 0; given < 2; given++) {
        const char *red = given ? "red2" : "red", *blue = given ? "blue2" : "blue", *green = given ? "green2" : "green";
        LabelCreateInput l_red = { .name = red };
        PhotoCreateInput a1[] = {
            { .caption = "a1p1", .id = given ? "p-1" : NULL, .labels = { .create = &l_red, .create_len = 1 } },
            { .caption = "a1p2", .id = given ? "p-2" : NULL,
              .labels = { .create = &(LabelCreateInput){ .name = blue }, .create_len = 1,
                          .connect = &(LabelWhereUniqueInput){ .name = red }, .connect_len = 1 } },
        };
        PhotoCreateInput a3[] = { { .caption = "a3p1", .id = given ? "p-3" : NULL,
                                    .labels = { .create = &(LabelCreateInput){ .name = green }, .create_len = 1 } } };
        AlbumCreateInput albums[] = {
            { .title = "a1", .id = given ? "album-1" : NULL, .photos = { .create = a1, .create_len = 2 } },
            { .title = "a2", .id = given ? "album-2" : NULL },
            { .title = "a3", .id = given ? "album-3" : NULL, .photos = { .create = a3, .create_len = 1 } },
        };
        Shelf *sh = NULL;
        OK(shelf_create(db, &(ShelfCreateInput){ .albums = { .create = albums, .create_len = 3 } }, &sh));
        check_shelf(sh->id, given);
        shelf_free(sh);
    }
}
END_TEST

START_TEST(large_nested_creates_and_connects)
{
    PostCreateInput *posts = calloc(BIG, sizeof *posts);
    char(*slugs)[16] = calloc(BIG, sizeof *slugs);
    ck_assert_ptr_nonnull(posts);
    ck_assert_ptr_nonnull(slugs);
    for (int i = 0; i < BIG; i++) {
        snprintf(slugs[i], sizeof slugs[i], "s%05d", i);
        posts[i] = (PostCreateInput){ .title = slugs[i], .slug = slugs[i], .content = "content", .published = PRISMA_BOOL(i % 2 == 0),
                                      .views = PRISMA_INT(i), .score = PRISMA_FLOAT(0.5) };
    }
    User *u = NULL;
    OK(user_create_include(db, &(UserCreateInput){ .email = "big@x", .posts = { .create = posts, .create_len = BIG } }, &(UserInclude){ .posts = true },
                           &u));
    ck_assert_ptr_nonnull(u->posts);
    ck_assert_uint_eq(u->posts->len, BIG);
    int32_t *ids = calloc(BIG, sizeof *ids);
    ck_assert_ptr_nonnull(ids);
    for (int i = 0; i < BIG; i++) {
        ids[i] = u->posts->items[i].id;
        ck_assert_int_eq(u->posts->items[i].authorId, u->id);
    }
    int big = u->id;
    user_free(u);
    qsort(ids, BIG, sizeof *ids, cmp_i32);
    for (int i = 1; i < BIG; i++)
        ck_assert_int_lt(ids[i - 1], ids[i]);
    ck_assert_int_eq(ids[0], qi("SELECT MIN(\"id\") FROM \"Post\"", 0));
    ck_assert_int_eq(ids[BIG - 1], qi("SELECT MAX(\"id\") FROM \"Post\"", 0));
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Post\" WHERE \"authorId\" = $1", big), BIG);
    ck_assert_int_eq(qi("SELECT SUM(\"views\") FROM \"Post\"", 0), (int64_t)BIG * (BIG - 1) / 2);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Post\" WHERE \"published\"", 0), BIG / 2);
    ck_assert_int_eq(qi("SELECT COUNT(DISTINCT \"slug\") FROM \"Post\"", 0), BIG);
    /* Nested create_many of as many rows. */
    for (int i = 0; i < BIG; i++)
        posts[i].slug = NULL;
    User *u2 = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = "big2@x", .posts = { .create_many = posts, .create_many_len = BIG } }, &u2));
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Post\" WHERE \"authorId\" = $1", u2->id), BIG);
    user_free(u2);

    /* Connecting many tags (m-n). */
    TagCreateInput *tags = calloc(LINKS, sizeof *tags);
    TagWhereUniqueInput *tw = calloc(LINKS, sizeof *tw);
    char(*names)[16] = calloc(LINKS, sizeof *names);
    ck_assert(tags && tw && names);
    for (int i = 0; i < LINKS; i++) {
        snprintf(names[i], sizeof names[i], "tag%05d", i);
        tags[i] = (TagCreateInput){ .name = names[i] };
        tw[i] = (TagWhereUniqueInput){ .name = names[i] };
    }
    int64_t n = -1;
    OK(tag_create_many(db, tags, LINKS, false, &n));
    ck_assert_int_eq(n, LINKS);
    OK(post_update(db, PID(ids[0]), &(PostUpdateInput){ .tags = { .connect = tw, .connect_len = LINKS } }, NULL));
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"_PostToTag\" WHERE \"A\" = $1", ids[0]), LINKS);
    char msg[512];
    tw[LINKS - 1].name = "nope";
    snprintf(msg, sizeof msg, NOT_FOUND "Expected %d records to be connected, found only %d.", LINKS, LINKS - 1);
    FAILS(post_update(db, PID(ids[1]), &(PostUpdateInput){ .tags = { .connect = tw, .connect_len = LINKS } }, NULL), "P2025", msg);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"_PostToTag\" WHERE \"A\" = $1", ids[1]), 0);
    tw[LINKS - 1].name = names[LINKS - 1];
    OK(post_update(db, PID(ids[0]), &(PostUpdateInput){ .tags = { .set = tw, .set_len = LINKS / 2, .set_given = true } }, NULL));
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"_PostToTag\" WHERE \"A\" = $1", ids[0]), LINKS / 2);

    /* Connecting many posts (1-n): they move. */
    PostWhereUniqueInput *pw = calloc(LINKS + 1, sizeof *pw);
    ck_assert_ptr_nonnull(pw);
    for (int i = 0; i < LINKS; i++)
        pw[i] = (PostWhereUniqueInput){ .id = PRISMA_INT(ids[i]) };
    pw[LINKS] = (PostWhereUniqueInput){ .id = PRISMA_INT(-1) };
    int other = new_user("other@x");
    OK(user_update(db, UID(other), &(UserUpdateInput){ .posts = { .connect = pw, .connect_len = LINKS } }, NULL));
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Post\" WHERE \"authorId\" = $1", other), LINKS);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Post\" WHERE \"authorId\" = $1", big), BIG - LINKS);
    int third = new_user("third@x");
    snprintf(msg, sizeof msg,
             "The required connected records were not found. Expected %d records to be connected after connect operation on "
             "one-to-many relation 'PostToUser', found %d.",
             LINKS + 1, LINKS);
    FAILS(user_update(db, UID(third), &(UserUpdateInput){ .posts = { .connect = pw, .connect_len = LINKS + 1 } }, NULL), "P2018", msg);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Post\" WHERE \"authorId\" = $1", third), 0);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Post\" WHERE \"authorId\" = $1", other), LINKS);
    free(pw);
    free(names);
    free(tw);
    free(tags);
    free(ids);
    free(slugs);
    free(posts);
}
END_TEST

/* Lists that mix criteria (by id, by unique name) are ORs of conditions:
 * chunked by the whole list, not its first item, also when records created
 * together each connect such a list (SQLite's expression depth is 1000). */
#define MIXED 1500
START_TEST(long_lists_mixing_criteria_are_chunked)
{
    int a = new_user("a@x"), b = new_user("b@x");
    PostCreateInput *posts = calloc(MIXED, sizeof *posts);
    PostWhereUniqueInput *pw = calloc(MIXED, sizeof *pw);
    TagCreateInput *tags = calloc(MIXED, sizeof *tags);
    TagWhereUniqueInput *tw = calloc(MIXED, sizeof *tw);
    char(*names)[16] = calloc(MIXED, sizeof *names);
    ck_assert(posts && pw && tags && tw && names);
    for (int i = 0; i < MIXED; i++) {
        snprintf(names[i], sizeof names[i], "m%05d", i);
        posts[i] = (PostCreateInput){ .title = names[i], .slug = names[i] };
        tags[i] = (TagCreateInput){ .name = names[i] };
    }
    OK(user_update(db, UID(a), &(UserUpdateInput){ .posts = { .create_many = posts, .create_many_len = MIXED } }, NULL));
    OK(tag_create_many(db, tags, MIXED, false, NULL));
    for (int i = 0; i < MIXED; i++) {
        pw[i] = i % 2 ? (PostWhereUniqueInput){ .id = PRISMA_INT(post_id(names[i])) } : (PostWhereUniqueInput){ .slug = names[i] };
        tw[i] = i % 2 ? (TagWhereUniqueInput){ .id = PRISMA_INT(tag_id(names[i])) } : (TagWhereUniqueInput){ .name = names[i] };
    }
    OK(user_update(db, UID(b), &(UserUpdateInput){ .posts = { .connect = pw, .connect_len = MIXED } }, NULL));
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Post\" WHERE \"authorId\" = $1", b), MIXED);
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "x", .slug = "x", .tags = { .connect = tw, .connect_len = MIXED } },
                                                       { .title = "y", .slug = "y", .tags = { .connect = tw, .connect_len = MIXED } }) } },
                   NULL));
    ck_assert_int_eq(rows("_PostToTag"), 2 * MIXED);
    OK(user_update(db, UID(b), &(UserUpdateInput){ .posts = { .delete_ = pw, .delete_len = MIXED } }, NULL));
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Post\" WHERE \"authorId\" = $1", b), 0);
    free(posts);
    free(pw);
    free(tags);
    free(tw);
    free(names);
}
END_TEST

void nw_actions_bulk_size_tests(TCase *tc)
{
    tcase_add_test(tc, on_delete_cascade_set_null_and_set_default);
    tcase_add_test(tc, on_update_cascade_set_null_and_set_default);
    tcase_add_test(tc, on_delete_restrict_fails_with_p2003);
    tcase_add_test(tc, on_delete_no_action_fails_with_p2003);
    tcase_add_test(tc, on_update_restrict_fails_with_p2003);
    tcase_add_test(tc, on_update_no_action_fails_with_p2003);
    tcase_add_test(tc, bulk_writes_return_counts_and_are_all_or_nothing);
    tcase_add_test(tc, large_nested_creates_and_connects);
    tcase_add_test(tc, long_lists_mixing_criteria_are_chunked);
    tcase_add_test(tc, records_created_together_keep_their_own_nested_writes);
}
