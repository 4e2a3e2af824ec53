/* The nested-writes suite (tests/nested_writes/support.c): races, and the records written with their ids. */
#include "nested_writes.h"

/* ==== connect_or_create and nested upserts are race-free ==== */

#define RACE_ROUNDS 20

typedef struct racer {
    int user, post;
    const int *fresh;    /* nested upserts: a new user per round */
    const int *passport; /* and a passport without a holder per round */
    int id;
    pthread_barrier_t *barrier;
    int failures;
    char first_failure[512];
} racer;

static void race_failed(racer *r, prisma_client *c, const char *what, int round)
{
    if (r->failures++ == 0)
        snprintf(r->first_failure, sizeof r->first_failure, "%s, round %d: %s %s", what, round, code_of(c), prisma_error_message(c));
}

/* A racer's own client; when it cannot connect, the failure is recorded and
 * the racer still meets the other at each of its `barriers`. */
static prisma_client *racer_connect(racer *r, int barriers)
{
    prisma_client *c = NULL;
    if (prisma_connect(&c, url) == PRISMA_OK)
        return c;
    r->failures = 1;
    snprintf(r->first_failure, sizeof r->first_failure, "connect: %s", prisma_last_connect_error());
    for (int i = 0; i < barriers; i++)
        pthread_barrier_wait(r->barrier);
    return NULL;
}

/* Runs both racers to their end and checks that neither saw a failure. */
static void race(racer r[2], void *(*fn)(void *))
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, fn, &r[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 2; i++)
        ck_assert_msg(r[i].failures == 0, "thread %d: %d failures, the first: %s", i, r[i].failures, r[i].first_failure);
}

/* Both threads, on their own clients, connect_or_create the same tag (m-n),
 * the same post (1-n, from the parent) and the same user (to-one) at once. */
static void *racer_main(void *arg)
{
    racer *r = arg;
    prisma_client *c = racer_connect(r, 3 * RACE_ROUNDS);
    if (!c)
        return NULL;
    for (int i = 0; i < RACE_ROUNDS; i++) {
        char tag[32], slug[32], email[32];
        snprintf(tag, sizeof tag, "race%d", i);
        snprintf(slug, sizeof slug, "race%d", i);
        snprintf(email, sizeof email, "race%d@x", i);
        pthread_barrier_wait(r->barrier);
        if (post_update(c, PID(r->post),
                        &(PostUpdateInput){ .tags = { MANY(connect_or_create, TagConnectOrCreateInput,
                                                           { .where = TNAME(tag), .create = &(TagCreateInput){ .name = tag } }) } },
                        NULL) != PRISMA_OK)
            race_failed(r, c, "m-n", i);
        pthread_barrier_wait(r->barrier);
        if (user_update(c, UID(r->user),
                        &(UserUpdateInput){ .posts = { MANY(connect_or_create, PostConnectOrCreateInput,
                                                            { .where = PSLUG(slug), .create = &(PostCreateInput){ .title = slug, .slug = slug } }) } },
                        NULL) != PRISMA_OK)
            race_failed(r, c, "1-n", i);
        pthread_barrier_wait(r->barrier);
        if (post_update(c, PID(r->post),
                        &(PostUpdateInput){ .author = { .connect_or_create = &(UserConnectOrCreateInput){
                                                            .where = &(UserWhereUniqueInput){ .email = email },
                                                            .create = &(UserCreateInput){ .email = email } } } },
                        NULL) != PRISMA_OK)
            race_failed(r, c, "to-one", i);
    }
    prisma_disconnect(c);
    return NULL;
}

START_TEST(connect_or_create_is_race_free)
{
    int u1 = new_user("u1@x"), u2 = new_user("u2@x");
    int p1 = new_post(u1, "p1"), p2 = new_post(u2, "p2");
    pthread_barrier_t barrier;
    ck_assert_int_eq(pthread_barrier_init(&barrier, NULL, 2), 0);
    racer r[2] = { { .user = u1, .post = p1, .barrier = &barrier }, { .user = u2, .post = p2, .barrier = &barrier } };
    race(r, racer_main);
    pthread_barrier_destroy(&barrier);
    /* Exactly one row per unique value, connected as both asked. */
    ck_assert_int_eq(rows("Tag"), RACE_ROUNDS);
    ck_assert_int_eq(rows("_PostToTag"), 2 * RACE_ROUNDS);
    ck_assert_int_eq(rows("Post"), 2 + RACE_ROUNDS);
    ck_assert_int_eq(rows("User"), 2 + RACE_ROUNDS);
    ck_assert_int_eq(qi("SELECT COUNT(DISTINCT \"name\") FROM \"Tag\"", 0), RACE_ROUNDS);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"Post\" WHERE \"slug\" LIKE 'race%%' AND \"authorId\" IN (%d, %d)", u1, u2);
    ck_assert_int_eq(qi(sql, 0), RACE_ROUNDS);
    char email[32];
    snprintf(email, sizeof email, "race%d@x", RACE_ROUNDS - 1);
    int last = user_id(email);
    ck_assert_int_eq(col_of("Post", "authorId", p1), last);
    ck_assert_int_eq(col_of("Post", "authorId", p2), last);
}
END_TEST

/* Item 74: concurrent updates that use a nested upsert create only one
 * child. Both threads, on their own clients, upsert the same post of the same
 * user (to-many, by its slug), the profile of the same new user (to-one,
 * Profile.userId is unique), and the holder of the same passport (to-one
 * through the key the passport holds, nothing connected yet) at once: one
 * creates, the other updates. */
static void *upsert_racer_main(void *arg)
{
    racer *r = arg;
    prisma_client *c = racer_connect(r, 3 * RACE_ROUNDS);
    if (!c)
        return NULL;
    for (int i = 0; i < RACE_ROUNDS; i++) {
        char slug[32], email[32];
        snprintf(email, sizeof email, "holder%d.%d@x", i, r->id);
        snprintf(slug, sizeof slug, "ups%d", i);
        pthread_barrier_wait(r->barrier);
        if (user_update(c, UID(r->user),
                        &(UserUpdateInput){ .posts = { MANY(upsert, PostUpsertWithWhereInput,
                                                            { .where = PSLUG(slug),
                                                              .create = &(PostCreateInput){ .title = slug, .slug = slug },
                                                              .update = &(PostUpdateInput){ .views = { .increment = PRISMA_INT(1) } } }) } },
                        NULL) != PRISMA_OK)
            race_failed(r, c, "to-many", i);
        pthread_barrier_wait(r->barrier);
        if (user_update(c, UID(r->fresh[i]),
                        &(UserUpdateInput){ .profile = { .upsert = &(ProfileUpsertWithWhereInput){
                                                             .create = &(ProfileCreateInput){ .bio = "created" },
                                                             .update = &(ProfileUpdateInput){ .bio = "updated" } } } },
                        NULL) != PRISMA_OK)
            race_failed(r, c, "to-one", i);
        pthread_barrier_wait(r->barrier);
        /* Each thread would create its own holder (the emails differ): a
         * second one would be left behind, connected to nothing. */
        if (passport_update(c, PPID(r->passport[i]),
                            &(PassportUpdateInput){ .holder = { .upsert = &(UserUpsertWithWhereInput){
                                                                    .create = &(UserCreateInput){ .email = email },
                                                                    .update = &(UserUpdateInput){ .name = "updated" } } } },
                            NULL) != PRISMA_OK)
            race_failed(r, c, "to-one through the key", i);
    }
    prisma_disconnect(c);
    return NULL;
}

START_TEST(nested_upsert_is_race_free)
{
    int u1 = new_user("u1@x");
    int fresh[RACE_ROUNDS], passport[RACE_ROUNDS];
    for (int i = 0; i < RACE_ROUNDS; i++) {
        char email[32];
        snprintf(email, sizeof email, "ups%d@x", i);
        fresh[i] = new_user(email);
        Passport *pp = NULL;
        OK(passport_create(db, &(PassportCreateInput){ .number = email }, &pp));
        passport[i] = pp->id;
        passport_free(pp);
    }
    pthread_barrier_t barrier;
    ck_assert_int_eq(pthread_barrier_init(&barrier, NULL, 2), 0);
    racer r[2] = { { .user = u1, .fresh = fresh, .passport = passport, .id = 0, .barrier = &barrier },
                   { .user = u1, .fresh = fresh, .passport = passport, .id = 1, .barrier = &barrier } };
    race(r, upsert_racer_main);
    pthread_barrier_destroy(&barrier);
    /* One post per slug, u1's, created once and updated once (views 0 + 1). */
    ck_assert_int_eq(rows("Post"), RACE_ROUNDS);
    ck_assert_int_eq(qi("SELECT COUNT(DISTINCT \"slug\") FROM \"Post\" WHERE \"slug\" LIKE 'ups%'", 0), RACE_ROUNDS);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"Post\" WHERE \"authorId\" = $1", u1), RACE_ROUNDS);
    for (int i = 0; i < RACE_ROUNDS; i++) {
        char slug[32];
        snprintf(slug, sizeof slug, "ups%d", i);
        ck_assert_msg(col_of("Post", "views", post_id(slug)) == 1, "%s: views %lld, expected 1", slug,
                      (long long)col_of("Post", "views", post_id(slug)));
    }
    /* One profile per user, created once and updated once. */
    ck_assert_int_eq(rows("Profile"), RACE_ROUNDS);
    for (int i = 0; i < RACE_ROUNDS; i++)
        ck_assert_str_eq(PROFILE_OF(fresh[i]), "updated");
    /* One holder per passport, created once and updated once; no other user. */
    ck_assert_int_eq(rows("User"), 1 + 2 * RACE_ROUNDS);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"User\" WHERE \"email\" LIKE 'holder%' AND \"name\" = 'updated'", 0), RACE_ROUNDS);
    ck_assert_int_eq(qi("SELECT COUNT(DISTINCT \"holderId\") FROM \"Passport\"", 0), RACE_ROUNDS);
}
END_TEST

/* ==== results: the records written, with their generated ids ==== */

START_TEST(include_returns_the_records_written_with_their_ids)
{
    User *u = NULL;
    OK(user_create_include(db,
                           &(UserCreateInput){ .email = "a@x",
                                               .posts = { MANY(create, PostCreateInput, { .title = "p1", .slug = "p1" }, { .title = "p2", .slug = "p2" },
                                                               { .title = "p3", .slug = "p3" }) },
                                               .profile = { .create = &(ProfileCreateInput){ .bio = "b" } },
                                               .passport = { .create = &(PassportCreateInput){ .number = "N" } } },
                           &(UserInclude){ .posts = true, .profile = true, .passport = true }, &u));
    ck_assert_ptr_nonnull(u->posts);
    ck_assert_uint_eq(u->posts->len, 3);
    int seen = 0;
    for (size_t i = 0; i < 3; i++) {
        const Post *p = &u->posts->items[i];
        ck_assert_int_gt(p->id, 0);
        ck_assert_int_eq(p->id, post_id(p->slug));
        ck_assert_int_eq(p->authorId, u->id);
        seen |= 1 << (p->slug[1] - '1');
    }
    ck_assert_int_eq(seen, 7);
    ck_assert_ptr_nonnull(u->profile);
    ck_assert_int_eq(u->profile->id, (int)qi("SELECT \"id\" FROM \"Profile\" WHERE \"userId\" = $1", u->id));
    ck_assert_ptr_nonnull(u->passport);
    ck_assert_str_eq(u->passport->number, "N");
    ck_assert_ptr_nonnull(u->passport->holderId);
    ck_assert_int_eq(*u->passport->holderId, u->id);
    int a = u->id;
    user_free(u);
    OK(user_update_include(db, UID(a), &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "p4", .slug = "p4" }) } },
                           &(UserInclude){ .posts = true }, &u));
    ck_assert_uint_eq(u->posts->len, 4);
    ck_assert_ptr_null(u->profile);
    user_free(u);
    Post *p = NULL;
    OK(post_create_include(db,
                           &(PostCreateInput){ .title = "t", .slug = "t", .author = { .create = &(UserCreateInput){ .email = "b@x" } },
                                               .tags = { MANY(create, TagCreateInput, { .name = "x" }, { .name = "y" }) } },
                           &(PostInclude){ .author = true, .tags = true }, &p));
    ck_assert_ptr_nonnull(p->author);
    ck_assert_str_eq(p->author->email, "b@x");
    ck_assert_int_eq(p->author->id, user_id("b@x"));
    ck_assert_int_eq(p->authorId, p->author->id);
    ck_assert_ptr_nonnull(p->tags);
    ck_assert_uint_eq(p->tags->len, 2);
    for (size_t i = 0; i < 2; i++)
        ck_assert_int_eq(p->tags->items[i].id, tag_id(p->tags->items[i].name));
    post_free(p);
}
END_TEST

void nw_races_and_results_tests(TCase *tc)
{
    tcase_add_test(tc, connect_or_create_is_race_free);
    tcase_add_test(tc, nested_upsert_is_race_free);
    tcase_add_test(tc, include_returns_the_records_written_with_their_ids);
}
