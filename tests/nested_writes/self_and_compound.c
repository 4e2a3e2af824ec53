/* The nested-writes suite (tests/nested_writes/support.c): self-relations and a compound foreign key. */
#include "nested_writes.h"

/* ==== self-relations ==== */

/* 1-n on one model (Family), three levels deep. */
START_TEST(self_one_to_many)
{
    Person *root = NULL;
    OK(person_create_include(db,
                             &(PersonCreateInput){ .name = "root",
                                                   .children = { MANY(create, PersonCreateInput,
                                                                      { .name = "c1", .children = { MANY(create, PersonCreateInput, { .name = "g1" }, { .name = "g2" }) } },
                                                                      { .name = "c2" }) } },
                             &(PersonInclude){ .children = true }, &root));
    ck_assert_ptr_nonnull(root->children);
    ck_assert_uint_eq(root->children->len, 2);
    ck_assert_ptr_null(root->parentId);
    int r = root->id;
    person_free(root);
    int c1 = person_id("c1"), c2 = person_id("c2"), g1 = person_id("g1");
    ck_assert_str_eq(CHILDREN_OF(r), "c1,c2");
    ck_assert_str_eq(CHILDREN_OF(c1), "g1,g2");
    ck_assert_int_eq(rows("Person"), 5);
#define PEID(x) (&(PersonWhereUniqueInput){ .id = PRISMA_INT(x) })
    OK(person_update(db, PEID(c2), &(PersonUpdateInput){ .parent = { .connect = PNAME("c1") } }, NULL));
    ck_assert_str_eq(CHILDREN_OF(c1), "c2,g1,g2");
    ck_assert_str_eq(CHILDREN_OF(r), "c1");
    OK(person_update(db, PEID(g1), &(PersonUpdateInput){ .parent = { .disconnect = true } }, NULL));
    ck_assert_int_eq(col_of("Person", "parentId", g1), NULLV);
    OK(person_update(db, PEID(g1), &(PersonUpdateInput){ .parent = { .disconnect = true } }, NULL));
    OK(person_create(db, &(PersonCreateInput){ .name = "c3", .parent = { .connect = PNAME("root") } }, NULL));
    ck_assert_str_eq(CHILDREN_OF(r), "c1,c3");
    OK(person_update(db, PNAME("g2"), &(PersonUpdateInput){ .parent = { .update = &(PersonUpdateInput){ .age = { .set = PRISMA_INT(40) } } } }, NULL));
    ck_assert_int_eq(col_of("Person", "age", c1), 40);
    OK(person_update(db, PEID(r), &(PersonUpdateInput){ .children = { MANY(set, PersonWhereUniqueInput, { .name = "g1" }), .set_given = true } }, NULL));
    ck_assert_str_eq(CHILDREN_OF(r), "g1");
    ck_assert_int_eq(col_of("Person", "parentId", c1), NULLV);
    OK(person_update(db, PEID(r),
                     &(PersonUpdateInput){ .children = { MANY(update_many, PersonUpdateManyWithWhereInput,
                                                              { .where = NULL, .data = &(PersonUpdateInput){ .age = { .increment = PRISMA_INT(1) } } }) } },
                     NULL));
    ck_assert_int_eq(col_of("Person", "age", g1), 1);
    ck_assert_int_eq(col_of("Person", "age", c1), 40);
    OK(person_update(db, PEID(c1), &(PersonUpdateInput){ .children = { MANY(disconnect, PersonWhereUniqueInput, { .name = "c2" }) } }, NULL));
    ck_assert_str_eq(CHILDREN_OF(c1), "g2");
    snapshot before = snap();
    FAILS(person_update(db, PEID(r), &(PersonUpdateInput){ .children = { DELETE_MANY_(PersonWhereUniqueInput, { .name = "g2" }) } }, NULL), "P2017",
          NOT_CONNECTED("Family", "Person", "Person"));
    FAILS(person_update(db, PEID(r), &(PersonUpdateInput){ .children = { MANY(connect, PersonWhereUniqueInput, { .name = "g2" }, { .name = "nope" }) } },
                        NULL),
          "P2018", INCOMPLETE_CONNECT(2, 1, "one-to-many", "Family"));
    FAILS(person_update(db, PNAME("g2"), &(PersonUpdateInput){ .parent = { .connect = PNAME("nope") } }, NULL), "P2025",
          INLINE_CONNECT("Person", "Person", "one-to-many", "Family"));
    UNCHANGED(before);
    OK(person_update(db, PEID(r), &(PersonUpdateInput){ .children = { DELETE_MANY_(PersonWhereUniqueInput, { .name = "g1" }) } }, NULL));
    ck_assert_int_eq(person_id("g1"), 0);
    ck_assert_str_eq(CHILDREN_OF(r), "");
}
END_TEST

/* The names of a person's followers or followees, read with include. */
static const char *follows(const char *name, bool followers)
{
    static char bufs[4][512];
    static int next;
    char *out = bufs[next++ % 4];
    Person *p = NULL;
    OK(person_find_first(db,
                         &(PersonFindManyArgs){ .where = &(PersonWhereInput){ .name = { .equals = name } },
                                                .include = &(PersonInclude){ .followers = followers, .following = !followers } },
                         &p));
    ck_assert_ptr_nonnull(p);
    const PersonList *l = followers ? p->followers : p->following;
    ck_assert_ptr_nonnull(l);
    /* sorted by name */
    const char *names[64];
    size_t n = l->len < 64 ? l->len : 64;
    for (size_t i = 0; i < n; i++)
        names[i] = l->items[i].name;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(out, i ? "," : "", 511 - strlen(out));
        strncat(out, names[i], 511 - strlen(out));
    }
    person_free(p);
    return out;
}
#define FOLLOWERS(n) follows(n, true)
#define FOLLOWING(n) follows(n, false)

/* m-n on one model (Follows): each side keeps its direction. */
START_TEST(self_many_to_many_keeps_its_direction)
{
    new_person("a");
    new_person("b");
    new_person("c");
    new_person("d");
    OK(person_update(db, PNAME("a"), &(PersonUpdateInput){ .following = { MANY(connect, PersonWhereUniqueInput, { .name = "b" }, { .name = "c" }) } },
                     NULL));
    ck_assert_str_eq(FOLLOWING("a"), "b,c");
    ck_assert_str_eq(FOLLOWERS("a"), "");
    ck_assert_str_eq(FOLLOWERS("b"), "a");
    ck_assert_str_eq(FOLLOWING("b"), "");
    ck_assert_int_eq(rows("_Follows"), 2);
    OK(person_update(db, PNAME("d"), &(PersonUpdateInput){ .followers = { MANY(connect, PersonWhereUniqueInput, { .name = "a" }) } }, NULL));
    ck_assert_str_eq(FOLLOWING("a"), "b,c,d");
    ck_assert_str_eq(FOLLOWERS("d"), "a");
    ck_assert_str_eq(FOLLOWING("d"), "");
    OK(person_create(db,
                     &(PersonCreateInput){ .name = "e",
                                           .following = { MANY(create, PersonCreateInput, { .name = "f" }) },
                                           .followers = { MANY(connect, PersonWhereUniqueInput, { .name = "b" }) } },
                     NULL));
    ck_assert_str_eq(FOLLOWING("e"), "f");
    ck_assert_str_eq(FOLLOWERS("f"), "e");
    ck_assert_str_eq(FOLLOWERS("e"), "b");
    ck_assert_str_eq(FOLLOWING("b"), "e");
    OK(person_update(db, PNAME("a"),
                     &(PersonUpdateInput){ .following = { MANY(set, PersonWhereUniqueInput, { .name = "d" }, { .name = "e" }), .set_given = true } }, NULL));
    ck_assert_str_eq(FOLLOWING("a"), "d,e");
    ck_assert_str_eq(FOLLOWERS("b"), "");
    ck_assert_str_eq(FOLLOWERS("c"), "");
    ck_assert_str_eq(FOLLOWERS("e"), "a,b");
    OK(person_update(db, PNAME("a"),
                     &(PersonUpdateInput){ .following = { MANY(disconnect, PersonWhereUniqueInput, { .name = "d" }, { .name = "b" }) } }, NULL));
    ck_assert_str_eq(FOLLOWING("a"), "e");
    int64_t links = rows("_Follows");
    OK(person_update(db, PNAME("a"), &(PersonUpdateInput){ .following = { MANY(connect, PersonWhereUniqueInput, { .name = "e" }) } }, NULL));
    ck_assert_int_eq(rows("_Follows"), links);
    OK(person_update(db, PNAME("a"),
                     &(PersonUpdateInput){ .following = { MANY(update, PersonUpdateWithWhereInput,
                                                               { .where = PNAME("e"), .data = &(PersonUpdateInput){ .age = { .set = PRISMA_INT(5) } } }) } },
                     NULL));
    ck_assert_int_eq(col_of("Person", "age", person_id("e")), 5);
    snapshot before = snap();
    FAILS(person_update(db, PNAME("a"), &(PersonUpdateInput){ .following = { MANY(connect, PersonWhereUniqueInput, { .name = "nope" }) } }, NULL),
          "P2025", M2N_CONNECT(1, 0));
    FAILS(person_update(db, PNAME("a"),
                        &(PersonUpdateInput){ .following = { MANY(update, PersonUpdateWithWhereInput,
                                                                  { .where = PNAME("b"), .data = &(PersonUpdateInput){ .age = { .set = PRISMA_INT(5) } } }) } },
                        NULL),
          "P2025", NESTED_MISSING("Person", "update", "many-to-many", "Follows"));
    FAILS(person_update(db, PNAME("a"), &(PersonUpdateInput){ .following = { DELETE_MANY_(PersonWhereUniqueInput, { .name = "b" }) } }, NULL),
          "P2017", NOT_CONNECTED("Follows", "Person", "Person"));
    UNCHANGED(before);
    ck_assert_int_eq(col_of("Person", "age", person_id("b")), 0);
    /* From the other side: b stops being followed by e's followers. */
    OK(person_update(db, PNAME("e"), &(PersonUpdateInput){ .followers = { .set_given = true } }, NULL));
    ck_assert_str_eq(FOLLOWING("a"), "");
    ck_assert_str_eq(FOLLOWING("b"), "");
    ck_assert_str_eq(FOLLOWING("e"), "f");
}
END_TEST

/* 1-1 on one model (Mentorship). */
START_TEST(self_one_to_one)
{
    OK(person_create(db, &(PersonCreateInput){ .name = "a", .mentor = { .create = &(PersonCreateInput){ .name = "m" } } }, NULL));
    int a = person_id("a"), m = person_id("m");
    ck_assert_int_eq(col_of("Person", "mentorId", a), m);
    Person *mp = NULL;
    OK(person_find_first(db, &(PersonFindManyArgs){ .where = &(PersonWhereInput){ .name = { .equals = "m" } }, .include = &(PersonInclude){ .mentee = true } },
                         &mp));
    ck_assert_ptr_nonnull(mp->mentee);
    ck_assert_str_eq(mp->mentee->name, "a");
    person_free(mp);
    /* b takes a as mentee: a's key moves to b (it is optional), m has none. */
    int b = new_person("b");
    OK(person_update(db, PEID(b), &(PersonUpdateInput){ .mentee = { .connect = PNAME("a") } }, NULL));
    ck_assert_int_eq(col_of("Person", "mentorId", a), b);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Person\" WHERE \"mentorId\" = $1", m), 0);
    OK(person_update(db, PEID(m), &(PersonUpdateInput){ .mentee = { .create = &(PersonCreateInput){ .name = "n" } } }, NULL));
    ck_assert_int_eq(col_of("Person", "mentorId", person_id("n")), m);
    snapshot before = snap();
    FAILS(person_update(db, PEID(a), &(PersonUpdateInput){ .mentor = { .connect = PNAME("nope") } }, NULL), "P2025",
          INLINE_CONNECT("Person", "Person", "one-to-one", "Mentorship"));
    UNCHANGED(before);
    OK(person_update(db, PEID(a), &(PersonUpdateInput){ .mentor = { .disconnect = true } }, NULL));
    ck_assert_int_eq(col_of("Person", "mentorId", a), NULLV);
    FAILS(person_update(db, PEID(a), &(PersonUpdateInput){ .mentor = { .update = &(PersonUpdateInput){ .age = { .set = PRISMA_INT(1) } } } }, NULL),
          "P2025", NESTED_MISSING("Person", "update", "one-to-one", "Mentorship"));
    OK(person_update(db, PEID(a),
                     &(PersonUpdateInput){ .mentor = { .upsert = &(PersonUpsertWithWhereInput){ .create = &(PersonCreateInput){ .name = "u" },
                                                                                               .update = &(PersonUpdateInput){ .age = { .set = PRISMA_INT(9) } } } } },
                     NULL));
    int u = person_id("u");
    ck_assert_int_eq(col_of("Person", "mentorId", a), u);
    ck_assert_int_eq(col_of("Person", "age", u), 0);
    OK(person_update(db, PEID(a),
                     &(PersonUpdateInput){ .mentor = { .upsert = &(PersonUpsertWithWhereInput){ .create = &(PersonCreateInput){ .name = "never" },
                                                                                               .update = &(PersonUpdateInput){ .age = { .set = PRISMA_INT(9) } } } } },
                     NULL));
    ck_assert_int_eq(col_of("Person", "age", u), 9);
    ck_assert_int_eq(person_id("never"), 0);
    ck_assert_int_eq(rows("Person"), 5);
}
END_TEST

/* ==== a compound foreign key: Member.team / Team.members ==== */

static const char *team_of(const char *member)
{
    Member *m = NULL;
    OK(member_find_unique(db, &(MemberWhereUniqueInput){ .name = member }, &m));
    ck_assert_ptr_nonnull(m);
    static char buf[4][64];
    static int next;
    char *out = buf[next++ % 4];
    snprintf(out, 64, "%s/%s", m->teamOrg ? m->teamOrg : "NULL", m->teamCode ? m->teamCode : "NULL");
    member_free(m);
    return out;
}
#define TEAM(o, c) (&(TeamWhereUniqueInput){ .org_code = { .org = (o), .code = (c) } })

START_TEST(compound_foreign_keys)
{
    OK(member_create(db, &(MemberCreateInput){ .name = "m1", .team = { .create = &(TeamCreateInput){ .org = "o", .code = "a", .name = "A" } } }, NULL));
    ck_assert_str_eq(team_of("m1"), "o/a");
    OK(team_create(db,
                   &(TeamCreateInput){ .org = "o", .code = "b",
                                       .members = { MANY(create, MemberCreateInput, { .name = "m2" }), MANY(connect, MemberWhereUniqueInput, { .name = "m1" }) } },
                   NULL));
    ck_assert_str_eq(team_of("m1"), "o/b");
    ck_assert_str_eq(team_of("m2"), "o/b");
    OK(member_update(db, &(MemberWhereUniqueInput){ .name = "m2" }, &(MemberUpdateInput){ .team = { .connect = TEAM("o", "a") } }, NULL));
    ck_assert_str_eq(team_of("m2"), "o/a");
    FAILS(member_update(db, &(MemberWhereUniqueInput){ .name = "m2" }, &(MemberUpdateInput){ .team = { .connect = TEAM("o", "zz") } }, NULL), "P2025",
          INLINE_CONNECT("Team", "Member", "one-to-many", "MemberToTeam"));
    ck_assert_str_eq(team_of("m2"), "o/a");
    OK(team_update(db, TEAM("o", "a"), &(TeamUpdateInput){ .members = { MANY(disconnect, MemberWhereUniqueInput, { .name = "m2" }) } }, NULL));
    ck_assert_str_eq(team_of("m2"), "NULL/NULL");
    OK(team_update(db, TEAM("o", "b"), &(TeamUpdateInput){ .members = { .set_given = true } }, NULL));
    ck_assert_str_eq(team_of("m1"), "NULL/NULL");
    OK(member_update(db, &(MemberWhereUniqueInput){ .name = "m1" },
                     &(MemberUpdateInput){ .team = { .connect_or_create = &(TeamConnectOrCreateInput){ .where = TEAM("o", "c"),
                                                                                                       .create = &(TeamCreateInput){ .org = "o", .code = "c" } } } },
                     NULL));
    ck_assert_str_eq(team_of("m1"), "o/c");
    ck_assert_int_eq(rows("Team"), 3);
    OK(team_update(db, TEAM("o", "c"),
                   &(TeamUpdateInput){ .name = "C", .members = { MANY(update, MemberUpdateWithWhereInput,
                                                                      { .where = &(MemberWhereUniqueInput){ .name = "m1" },
                                                                        .data = &(MemberUpdateInput){ .name = "M1" } }) } },
                   NULL));
    ck_assert_str_eq(team_of("M1"), "o/c");
    OK(member_update(db, &(MemberWhereUniqueInput){ .name = "M1" }, &(MemberUpdateInput){ .team = { .disconnect = true } }, NULL));
    ck_assert_str_eq(team_of("M1"), "NULL/NULL");
}
END_TEST

/* More of the compound-key relation: update, upsert and delete of the team
 * from a member; update_many, delete_many and upsert from the team. */
START_TEST(compound_foreign_keys_update_upsert_delete)
{
    OK(team_create(db,
                   &(TeamCreateInput){ .org = "o", .code = "a",
                                       .members = { MANY(create, MemberCreateInput, { .name = "m1" }, { .name = "m2" }, { .name = "x1" }) } },
                   NULL));
    OK(member_update(db, &(MemberWhereUniqueInput){ .name = "m1" }, &(MemberUpdateInput){ .team = { .update = &(TeamUpdateInput){ .name = "A" } } }, NULL));
    ck_assert_str_eq(qs("SELECT \"name\" FROM \"Team\"", 0), "A");
    OK(member_update(db, &(MemberWhereUniqueInput){ .name = "m1" },
                     &(MemberUpdateInput){ .team = { .upsert = &(TeamUpsertWithWhereInput){ .create = &(TeamCreateInput){ .org = "never", .code = "never" },
                                                                                           .update = &(TeamUpdateInput){ .name = "A2" } } } },
                     NULL));
    ck_assert_str_eq(qs("SELECT \"name\" FROM \"Team\"", 0), "A2");
    OK(team_update(db, TEAM("o", "a"),
                   &(TeamUpdateInput){ .members = { MANY(update_many, MemberUpdateManyWithWhereInput,
                                                         { .where = &(MemberWhereInput){ .name = { .equals = "m2" } },
                                                           .data = &(MemberUpdateInput){ .name = "M2" } }),
                                                    MANY(delete_many, MemberWhereInput, { .name = { .starts_with = "x" } }) } },
                   NULL));
    ck_assert_str_eq(qs(testdb_sql("SELECT \"name\" FROM \"Member\" ORDER BY \"name\"%s", testdb->byte_order), 0), "M2,m1");
    OK(team_update(db, TEAM("o", "a"),
                   &(TeamUpdateInput){ .members = { MANY(upsert, MemberUpsertWithWhereInput,
                                                         { .where = &(MemberWhereUniqueInput){ .name = "m3" },
                                                           .create = &(MemberCreateInput){ .name = "m3" },
                                                           .update = &(MemberUpdateInput){ .name = "never" } }) } },
                   NULL));
    ck_assert_str_eq(team_of("m3"), "o/a");
    /* delete from a member: the team goes, its members keep NULL keys (SetNull). */
    OK(member_update(db, &(MemberWhereUniqueInput){ .name = "M2" }, &(MemberUpdateInput){ .team = { .delete_ = true } }, NULL));
    ck_assert_int_eq(rows("Team"), 0);
    ck_assert_str_eq(team_of("m1"), "NULL/NULL");
    ck_assert_str_eq(team_of("m3"), "NULL/NULL");
    FAILS(member_update(db, &(MemberWhereUniqueInput){ .name = "M2" }, &(MemberUpdateInput){ .team = { .delete_ = true } }, NULL), "P2025",
          NESTED_MISSING("Team", "delete", "one-to-many", "MemberToTeam"));
    ck_assert_int_eq(rows("Member"), 3);
}
END_TEST

/* P2014 and the cases that are not P2014 around a required 1-1, from both
 * sides (items 54, 61, 63). */
START_TEST(one_to_one_required_relation_violations)
{
    int a = new_user("a@x"), b = new_user("b@x");
    OK(user_update(db, UID(a), &(UserUpdateInput){ .profile = { .create = &(ProfileCreateInput){ .bio = "pa" } } }, NULL));
    OK(user_update(db, UID(b), &(UserUpdateInput){ .profile = { .create = &(ProfileCreateInput){ .bio = "pb" } } }, NULL));
    int pa = (int)qi("SELECT \"id\" FROM \"Profile\" WHERE \"userId\" = $1", a);
    snapshot before = snap();
    /* connect_or_create that would create a second profile for a. */
    FAILS_WITH(user_update(db, UID(a),
                           &(UserUpdateInput){ .profile = { .connect_or_create = &(ProfileConnectOrCreateInput){
                                                                .where = &(ProfileWhereUniqueInput){ .id = PRISMA_INT(99999) },
                                                                .create = &(ProfileCreateInput){ .bio = "second" } } } },
                           NULL),
               "P2014", "'ProfileToUser'");
    UNCHANGED(before);
    ck_assert_str_eq(PROFILE_OF(a), "pa");
    ck_assert_str_eq(PROFILE_OF(b), "pb");
    /* connect_or_create that finds the profile already connected: nothing to do. */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .profile = { .connect_or_create = &(ProfileConnectOrCreateInput){
                                                        .where = &(ProfileWhereUniqueInput){ .id = PRISMA_INT(pa) },
                                                        .create = &(ProfileCreateInput){ .bio = "never" } } } },
                   NULL));
    ck_assert_str_eq(PROFILE_OF(a), "pa");
    /* From the profile: a new user for it; the old user is left without one. */
    OK(profile_update(db, PRID(pa), &(ProfileUpdateInput){ .user = { .create = &(UserCreateInput){ .email = "c@x" } } }, NULL));
    ck_assert_str_eq(PROFILE_OF(user_id("c@x")), "pa");
    ck_assert_str_eq(PROFILE_OF(a), "");
    ck_assert_int_eq(rows("User"), 3);
    ck_assert_int_eq(rows("Profile"), 2);
    /* From the profile: moving pa to b would orphan pb (Prisma's check on
     * the record connected to, with the back relation: P2014, not the
     * unique index on userId). */
    before = snap();
    FAILS_WITH(profile_update(db, PRID(pa), &(ProfileUpdateInput){ .user = { .connect = UID(b) } }, NULL), "P2014", "'ProfileToUser'");
    UNCHANGED(before);
    ck_assert_str_eq(PROFILE_OF(b), "pb");
}
END_TEST

/* The other side of the self 1-1. */
START_TEST(self_one_to_one_from_the_mentee_side)
{
    OK(person_create(db, &(PersonCreateInput){ .name = "m", .mentee = { .create = &(PersonCreateInput){ .name = "a" } } }, NULL));
    int m = person_id("m"), a = person_id("a");
    ck_assert_int_eq(col_of("Person", "mentorId", a), m);
    ck_assert_int_eq(col_of("Person", "mentorId", m), NULLV);
    OK(person_update(db, PEID(m), &(PersonUpdateInput){ .mentee = { .update = &(PersonUpdateInput){ .age = { .set = PRISMA_INT(3) } } } }, NULL));
    ck_assert_int_eq(col_of("Person", "age", a), 3);
    OK(person_update(db, PEID(m), &(PersonUpdateInput){ .mentee = { .disconnect = true } }, NULL));
    ck_assert_int_eq(col_of("Person", "mentorId", a), NULLV);
    OK(person_update(db, PEID(m), &(PersonUpdateInput){ .mentee = { .disconnect = true } }, NULL));
    FAILS(person_update(db, PEID(m), &(PersonUpdateInput){ .mentee = { .delete_ = true } }, NULL), "P2025",
          NESTED_MISSING("Person", "delete", "one-to-one", "Mentorship"));
    OK(person_update(db, PEID(m),
                     &(PersonUpdateInput){ .mentee = { .connect_or_create = &(PersonConnectOrCreateInput){
                                                           .where = PNAME("a"), .create = &(PersonCreateInput){ .name = "a" } } } },
                     NULL));
    ck_assert_int_eq(col_of("Person", "mentorId", a), m);
    OK(person_update(db, PEID(m), &(PersonUpdateInput){ .mentee = { .delete_ = true } }, NULL));
    ck_assert_int_eq(person_id("a"), 0);
    ck_assert_int_eq(rows("Person"), 1);
}
END_TEST

/* m-n, update and upsert from the Tag side. */
START_TEST(many_to_many_update_and_upsert_from_the_tag_side)
{
    int a = new_user("a@x");
    int p = new_post(a, "p");
    new_post(a, "q");
    OK(tag_create(db, &(TagCreateInput){ .name = "t", .posts = { MANY(connect, PostWhereUniqueInput, { .slug = "p" }) } }, NULL));
    OK(tag_update(db, TNAME("t"),
                  &(TagUpdateInput){ .posts = { MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("p"), .data = &(PostUpdateInput){ .title = "P" } }),
                                                MANY(upsert, PostUpsertWithWhereInput,
                                                     { .where = PSLUG("p"),
                                                       .create = &(PostCreateInput){ .title = "never", .slug = "never", .author = { .connect = UID(a) } },
                                                       .update = &(PostUpdateInput){ .views = { .increment = PRISMA_INT(1) } } },
                                                     { .where = PSLUG("r"),
                                                       .create = &(PostCreateInput){ .title = "r", .slug = "r", .author = { .connect = UID(a) } },
                                                       .update = &(PostUpdateInput){ .title = "never" } }) } },
                  NULL));
    ck_assert_str_eq(str_of("Post", "title", p), "P");
    ck_assert_int_eq(col_of("Post", "views", p), 1);
    ck_assert_int_eq(post_id("never"), 0);
    ck_assert_str_eq(TAGS_OF(post_id("r")), "t");
    FAILS(tag_update(db, TNAME("t"),
                     &(TagUpdateInput){ .posts = { MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("q"), .data = &(PostUpdateInput){ .title = "x" } }) } },
                     NULL),
          "P2025", NESTED_MISSING("Post", "update", "many-to-many", "PostToTag"));
    ck_assert_str_eq(str_of("Post", "title", post_id("q")), "q");
}
END_TEST

void nw_self_and_compound_tests(TCase *tc)
{
    tcase_add_test(tc, self_one_to_many);
    tcase_add_test(tc, self_many_to_many_keeps_its_direction);
    tcase_add_test(tc, self_one_to_one);
    tcase_add_test(tc, compound_foreign_keys);
    tcase_add_test(tc, compound_foreign_keys_update_upsert_delete);
    tcase_add_test(tc, one_to_one_required_relation_violations);
    tcase_add_test(tc, self_one_to_one_from_the_mentee_side);
    tcase_add_test(tc, many_to_many_update_and_upsert_from_the_tag_side);
}
