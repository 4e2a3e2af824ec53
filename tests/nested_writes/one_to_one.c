/* The nested-writes suite (tests/nested_writes/support.c): 1-1 relations, with a required and with an optional foreign key. */
#include "nested_writes.h"

/* ==== 1-1 with a required foreign key: User.profile / Profile.user ==== */

/* Items 53, 54, 61, 63, 66, 69, 74, 75 from the side without the key. */
START_TEST(one_to_one_required_from_the_user_side)
{
    User *u = NULL;
    OK(user_create_include(db, &(UserCreateInput){ .email = "a@x", .profile = { .create = &(ProfileCreateInput){ .bio = "hi" } } },
                           &(UserInclude){ .profile = true }, &u));
    ck_assert_ptr_nonnull(u->profile);
    ck_assert_int_eq(u->profile->userId, u->id);
    ck_assert_str_eq(u->profile->bio, "hi");
    int a = u->id;
    user_free(u);
    OK(user_update(db, UID(a), &(UserUpdateInput){ .profile = { .update = &(ProfileUpdateInput){ .bio = "b1" } } }, NULL));
    ck_assert_str_eq(PROFILE_OF(a), "b1");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .profile = { .upsert = &(ProfileUpsertWithWhereInput){ .create = &(ProfileCreateInput){ .bio = "never" },
                                                                                             .update = &(ProfileUpdateInput){ .bio = "b2" } } } },
                   NULL));
    ck_assert_str_eq(PROFILE_OF(a), "b2");
    ck_assert_int_eq(rows("Profile"), 1);

    User *bu = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = "b@x", .profile = { .create = &(ProfileCreateInput){ .bio = "bee" } } }, &bu));
    int b = bu->id;
    user_free(bu);
    snapshot before = snap();
    /* A second profile would orphan the first: its userId is required. */
    FAILS(user_update(db, UID(a), &(UserUpdateInput){ .profile = { .create = &(ProfileCreateInput){ .bio = "second" } } }, NULL), "P2014",
          REQUIRED_RELATION("ProfileToUser", "Profile", "User"));
    /* So would disconnecting it, or connecting another user's profile. */
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .profile = { .disconnect = true } }, NULL), "P2014", "'ProfileToUser'");
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .profile = { .connect = &(ProfileWhereUniqueInput){ .userId = PRISMA_INT(b) } } }, NULL),
               "P2014", "'ProfileToUser'");
    UNCHANGED(before);
    ck_assert_str_eq(PROFILE_OF(a), "b2");
    ck_assert_str_eq(PROFILE_OF(b), "bee");

    OK(user_update(db, UID(a), &(UserUpdateInput){ .profile = { .delete_ = true } }, NULL));
    ck_assert_str_eq(PROFILE_OF(a), "");
    ck_assert_int_eq(rows("Profile"), 1);
    FAILS(user_update(db, UID(a), &(UserUpdateInput){ .profile = { .delete_ = true } }, NULL), "P2025",
          NESTED_MISSING("Profile", "delete", "one-to-one", "ProfileToUser"));
    FAILS(user_update(db, UID(a), &(UserUpdateInput){ .profile = { .update = &(ProfileUpdateInput){ .bio = "x" } } }, NULL), "P2025",
          NESTED_MISSING("Profile", "update", "one-to-one", "ProfileToUser"));
    /* Nothing connected: disconnect is a no-op; upsert and connect_or_create create (item 63). */
    OK(user_update(db, UID(a), &(UserUpdateInput){ .profile = { .disconnect = true } }, NULL));
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .profile = { .upsert = &(ProfileUpsertWithWhereInput){ .create = &(ProfileCreateInput){ .bio = "up" },
                                                                                             .update = &(ProfileUpdateInput){ .bio = "never" } } } },
                   NULL));
    ck_assert_str_eq(PROFILE_OF(a), "up");
    OK(user_update(db, UID(a), &(UserUpdateInput){ .profile = { .delete_ = true } }, NULL));
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .profile = { .connect_or_create = &(ProfileConnectOrCreateInput){
                                                        .where = &(ProfileWhereUniqueInput){ .id = PRISMA_INT(99999) },
                                                        .create = &(ProfileCreateInput){ .bio = "coc" } } } },
                   NULL));
    ck_assert_str_eq(PROFILE_OF(a), "coc");
    /* Moving a profile to a user who has none is allowed (item 61). */
    int c = new_user("c@x");
    OK(user_update(db, UID(c), &(UserUpdateInput){ .profile = { .connect = &(ProfileWhereUniqueInput){ .userId = PRISMA_INT(b) } } }, NULL));
    ck_assert_str_eq(PROFILE_OF(c), "bee");
    ck_assert_str_eq(PROFILE_OF(b), "");
    User *d = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = "d@x", .profile = { .connect = &(ProfileWhereUniqueInput){ .userId = PRISMA_INT(c) } } }, &d));
    ck_assert_str_eq(PROFILE_OF(d->id), "bee");
    ck_assert_str_eq(PROFILE_OF(c), "");
    user_free(d);
    ck_assert_int_eq(rows("Profile"), 2);
    /* Connecting a missing profile: the key is on the profile, so this is
     * the "connected records" count, as for 1-n. */
    FAILS(user_create(db, &(UserCreateInput){ .email = "e@x", .profile = { .connect = &(ProfileWhereUniqueInput){ .id = PRISMA_INT(99999) } } }, NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-one", "ProfileToUser"));
    FAILS(user_update(db, UID(c), &(UserUpdateInput){ .profile = { .connect = &(ProfileWhereUniqueInput){ .id = PRISMA_INT(99999) } } }, NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-one", "ProfileToUser"));
    ck_assert_int_eq(user_id("e@x"), 0);
}
END_TEST

/* Items 53, 58, 59, 60, 74 from the side with the key. */
START_TEST(one_to_one_required_from_the_profile_side)
{
    Profile *p = NULL;
    OK(profile_create(db, &(ProfileCreateInput){ .bio = "p", .user = { .create = &(UserCreateInput){ .email = "a@x" } } }, &p));
    int a = user_id("a@x");
    ck_assert_int_ne(a, 0);
    ck_assert_int_eq(p->userId, a);
    int pid = p->id;
    profile_free(p);
    int b = new_user("b@x");
    OK(profile_create(db, &(ProfileCreateInput){ .bio = "q", .user = { .connect = &(UserWhereUniqueInput){ .email = "b@x" } } }, NULL));
    ck_assert_str_eq(PROFILE_OF(b), "q");
    FAILS(profile_create(db, &(ProfileCreateInput){ .bio = "r", .user = { .connect = UID(99999) } }, NULL), "P2025",
          INLINE_CONNECT("User", "Profile", "one-to-one", "ProfileToUser"));
    ck_assert_int_eq(rows("Profile"), 2);
    OK(profile_create(db,
                      &(ProfileCreateInput){ .bio = "r", .user = { .connect_or_create = &(UserConnectOrCreateInput){
                                                                      .where = &(UserWhereUniqueInput){ .email = "c@x" },
                                                                      .create = &(UserCreateInput){ .email = "c@x" } } } },
                      NULL));
    ck_assert_str_eq(PROFILE_OF(user_id("c@x")), "r");
    OK(profile_update(db, PRID(pid), &(ProfileUpdateInput){ .user = { .update = &(UserUpdateInput){ .name = "A" } } }, NULL));
    ck_assert_str_eq(str_of("User", "name", a), "A");
    OK(profile_update(db, PRID(pid), &(ProfileUpdateInput){ .user = { .connect = &(UserWhereUniqueInput){ .email = "a@x" } } }, NULL));
    ck_assert_int_eq(col_of("Profile", "userId", pid), a);
    OK(profile_update(db, PRID(pid),
                      &(ProfileUpdateInput){ .user = { .upsert = &(UserUpsertWithWhereInput){ .create = &(UserCreateInput){ .email = "never@x" },
                                                                                             .update = &(UserUpdateInput){ .name = "A2" } } } },
                      NULL));
    ck_assert_str_eq(str_of("User", "name", a), "A2");
    ck_assert_int_eq(user_id("never@x"), 0);
    /* Moving the profile to a user without one. */
    int d = new_user("d@x");
    OK(profile_update(db, PRID(pid), &(ProfileUpdateInput){ .user = { .connect = UID(d) } }, NULL));
    ck_assert_str_eq(PROFILE_OF(d), "p");
    ck_assert_str_eq(PROFILE_OF(a), "");
    FAILS(profile_update(db, PRID(pid), &(ProfileUpdateInput){ .bio = "x", .user = { .connect = UID(99999) } }, NULL), "P2025",
          INLINE_CONNECT("User", "Profile", "one-to-one", "ProfileToUser"));
    ck_assert_str_eq(PROFILE_OF(d), "p");
    ck_assert_int_eq(rows("User"), 4);
}
END_TEST

/* ==== 1-1 with an optional foreign key: User.passport / Passport.holder ==== */

START_TEST(one_to_one_optional_from_both_sides)
{
    int a = new_user("a@x"), b = new_user("b@x");
    Passport *x = NULL;
    OK(passport_create(db, &(PassportCreateInput){ .number = "X", .holder = { .connect = UID(a) } }, &x));
    ck_assert_ptr_nonnull(x->holderId);
    ck_assert_int_eq(*x->holderId, a);
    int X = x->id;
    passport_free(x);
    /* disconnect from either side nulls the key; again it is a no-op. */
    OK(user_update(db, UID(a), &(UserUpdateInput){ .passport = { .disconnect = true } }, NULL));
    ck_assert_int_eq(col_of("Passport", "holderId", X), NULLV);
    OK(user_update(db, UID(a), &(UserUpdateInput){ .passport = { .disconnect = true } }, NULL));
    OK(passport_update(db, PPID(X), &(PassportUpdateInput){ .holder = { .connect = &(UserWhereUniqueInput){ .email = "a@x" } } }, NULL));
    ck_assert_int_eq(col_of("Passport", "holderId", X), a);
    OK(passport_update(db, PPID(X), &(PassportUpdateInput){ .holder = { .disconnect = true } }, NULL));
    ck_assert_int_eq(col_of("Passport", "holderId", X), NULLV);
    OK(passport_update(db, PPID(X), &(PassportUpdateInput){ .holder = { .disconnect = true } }, NULL));
    ck_assert_int_eq(rows("User"), 2);
    /* Nothing connected: update and delete are P2025, from both sides. */
    snapshot before = snap();
    FAILS(passport_update(db, PPID(X), &(PassportUpdateInput){ .holder = { .update = &(UserUpdateInput){ .name = "x" } } }, NULL), "P2025",
          NESTED_MISSING("User", "update", "one-to-one", "PassportToUser"));
    FAILS(passport_update(db, PPID(X), &(PassportUpdateInput){ .holder = { .delete_ = true } }, NULL), "P2025",
          NESTED_MISSING("User", "delete", "one-to-one", "PassportToUser"));
    FAILS(user_update(db, UID(a), &(UserUpdateInput){ .passport = { .delete_ = true } }, NULL), "P2025",
          NESTED_MISSING("Passport", "delete", "one-to-one", "PassportToUser"));
    FAILS(user_update(db, UID(a), &(UserUpdateInput){ .passport = { .update = &(PassportUpdateInput){ .number = "x" } } }, NULL), "P2025",
          NESTED_MISSING("Passport", "update", "one-to-one", "PassportToUser"));
    FAILS(passport_update(db, PPID(X), &(PassportUpdateInput){ .holder = { .connect = UID(99999) } }, NULL), "P2025",
          INLINE_CONNECT("User", "Passport", "one-to-one", "PassportToUser"));
    UNCHANGED(before);

    /* A new passport for a user who has one: the old one is let go (its key
     * is optional), not an error. */
    OK(user_update(db, UID(a), &(UserUpdateInput){ .passport = { .connect = &(PassportWhereUniqueInput){ .number = "X" } } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(a), "X");
    OK(user_update(db, UID(a), &(UserUpdateInput){ .passport = { .create = &(PassportCreateInput){ .number = "Y" } } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(a), "Y");
    ck_assert_int_eq(col_of("Passport", "holderId", X), NULLV);
    OK(user_update(db, UID(a), &(UserUpdateInput){ .passport = { .connect = &(PassportWhereUniqueInput){ .number = "X" } } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(a), "X");
    ck_assert_str_eq(qs("SELECT \"holderId\" FROM \"Passport\" WHERE \"number\" = 'Y'", 0), "NULL");
    /* Connecting a passport someone else holds moves it. */
    OK(user_update(db, UID(b), &(UserUpdateInput){ .passport = { .connect = &(PassportWhereUniqueInput){ .number = "X" } } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(b), "X");
    ck_assert_str_eq(PASSPORT_OF(a), "");
    /* update and upsert from the user. */
    OK(user_update(db, UID(b), &(UserUpdateInput){ .passport = { .update = &(PassportUpdateInput){ .number = "X2" } } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(b), "X2");
    OK(user_update(db, UID(b),
                   &(UserUpdateInput){ .passport = { .upsert = &(PassportUpsertWithWhereInput){ .create = &(PassportCreateInput){ .number = "never" },
                                                                                               .update = &(PassportUpdateInput){ .number = "X3" } } } },
                   NULL));
    ck_assert_str_eq(PASSPORT_OF(b), "X3");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .passport = { .upsert = &(PassportUpsertWithWhereInput){ .create = &(PassportCreateInput){ .number = "Z" },
                                                                                               .update = &(PassportUpdateInput){ .number = "never" } } } },
                   NULL));
    ck_assert_str_eq(PASSPORT_OF(a), "Z");
    ck_assert_int_eq(rows("Passport"), 3);
    /* From the passport: update, create (a new holder; the old one stays). */
    int Z = (int)qi("SELECT \"id\" FROM \"Passport\" WHERE \"number\" = 'Z'", 0);
    OK(passport_update(db, PPID(Z), &(PassportUpdateInput){ .holder = { .update = &(UserUpdateInput){ .name = "Ay" } } }, NULL));
    ck_assert_str_eq(str_of("User", "name", a), "Ay");
    OK(passport_update(db, PPID(Z), &(PassportUpdateInput){ .holder = { .create = &(UserCreateInput){ .email = "c@x" } } }, NULL));
    int c = user_id("c@x");
    ck_assert_int_eq(col_of("Passport", "holderId", Z), c);
    ck_assert_int_eq(col_of("User", "id", a), a);
    /* delete from the passport: the holder goes, the passport stays (SetNull). */
    OK(passport_update(db, PPID(Z), &(PassportUpdateInput){ .holder = { .delete_ = true } }, NULL));
    ck_assert_int_eq(user_id("c@x"), 0);
    ck_assert_int_eq(col_of("Passport", "holderId", Z), NULLV);
    /* delete from the user. */
    OK(user_update(db, UID(b), &(UserUpdateInput){ .passport = { .delete_ = true } }, NULL));
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Passport\" WHERE \"number\" = 'X3'", 0), 0);
    /* In creates. */
    OK(user_create(db, &(UserCreateInput){ .email = "d@x", .passport = { .create = &(PassportCreateInput){ .number = "D" } } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(user_id("d@x")), "D");
    OK(user_create(db,
                   &(UserCreateInput){ .email = "e@x", .passport = { .connect_or_create = &(PassportConnectOrCreateInput){
                                                                         .where = &(PassportWhereUniqueInput){ .number = "Y" },
                                                                         .create = &(PassportCreateInput){ .number = "Y" } } } },
                   NULL));
    ck_assert_str_eq(PASSPORT_OF(user_id("e@x")), "Y");
    OK(passport_create(db, &(PassportCreateInput){ .number = "F", .holder = { .create = &(UserCreateInput){ .email = "f@x" } } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(user_id("f@x")), "F");
    ck_assert_int_eq(rows("Passport"), 4);
}
END_TEST

void nw_one_to_one_tests(TCase *tc)
{
    tcase_add_test(tc, one_to_one_required_from_the_user_side);
    tcase_add_test(tc, one_to_one_required_from_the_profile_side);
    tcase_add_test(tc, one_to_one_optional_from_both_sides);
}
