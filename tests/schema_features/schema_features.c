/* What real schemas use besides models and scalars, through the generated
 * client on every backend (tests/schemas/schema_features.prisma.in):
 * - views: read with find_unique (when the view has a unique), find_first,
 *   find_many, find_each, count and include, in both directions of a relation
 *   to a model; db push neither creates nor drops them (this suite creates
 *   them with SQL); their write functions do not exist (check_no_writes.sh);
 * - Unsupported and @ignore fields (not in the client, kept in the
 *   database), an @@ignore model (its table exists, its relation is gone), a
 *   model with a required Unsupported field (no create, the rest works);
 * - an enum with @map values and an @@map name;
 * - every id default (cuid, cuid(2), uuid(), uuid(7), ulid(), nanoid(),
 *   nanoid(n)), dbgenerated(), now() and @updatedAt, in the formats Prisma
 *   makes them. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include TEST_CLIENT_H
#include "testmain.h"

static const char *url, *prismac, *schema;
static prisma_client *db;

#define OK(call)                                                                                                      \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, prisma_error_code(db) ? prisma_error_code(db) : "-", \
                  prisma_error_message(db))

static const char *const create_views[] = {
    "CREATE VIEW \"MemberStats\" AS SELECT m.\"id\" AS \"memberId\", m.\"email\" AS \"email\", "
    "CAST((SELECT COUNT(*) FROM \"Post\" p WHERE p.\"memberId\" = m.\"id\") AS INTEGER) AS \"posts\" FROM \"Member\" m",
    "CREATE VIEW \"PostTitle\" AS SELECT p.\"title\" AS \"title\", m.\"plan\" AS \"plan\" "
    "FROM \"Post\" p JOIN \"Member\" m ON m.\"id\" = p.\"memberId\"",
};

static void exec_sql(const char *sql)
{
    OK(prisma_execute_raw(db, testdb_sql("%s", sql), NULL, 0, NULL));
}

/* Whether `relation` can be read (a table or a view of that name exists). */
static bool relation_exists(const char *relation)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", relation);
    prisma_raw_rows *rows = NULL;
    int rc = prisma_query_raw(db, testdb_sql("%s", sql), NULL, 0, &rows);
    prisma_free(rows);
    return rc == PRISMA_OK;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static Member *make_member(const char *email, Plan plan)
{
    Member *m = NULL;
    OK(member_create(db, &(MemberCreateInput){ .email = email, .plan = plan }, &m));
    ck_assert_ptr_nonnull(m);
    return m;
}

static void add_posts(const Member *m, int n)
{
    for (int i = 0; i < n; i++) {
        char title[64];
        snprintf(title, sizeof title, "%s #%d", m->email, i);
        OK(post_create(db, &(PostCreateInput){ .title = title, .memberId = m->id }, NULL));
    }
}

/* ---- views ---- */

START_TEST(db_push_neither_creates_nor_drops_views)
{
    /* The views exist (made by this suite): a second push keeps them. */
    ck_assert(relation_exists("MemberStats"));
    const char *argv[] = { prismac, "db", "push", "--schema", schema, "--url", url, NULL };
    char out[8192];
    int rc = testdb_run(argv, out, sizeof out);
    ck_assert_msg(rc == 0, "db push failed (%d): %s", rc, out);
    ck_assert_msg(strstr(out, "already in sync"), "db push changed something: %s", out);
    ck_assert(relation_exists("MemberStats"));
    ck_assert(relation_exists("PostTitle"));
    /* Without them, db push does not create them (nor a table instead). */
    exec_sql("DROP VIEW \"MemberStats\"");
    exec_sql("DROP VIEW \"PostTitle\"");
    rc = testdb_run(argv, out, sizeof out);
    ck_assert_msg(rc == 0, "db push failed (%d): %s", rc, out);
    ck_assert_msg(strstr(out, "already in sync"), "db push changed something: %s", out);
    ck_assert(!relation_exists("MemberStats"));
    ck_assert(!relation_exists("PostTitle"));
    for (size_t i = 0; i < sizeof create_views / sizeof create_views[0]; i++)
        exec_sql(create_views[i]);
}
END_TEST

static int count_each(const MemberStats *s, void *arg)
{
    int *seen = arg;
    ck_assert_int_eq(s->posts, (int)strlen(s->email) == 5 ? 2 : 0); /* "a@x.y" has two posts */
    (*seen)++;
    return PRISMA_OK;
}

START_TEST(a_view_is_read_through_the_client)
{
    Member *a = make_member("a@x.y", PLAN_PRO), *b = make_member("bb@x.y", PLAN_FREE);
    add_posts(a, 2);

    MemberStats *s = NULL;
    OK(member_stats_find_unique(db, &(MemberStatsWhereUniqueInput){ .memberId = a->id }, &s));
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s->email, "a@x.y");
    ck_assert_int_eq(s->posts, 2);
    member_stats_free(s);
    s = NULL;
    OK(member_stats_find_unique(db, &(MemberStatsWhereUniqueInput){ .memberId = "nobody" }, &s));
    ck_assert_ptr_null(s);
    ck_assert_int_eq(member_stats_find_unique_or_throw(db, &(MemberStatsWhereUniqueInput){ .memberId = "nobody" }, &s),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2025");

    OK(member_stats_find_first(db, &(MemberStatsFindManyArgs){ .where = &(MemberStatsWhereInput){ .posts = { .equals = PRISMA_INT(0) } } },
                               &s));
    ck_assert_str_eq(s->email, "bb@x.y");
    member_stats_free(s);

    /* find_many with where, order, take, and the relation to the model. */
    MemberStatsList *l = NULL;
    OK(member_stats_find_many(db,
                              &(MemberStatsFindManyArgs){
                                  .where = &(MemberStatsWhereInput){ .email = { .ends_with = "@x.y" } },
                                  .order_by = &(MemberStatsOrderByInput){ .posts = PRISMA_DESC }, .order_by_len = 1,
                                  .take = PRISMA_TAKE(5), .include = &(MemberStatsInclude){ .member = true } },
                              &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_str_eq(l->items[0].email, "a@x.y");
    ck_assert_ptr_nonnull(l->items[0].member);
    ck_assert_int_eq(l->items[0].member->plan, PLAN_PRO);
    member_stats_list_free(l);

    /* From the model to the view. */
    Member *with = NULL;
    OK(member_find_unique(db, &(MemberWhereUniqueInput){ .email = "a@x.y" }, &with));
    member_free(with);
    MemberList *ml = NULL;
    OK(member_find_many(db, &(MemberFindManyArgs){ .include = &(MemberInclude){ .stats = true },
                                                   .order_by = &(MemberOrderByInput){ .email = PRISMA_ASC },
                                                   .order_by_len = 1 },
                        &ml));
    ck_assert_uint_eq(ml->len, 2);
    ck_assert_ptr_nonnull(ml->items[0].stats);
    ck_assert_int_eq(ml->items[0].stats->posts, 2);
    member_list_free(ml);

    int64_t n = 0;
    OK(member_stats_count(db, &(MemberStatsWhereInput){ .posts = { .gt = PRISMA_INT(0) } }, &n));
    ck_assert_int_eq(n, 1);
    int seen = 0;
    OK(member_stats_find_each(db, NULL, count_each, &seen));
    ck_assert_int_eq(seen, 2);

    /* A view without a unique: find_first, find_many and count. */
    PostTitleList *titles = NULL;
    OK(post_title_find_many(db, &(PostTitleFindManyArgs){ .where = &(PostTitleWhereInput){ .plan = { .equals = PLAN_PRO } },
                                                          .order_by = &(PostTitleOrderByInput){ .title = PRISMA_DESC },
                                                          .order_by_len = 1 },
                            &titles));
    ck_assert_uint_eq(titles->len, 2);
    ck_assert_str_eq(titles->items[0].title, "a@x.y #1");
    ck_assert_int_eq(titles->items[0].plan, PLAN_PRO);
    post_title_list_free(titles);
    PostTitle *t = NULL;
    OK(post_title_find_first(db, &(PostTitleFindManyArgs){ .where = &(PostTitleWhereInput){ .title = { .contains = "#0" } } },
                             &t));
    ck_assert_str_eq(t->title, "a@x.y #0");
    post_title_free(t);
    OK(post_title_count(db, NULL, &n));
    ck_assert_int_eq(n, 2);

    /* In a batch: the reads are queued like any model's. */
    prisma_batch *bt = NULL;
    MemberStats *bs = NULL;
    int64_t bn = 0;
    OK(prisma_batch_new(db, &bt));
    OK(member_stats_batch_find_unique(bt, &(MemberStatsWhereUniqueInput){ .memberId = b->id }, &bs));
    OK(post_title_batch_count(bt, NULL, &bn));
    OK(prisma_batch_run(bt, NULL, NULL));
    prisma_batch_free(bt);
    ck_assert_str_eq(bs->email, "bb@x.y");
    ck_assert_int_eq(bn, 2);
    member_stats_free(bs);
    member_free(a);
    member_free(b);
}
END_TEST

/* ---- Unsupported, @ignore, @@ignore ---- */

START_TEST(unsupported_and_ignored_fields_stay_in_the_database)
{
    Member *m = make_member("u@x.y", PLAN_FREE);
    /* Set what the client cannot see, by hand. */
    OK(prisma_execute_raw(db,
                          testdb_sql("UPDATE \"Member\" SET \"note\" = 'kept', \"shape\" = %s WHERE \"id\" = $1",
                                     testdb->shape_sql(1, 2, 3)),
                          &PRISMA_RAW_TEXT_V(m->id), 1, NULL));
    Member *u = NULL;
    OK(member_update(db, &(MemberWhereUniqueInput){ .id = m->id }, &(MemberUpdateInput){ .email = "v@x.y" }, &u));
    ck_assert_str_eq(u->email, "v@x.y");
    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db, testdb_sql("SELECT \"note\", %s FROM \"Member\" WHERE \"id\" = $1", testdb->shape_of("\"shape\"")),
                        &PRISMA_RAW_TEXT_V(m->id), 1, &rows));
    ck_assert_uint_eq(rows->n_rows, 1);
    ck_assert_str_eq(rows->values[0].s, "kept");
    ck_assert_str_eq(rows->values[1].s, testdb->shape_text(1, 2, 3));
    prisma_free(rows);
    OK(member_delete(db, &(MemberWhereUniqueInput){ .id = m->id }, NULL));
    member_free(m);
    member_free(u);
}
END_TEST

START_TEST(an_ignored_model_keeps_its_table_and_loses_its_relation)
{
    /* Hidden is @@ignore: not in the client, but db push made its table. */
    OK(prisma_execute_raw(db, testdb_sql("INSERT INTO \"Hidden\" (\"id\") VALUES (5)"), NULL, 0, NULL));
    Member *m = make_member("h@x.y", PLAN_FREE);
    Post *p = NULL;
    OK(post_create(db, &(PostCreateInput){ .title = "t", .memberId = m->id, .hiddenId = PRISMA_INT(5) }, &p));
    ck_assert_int_eq(*p->hiddenId, 5);
    PostList *l = NULL;
    OK(post_find_many(db, &(PostFindManyArgs){ .where = &(PostWhereInput){ .hiddenId = { .equals = PRISMA_INT(5) } },
                                               .include = &(PostInclude){ .member = true } },
                      &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_str_eq(l->items[0].member->email, "h@x.y");
    post_list_free(l);
    post_free(p);
    member_free(m);
}
END_TEST

START_TEST(a_model_with_a_required_unsupported_field_reads_updates_and_deletes)
{
    OK(prisma_execute_raw(db,
                          testdb_sql("INSERT INTO \"Legacy\" (\"id\", \"name\", \"shape\") VALUES (1, 'one', %s), "
                                     "(2, 'two', %s)",
                                     testdb->shape_sql(0, 1, 1), testdb->shape_sql(0, 2, 2)),
                          NULL, 0, NULL));
    Legacy *l = NULL;
    OK(legacy_find_unique(db, &(LegacyWhereUniqueInput){ .id = PRISMA_INT(1) }, &l));
    ck_assert_str_eq(l->name, "one");
    legacy_free(l);
    OK(legacy_update(db, &(LegacyWhereUniqueInput){ .id = PRISMA_INT(1) }, &(LegacyUpdateInput){ .name = "uno" }, &l));
    ck_assert_str_eq(l->name, "uno");
    legacy_free(l);
    int64_t n = 0;
    OK(legacy_update_many(db, NULL, &(LegacyUpdateInput){ .name = "all" }, &n));
    ck_assert_int_eq(n, 2);
    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db, testdb_sql("SELECT %s FROM \"Legacy\" ORDER BY \"id\"", testdb->shape_of("\"shape\"")), NULL,
                        0, &rows));
    ck_assert_str_eq(rows->values[0].s, testdb->shape_text(0, 1, 1));
    ck_assert_str_eq(rows->values[1].s, testdb->shape_text(0, 2, 2));
    prisma_free(rows);
    OK(legacy_delete(db, &(LegacyWhereUniqueInput){ .id = PRISMA_INT(2) }, NULL));
    OK(legacy_count(db, NULL, &n));
    ck_assert_int_eq(n, 1);
    OK(legacy_delete_many(db, NULL, &n));
    ck_assert_int_eq(n, 1);
}
END_TEST

/* ---- enums with @map ---- */

START_TEST(enum_values_are_stored_under_their_mapped_names)
{
    Member *m = make_member("e@x.y", PLAN_PRO);
    ck_assert_int_eq(m->plan, PLAN_PRO);
    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db, testdb_sql("SELECT %s FROM \"Member\" WHERE \"id\" = $1", testdb->text_of("\"plan\"")),
                        &PRISMA_RAW_TEXT_V(m->id), 1, &rows));
    ck_assert_str_eq(rows->values[0].s, "pro-plan");
    prisma_free(rows);
    /* Written by hand under the mapped name, read as the enum. */
    OK(prisma_execute_raw(db, testdb_sql("UPDATE \"Member\" SET \"plan\" = 'free' WHERE \"id\" = $1"),
                          &PRISMA_RAW_TEXT_V(m->id), 1, NULL));
    int64_t n = 0;
    OK(member_count(db, &(MemberWhereInput){ .plan = { .in = PRISMA_ENUMS(PLAN_FREE) } }, &n));
    ck_assert_int_eq(n, 1);
    Member *r = NULL;
    OK(member_update(db, &(MemberWhereUniqueInput){ .id = m->id }, &(MemberUpdateInput){ .plan = PLAN_PRO }, &r));
    ck_assert_int_eq(r->plan, PLAN_PRO);
    OK(member_count(db, &(MemberWhereInput){ .plan = { .not_ = PLAN_FREE } }, &n));
    ck_assert_int_eq(n, 1);
    member_free(r);
    member_free(m);
}
END_TEST

/* ---- defaults ---- */

static bool all_in(const char *s, const char *alphabet)
{
    for (; *s; s++)
        if (!strchr(alphabet, *s))
            return false;
    return true;
}

static const char base36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
static const char nanoid_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

static void check_uuid(const char *u, char version)
{
    ck_assert_uint_eq(strlen(u), 36);
    for (int i = 0; i < 36; i++)
        ck_assert_msg(i == 8 || i == 13 || i == 18 || i == 23 ? u[i] == '-' : strchr("0123456789abcdef", u[i]) != NULL,
                      "%s is not a lowercase uuid", u);
    ck_assert_int_eq(u[14], version);
    ck_assert_msg(strchr("89ab", u[19]) != NULL, "%s: not the RFC 9562 variant", u);
}

/* The milliseconds of a uuid v7's first 48 bits, or a ulid's first 10 characters. */
static int64_t uuid7_ms(const char *u)
{
    char hex[13];
    memcpy(hex, u, 8);
    memcpy(hex + 8, u + 9, 4);
    hex[12] = '\0';
    return strtoll(hex, NULL, 16);
}

static int64_t ulid_ms(const char *u)
{
    int64_t ms = 0;
    for (int i = 0; i < 10; i++)
        ms = ms * 32 + (strchr(crockford, u[i]) - crockford);
    return ms;
}

static void check_defaults(const Member *m, int64_t before, int64_t after)
{
    ck_assert_msg(strlen(m->id) == 24 && islower((unsigned char)m->id[0]) && all_in(m->id, base36),
                  "cuid(2) %s: 24 lowercase base-36 characters, a letter first", m->id);
    ck_assert_msg(strlen(m->cuid1) == 25 && m->cuid1[0] == 'c' && all_in(m->cuid1, base36), "cuid() %s", m->cuid1);
    check_uuid(m->uuid4, '4');
    check_uuid(m->uuid7, '7');
    ck_assert_msg(uuid7_ms(m->uuid7) >= before && uuid7_ms(m->uuid7) <= after, "uuid(7) %s: not made now", m->uuid7);
    ck_assert_msg(strlen(m->ulid) == 26 && all_in(m->ulid, crockford) && m->ulid[0] <= '7', "ulid() %s", m->ulid);
    ck_assert_msg(ulid_ms(m->ulid) >= before && ulid_ms(m->ulid) <= after, "ulid() %s: not made now", m->ulid);
    ck_assert_msg(strlen(m->nano) == 21 && all_in(m->nano, nanoid_alphabet), "nanoid() %s", m->nano);
    ck_assert_msg(strlen(m->nano8) == 8 && all_in(m->nano8, nanoid_alphabet), "nanoid(8) %s", m->nano8);
    ck_assert_int_eq(m->plan, PLAN_FREE);
    ck_assert_int_eq(m->level, 7); /* dbgenerated("7"): the database's default, read back */
    ck_assert_int_ge(m->createdAt, before);
    ck_assert_int_le(m->createdAt, after);
    ck_assert_int_eq(m->updatedAt, m->createdAt);
}

START_TEST(every_id_default_has_prisma_s_format)
{
    int64_t before = now_ms() - 1;
    Member *m = NULL;
    OK(member_create(db, &(MemberCreateInput){ .email = "d@x.y" }, &m));
    int64_t after = now_ms() + 1;
    check_defaults(m, before, after);
    Member *r = NULL;
    OK(member_find_unique(db, &(MemberWhereUniqueInput){ .uuid7 = m->uuid7 }, &r));
    ck_assert_str_eq(r->id, m->id);
    member_free(r);

    /* create_many: every row gets its own ids; create_many_and_return shows them. */
    MemberCreateInput in[50];
    char emails[50][32];
    for (int i = 0; i < 50; i++) {
        snprintf(emails[i], sizeof emails[i], "m%d@x.y", i);
        in[i] = (MemberCreateInput){ .email = emails[i] };
    }
    before = now_ms() - 1;
    MemberList *l = NULL;
    OK(member_create_many_and_return(db, in, 50, false, &l));
    after = now_ms() + 1;
    ck_assert_uint_eq(l->len, 50);
    for (size_t i = 0; i < l->len; i++) {
        check_defaults(&l->items[i], before, after);
        for (size_t k = 0; k < i; k++) {
            ck_assert_str_ne(l->items[i].id, l->items[k].id);
            ck_assert_str_ne(l->items[i].nano, l->items[k].nano);
            ck_assert_str_ne(l->items[i].nano8, l->items[k].nano8);
        }
    }
    member_list_free(l);
    int64_t n = 0;
    OK(member_create_many(db, (MemberCreateInput[]){ { .email = "x1@x.y" }, { .email = "x2@x.y" } }, 2, false, &n));
    ck_assert_int_eq(n, 2);

    /* @updatedAt moves on update; createdAt does not. */
    struct timespec pause = { 0, 5 * 1000000 };
    nanosleep(&pause, NULL);
    Member *u = NULL;
    OK(member_update(db, &(MemberWhereUniqueInput){ .id = m->id }, &(MemberUpdateInput){ .plan = PLAN_PRO }, &u));
    ck_assert_int_eq(u->createdAt, m->createdAt);
    ck_assert_int_gt(u->updatedAt, m->updatedAt);
    member_free(u);
    member_free(m);
}
END_TEST

/* uuid(7) and ulid() are time-ordered: made a few milliseconds apart, they sort in order. */
START_TEST(uuid7_and_ulid_sort_in_creation_order)
{
    Member *prev = NULL;
    for (int i = 0; i < 10; i++) {
        char email[32];
        snprintf(email, sizeof email, "o%d@x.y", i);
        Member *m = make_member(email, PLAN_FREE);
        if (prev) {
            ck_assert_msg(strcmp(prev->uuid7, m->uuid7) < 0, "%s then %s", prev->uuid7, m->uuid7);
            ck_assert_msg(strcmp(prev->ulid, m->ulid) < 0, "%s then %s", prev->ulid, m->ulid);
        }
        member_free(prev);
        prev = m;
        struct timespec pause = { 0, 2 * 1000000 };
        nanosleep(&pause, NULL);
    }
    member_free(prev);
}
END_TEST

static const char *const tables[] = { "Post", "Member", "Legacy", "Hidden" };

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

/* After db push: no table for a view; then the views, by hand. */
static int prepare(char **more)
{
    (void)more;
    if (prisma_connect(&db, url) != PRISMA_OK) {
        fprintf(stderr, "connect: %s\n", prisma_last_connect_error());
        return 1;
    }
    int rc = 0;
    if (relation_exists("MemberStats") || relation_exists("PostTitle")) {
        fprintf(stderr, "db push created a table for a view\n");
        rc = 1;
    }
    for (size_t i = 0; rc == 0 && i < sizeof create_views / sizeof create_views[0]; i++)
        if (prisma_execute_raw(db, testdb_sql("%s", create_views[i]), NULL, 0, NULL) != PRISMA_OK) {
            fprintf(stderr, "%s: %s\n", create_views[i], prisma_error_message(db));
            rc = 1;
        }
    prisma_disconnect(db);
    db = NULL;
    return rc;
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, db_push_neither_creates_nor_drops_views);
    tcase_add_test(tc, a_view_is_read_through_the_client);
    tcase_add_test(tc, unsupported_and_ignored_fields_stay_in_the_database);
    tcase_add_test(tc, an_ignored_model_keeps_its_table_and_loses_its_relation);
    tcase_add_test(tc, a_model_with_a_required_unsupported_field_reads_updates_and_deletes);
    tcase_add_test(tc, enum_values_are_stored_under_their_mapped_names);
    tcase_add_test(tc, every_id_default_has_prisma_s_format);
    tcase_add_test(tc, uuid7_and_ulid_sort_in_creation_order);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = {
        .name = "schema_features", .timeout = 60, .url = &url, .prepare = prepare, .setup = setup,
        .teardown = teardown, .add_tests = add_tests,
    };
    if (argc >= 4) {
        prismac = argv[2];
        schema = argv[3];
    }
    return testmain_run(&suite, argc, argv);
}
