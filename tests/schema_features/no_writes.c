/* What the generated client must NOT have (tests/schemas/schema_features.prisma.in):
 * compiled once per case by check_no_writes.sh. CASE 0 uses what must exist
 * and compiles; every other case uses one thing that must not exist (named
 * after the case number) and must fail to compile, mentioning it. */
#include "client.h"

#include <stddef.h>

int use(prisma_client *db);

int use(prisma_client *db)
{
#if CASE == 0 /* the read API of views, the rest of Legacy's API */
    MemberStats *s = NULL;
    MemberStatsList *l = NULL;
    PostTitle *t = NULL;
    Legacy *g = NULL;
    int64_t n = 0;
    int rc = member_stats_find_unique(db, &(MemberStatsWhereUniqueInput){ .memberId = "x" }, &s);
    rc |= member_stats_find_unique_or_throw(db, &(MemberStatsWhereUniqueInput){ .memberId = "x" }, &s);
    rc |= member_stats_find_first(db, NULL, &s);
    rc |= member_stats_find_many(db, &(MemberStatsFindManyArgs){ .include = &(MemberStatsInclude){ .member = true } }, &l);
    rc |= member_stats_find_each(db, NULL, NULL, NULL);
    rc |= member_stats_count(db, NULL, &n);
    rc |= post_title_find_first_or_throw(db, NULL, &t);
    rc |= post_title_count(db, &(PostTitleWhereInput){ .plan = { .equals = PLAN_PRO } }, &n);
    rc |= legacy_find_unique(db, &(LegacyWhereUniqueInput){ .id = PRISMA_INT(1) }, &g);
    rc |= legacy_update(db, &(LegacyWhereUniqueInput){ .id = PRISMA_INT(1) }, &(LegacyUpdateInput){ .name = "n" }, &g);
    rc |= legacy_delete(db, &(LegacyWhereUniqueInput){ .id = PRISMA_INT(1) }, &g);
    rc |= member_create(db, &(MemberCreateInput){ .email = "e" }, NULL);
    rc |= member_find_many(db, &(MemberFindManyArgs){ .include = &(MemberInclude){ .stats = true } }, NULL);
    return rc;
#elif CASE == 1 /* member_stats_create */
    return member_stats_create(db, NULL, NULL);
#elif CASE == 2 /* member_stats_create_many */
    return member_stats_create_many(db, NULL, 0, false, NULL);
#elif CASE == 3 /* member_stats_update */
    return member_stats_update(db, NULL, NULL, NULL);
#elif CASE == 4 /* member_stats_update_many */
    return member_stats_update_many(db, NULL, NULL, NULL);
#elif CASE == 5 /* member_stats_upsert */
    return member_stats_upsert(db, NULL, NULL, NULL, NULL);
#elif CASE == 6 /* member_stats_delete */
    return member_stats_delete(db, NULL, NULL);
#elif CASE == 7 /* member_stats_delete_many */
    return member_stats_delete_many(db, NULL, NULL);
#elif CASE == 8 /* member_stats_batch_create */
    return member_stats_batch_create(NULL, NULL, NULL);
#elif CASE == 9 /* member_stats_batch_delete */
    return member_stats_batch_delete(NULL, NULL, NULL);
#elif CASE == 10 /* MemberStatsCreateInput */
    MemberStatsCreateInput in = { 0 };
    (void)in;
    return db != NULL;
#elif CASE == 11 /* MemberStatsUpdateInput */
    MemberStatsUpdateInput in = { 0 };
    (void)in;
    return db != NULL;
#elif CASE == 12 /* MemberStatsConnectOrCreateInput */
    MemberStatsConnectOrCreateInput in = { 0 };
    (void)in;
    return db != NULL;
#elif CASE == 13 /* stats */
    /* no nested writes from a model into a view */
    return member_create(db, &(MemberCreateInput){ .email = "e", .stats = { 0 } }, NULL);
#elif CASE == 14 /* stats */
    return member_update(db, NULL, &(MemberUpdateInput){ .stats = { 0 } }, NULL);
#elif CASE == 15 /* post_title_find_unique */
    /* a view without a unique has no find_unique */
    return post_title_find_unique(db, NULL, NULL);
#elif CASE == 16 /* legacy_create */
    /* a required Unsupported field without a default: no create, as Prisma */
    return legacy_create(db, NULL, NULL);
#elif CASE == 17 /* legacy_create_many */
    return legacy_create_many(db, NULL, 0, false, NULL);
#elif CASE == 18 /* legacy_upsert */
    return legacy_upsert(db, NULL, NULL, NULL, NULL);
#elif CASE == 19 /* note */
    /* an @ignore field is not in the record */
    Member m = { 0 };
    return m.note != NULL;
#elif CASE == 20 /* shape */
    /* nor an Unsupported one */
    Member m = { 0 };
    return m.shape != NULL;
#elif CASE == 21 /* hidden */
    /* a relation to an @@ignore model is gone */
    Post p = { 0 };
    return p.hidden != NULL;
#elif CASE == 24 /* owner */
    /* a relation whose key is @ignore'd is gone... */
    Legacy l = { 0 };
    return l.owner != NULL;
#elif CASE == 25 /* legacies */
    /* ...on both sides */
    Member m = { 0 };
    return m.legacies != NULL;
#elif CASE == 22 /* hidden_find_many */
    /* an @@ignore model has no functions */
    return hidden_find_many(db, NULL, NULL);
#elif CASE == 23 /* Hidden */
    Hidden h;
    (void)h;
    return db != NULL;
#else
#error "no such case"
#endif
}
