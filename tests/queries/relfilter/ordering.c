/* Ordering by a related record's fields, by a relation's _count, and nulls
 * first / last, with cursors (issue 13, item 4). Ported from prisma-engines
 * query-engine-tests, queries/order_and_pagination/order_by_dependent.rs,
 * order_by_nulls.rs and relation_filter_ordering.rs; the _count cases and the cursor / statement-count cases
 * are our own. */
#include "relfilter.h"

/* ---- order_by_dependent.rs ---- */

/* order_by_dependent.rs::create_row: A a_id -> B b_id -> C c_id -> A c_to_a. */
static void od_row(int a, int b, int c, int c_to_a)
{
    if (c)
        OK(od_c_create(db, &(OdCCreateInput){ .id = PRISMA_INT(c) }, NULL));
    if (b)
        OK(od_b_create(db, &(OdBCreateInput){ .id = PRISMA_INT(b), .cId = c ? PRISMA_INT(c) : (prisma_int){ 0 } }, NULL));
    OK(od_a_create(db, &(OdACreateInput){ .id = PRISMA_INT(a), .bId = b ? PRISMA_INT(b) : (prisma_int){ 0 } }, NULL));
    if (c_to_a) {
        if (c_to_a != a)
            OK(od_a_create(db, &(OdACreateInput){ .id = PRISMA_INT(c_to_a) }, NULL));
        OK(od_c_update(db, &(OdCWhereUniqueInput){ .id = PRISMA_INT(c) }, &(OdCUpdateInput){ .aId = { .set = PRISMA_INT(c_to_a) } },
                       NULL));
    }
}

static const char *od_ids(const OdAOrderByInput *ob, size_t n)
{
    OdAList *l = NULL;
    OK(od_a_find_many(db, &(OdAFindManyArgs){ .order_by = ob, .order_by_len = n }, &l));
    const char *s = IDS(l, OdA);
    od_a_list_free(l);
    return s;
}

#define B_BY(...) (&(OdAOrderByInput){ .b = &(OdBOrderByInput){ __VA_ARGS__ } })

/* order_by_dependent.rs::hop_1_related_record_asc, hop_1_related_record_desc */
START_TEST(order_by_dependent_hop_1)
{
    od_row(1, 2, 3, 0);
    od_row(4, 5, 6, 0);
    ck_assert_str_eq(od_ids(B_BY(.id = PRISMA_ASC), 1), "1,4");
    ck_assert_str_eq(od_ids(B_BY(.id = PRISMA_DESC), 1), "4,1");
}
END_TEST

/* order_by_dependent.rs::hop_1_related_record_asc_nulls (nulls where the database puts them) */
START_TEST(order_by_dependent_hop_1_related_record_asc_nulls)
{
    od_row(1, 1, 1, 0);
    od_row(2, 2, 0, 0);
    od_row(3, 0, 0, 0);
    const char *got = od_ids(B_BY(.id = PRISMA_ASC), 1);
    ck_assert_msg(strcmp(got, "3,1,2") == 0 || strcmp(got, "1,2,3") == 0, "got %s", got);
    /* Our own: with nulls said, the same on every database. */
    ck_assert_str_eq(od_ids(&(OdAOrderByInput){ .bId = PRISMA_ASC_NULLS_LAST }, 1), "1,2,3");
}
END_TEST

/* order_by_dependent.rs::hop_2_related_record_asc, hop_2_related_record_desc,
 * simple_order_by_rel, hop_2_simple_order_by_rel */
START_TEST(order_by_dependent_hop_2)
{
    od_row(1, 2, 3, 0);
    od_row(4, 5, 6, 0);
    ck_assert_str_eq(od_ids(B_BY(.c = &(OdCOrderByInput){ .id = PRISMA_ASC }), 1), "1,4");
    ck_assert_str_eq(od_ids(B_BY(.c = &(OdCOrderByInput){ .id = PRISMA_DESC }), 1), "4,1");
    ck_assert_str_eq(od_ids(B_BY(.id = PRISMA_ASC), 1), "1,4");
}
END_TEST

/* order_by_dependent.rs::hop_2_related_record_asc_null */
START_TEST(order_by_dependent_hop_2_related_record_asc_null)
{
    od_row(1, 1, 1, 0);
    od_row(2, 2, 0, 0);
    od_row(3, 0, 0, 0);
    const char *got = od_ids(B_BY(.c = &(OdCOrderByInput){ .id = PRISMA_ASC }), 1);
    ck_assert_msg(strcmp(got, "2,3,1") == 0 || strcmp(got, "3,2,1") == 0 || strcmp(got, "1,2,3") == 0 ||
                      strcmp(got, "1,3,2") == 0,
                  "got %s", got);
}
END_TEST

/* order_by_dependent.rs::circular_related_record_asc, circular_related_record_desc */
START_TEST(order_by_dependent_circular)
{
    od_row(1, 1, 1, 1);
    od_row(2, 2, 2, 2);
    const OdAOrderByInput asc = { .b = &(OdBOrderByInput){ .c = &(OdCOrderByInput){ .a = &(OdAOrderByInput){ .id = PRISMA_ASC } } } };
    const OdAOrderByInput desc = { .b = &(OdBOrderByInput){ .c = &(OdCOrderByInput){ .a = &(OdAOrderByInput){ .id = PRISMA_DESC } } } };
    ck_assert_str_eq(od_ids(&asc, 1), "1,2");
    ck_assert_str_eq(od_ids(&desc, 1), "2,1");
}
END_TEST

/* order_by_dependent.rs::circular_diff_related_record_asc, circular_diff_related_record_desc */
START_TEST(order_by_dependent_circular_diff)
{
    od_row(1, 1, 1, 3);
    od_row(2, 2, 2, 4);
    const OdAOrderByInput asc = { .b = &(OdBOrderByInput){ .c = &(OdCOrderByInput){ .a = &(OdAOrderByInput){ .id = PRISMA_ASC } } } };
    const OdAOrderByInput desc = { .b = &(OdBOrderByInput){ .c = &(OdCOrderByInput){ .a = &(OdAOrderByInput){ .id = PRISMA_DESC } } } };
    /* the ties (3 and 4 have no b) broken by the id, as a page would */
    OdAList *l = NULL;
    OK(od_a_find_many(db, &(OdAFindManyArgs){ .order_by = &asc, .order_by_len = 1, .take = PRISMA_TAKE(10) }, &l));
    const char *got = IDS(l, OdA);
    ck_assert_msg(strcmp(got, "3,4,1,2") == 0 || strcmp(got, "1,2,3,4") == 0, "got %s", got);
    od_a_list_free(l);
    OK(od_a_find_many(db, &(OdAFindManyArgs){ .order_by = &desc, .order_by_len = 1, .take = PRISMA_TAKE(10) }, &l));
    got = IDS(l, OdA);
    ck_assert_msg(strcmp(got, "2,1,3,4") == 0 || strcmp(got, "3,4,2,1") == 0, "got %s", got);
    od_a_list_free(l);
}
END_TEST

/* order_by_dependent.rs::multiple_rel_same_model_order_by */
START_TEST(order_by_dependent_multiple_rel_same_model_order_by)
{
    static const int b_ids[] = { 1, 10, 5, 2, 7 };
    for (int i = 0; i < 5; i++)
        OK(ms_b_create(db, &(MsBCreateInput){ .id = PRISMA_INT(b_ids[i]) }, NULL));
    OK(ms_a_create(db, &(MsACreateInput){ .id = PRISMA_INT(1), .b1Id = PRISMA_INT(1), .b2Id = PRISMA_INT(10) }, NULL));
    OK(ms_a_create(db, &(MsACreateInput){ .id = PRISMA_INT(2), .b1Id = PRISMA_INT(1), .b2Id = PRISMA_INT(5) }, NULL));
    OK(ms_a_create(db, &(MsACreateInput){ .id = PRISMA_INT(3), .b1Id = PRISMA_INT(2), .b2Id = PRISMA_INT(7) }, NULL));
    MsAList *l = NULL;
    OK(ms_a_find_many(db, &(MsAFindManyArgs){
        .order_by = (MsAOrderByInput[]){ { .b1 = &(MsBOrderByInput){ .id = PRISMA_ASC } },
                                         { .b2 = &(MsBOrderByInput){ .id = PRISMA_DESC } } },
        .order_by_len = 2 }, &l));
    ck_assert_str_eq(IDS(l, MsA), "1,2,3");
    ms_a_list_free(l);
}
END_TEST

/* ---- relation_filter_ordering.rs ---- */

/* relation_filter_ordering.rs::rel_filters */
START_TEST(relation_filter_ordering_rel_filters)
{
    OK(rfo_label_create(db, &(RfoLabelCreateInput){ .id = PRISMA_INT(1), .text = "x" }, NULL));
    for (int i = 1; i <= 3; i++)
        OK(rfo_blog_create(db, &(RfoBlogCreateInput){ .id = PRISMA_INT(i), .title = "blog_1", .score = PRISMA_INT(10 * i),
                                                      .labels = { .connect = &(RfoLabelWhereUniqueInput){ .text = "x" },
                                                                  .connect_len = 1 } }, NULL));
    RfoBlogList *l = NULL;
    OK(rfo_blog_find_many(db, &(RfoBlogFindManyArgs){ .take = PRISMA_TAKE(2),
                                                      .order_by = &(RfoBlogOrderByInput){ .score = PRISMA_DESC },
                                                      .order_by_len = 1 }, &l));
    ck_assert_str_eq(IDS(l, RfoBlog), "3,2");
    rfo_blog_list_free(l);
    OK(rfo_blog_find_many(db, &(RfoBlogFindManyArgs){
        .take = PRISMA_TAKE(2), .order_by = &(RfoBlogOrderByInput){ .score = PRISMA_DESC }, .order_by_len = 1,
        .where = &(RfoBlogWhereInput){ .labels = { .some = &(RfoLabelWhereInput){ .text = { .equals = "x" } } } } }, &l));
    ck_assert_str_eq(IDS(l, RfoBlog), "3,2");
    ck_assert_int_eq(l->items[0].score, 30);
    ck_assert_int_eq(l->items[1].score, 20);
    rfo_blog_list_free(l);
}
END_TEST

/* ---- order_by_nulls.rs ---- */

static void nl_data(void)
{
    OK(nl_model_create(db, &(NlModelCreateInput){ .id = PRISMA_INT(1), .uniq = PRISMA_INT(1), .name = "A", .age = PRISMA_INT(1) }, NULL));
    OK(nl_model_create(db, &(NlModelCreateInput){ .id = PRISMA_INT(2), .uniq = PRISMA_INT(2), .name = "B" }, NULL));
    OK(nl_model_create(db, &(NlModelCreateInput){ .id = PRISMA_INT(3), .uniq = PRISMA_INT(3), .age = PRISMA_INT(2) }, NULL));
    OK(nl_model_create(db, &(NlModelCreateInput){ .id = PRISMA_INT(4), .uniq = PRISMA_INT(4) }, NULL));
}

static const char *nl(const NlModelFindManyArgs *args)
{
    NlModelList *l = NULL;
    OK(nl_model_find_many(db, args, &l));
    const char *s = IDS(l, NlModel);
    nl_model_list_free(l);
    return s;
}

#define NL_ORDER(...) .order_by = (NlModelOrderByInput[]){ __VA_ARGS__ }, \
                      .order_by_len = sizeof((NlModelOrderByInput[]){ __VA_ARGS__ }) / sizeof(NlModelOrderByInput)

/* order_by_nulls.rs::simple_nulls_first */
START_TEST(order_by_nulls_simple_nulls_first)
{
    nl_data();
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_ASC_NULLS_FIRST }) }), "3,4,1,2");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_DESC_NULLS_FIRST }) }), "3,4,2,1");
}
END_TEST

/* order_by_nulls.rs::simple_nulls_last */
START_TEST(order_by_nulls_simple_nulls_last)
{
    nl_data();
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_ASC_NULLS_LAST }) }), "1,2,3,4");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_DESC_NULLS_LAST }) }), "2,1,3,4");
}
END_TEST

/* order_by_nulls.rs::two_fields_nulls_last (rows named by id: A/1 = 1, B/null = 2, null/2 = 3, null/null = 4) */
START_TEST(order_by_nulls_two_fields_nulls_last)
{
    nl_data();
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_ASC_NULLS_LAST }, { .age = PRISMA_ASC_NULLS_LAST }) }),
                     "1,2,3,4");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_DESC_NULLS_LAST }, { .age = PRISMA_ASC_NULLS_LAST }) }),
                     "2,1,3,4");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_DESC_NULLS_LAST }, { .age = PRISMA_DESC_NULLS_LAST }) }),
                     "2,1,3,4");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_ASC_NULLS_LAST }, { .age = PRISMA_DESC_NULLS_LAST }) }),
                     "1,2,3,4");
}
END_TEST

/* order_by_nulls.rs::two_fields_nulls_first */
START_TEST(order_by_nulls_two_fields_nulls_first)
{
    nl_data();
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_ASC_NULLS_FIRST }, { .age = PRISMA_ASC_NULLS_FIRST }) }),
                     "4,3,1,2");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_DESC_NULLS_FIRST }, { .age = PRISMA_ASC_NULLS_FIRST }) }),
                     "4,3,2,1");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_DESC_NULLS_FIRST }, { .age = PRISMA_DESC_NULLS_FIRST }) }),
                     "4,3,2,1");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .name = PRISMA_ASC_NULLS_FIRST }, { .age = PRISMA_DESC_NULLS_FIRST }) }),
                     "4,3,1,2");
}
END_TEST

#define UNIQ(n) (&(NlModelWhereUniqueInput){ .uniq = PRISMA_INT(n) })

/* order_by_nulls.rs::nulls_first_cursor */
START_TEST(order_by_nulls_nulls_first_cursor)
{
    nl_data();
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(1), NL_ORDER({ .name = PRISMA_ASC_NULLS_FIRST }) }), "1,2");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(1), .take = PRISMA_TAKE(3), .skip = 1,
                                                NL_ORDER({ .name = PRISMA_ASC_NULLS_FIRST }) }),
                     "2");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(1), .take = PRISMA_TAKE(-2),
                                                NL_ORDER({ .name = PRISMA_ASC_NULLS_FIRST }, { .id = PRISMA_ASC }) }),
                     "4,1");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(1), .take = PRISMA_TAKE(-2), .skip = 1,
                                                NL_ORDER({ .name = PRISMA_ASC_NULLS_FIRST }, { .id = PRISMA_ASC }) }),
                     "3,4");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(3),
                                                NL_ORDER({ .name = PRISMA_DESC_NULLS_FIRST }, { .id = PRISMA_DESC }) }),
                     "3,2,1");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(3), .take = PRISMA_TAKE(-2),
                                                NL_ORDER({ .name = PRISMA_DESC_NULLS_FIRST }, { .id = PRISMA_DESC }) }),
                     "4,3");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(3), .take = PRISMA_TAKE(-2), .skip = 1,
                                                NL_ORDER({ .name = PRISMA_DESC_NULLS_FIRST }, { .id = PRISMA_DESC }) }),
                     "4");
}
END_TEST

/* order_by_nulls.rs::nulls_last_cursor */
START_TEST(order_by_nulls_nulls_last_cursor)
{
    nl_data();
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(2), NL_ORDER({ .name = PRISMA_ASC_NULLS_LAST }) }), "2,3,4");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(2), .take = PRISMA_TAKE(3), .skip = 1,
                                                NL_ORDER({ .name = PRISMA_ASC_NULLS_LAST }) }),
                     "3,4");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(2), .take = PRISMA_TAKE(-2),
                                                NL_ORDER({ .name = PRISMA_ASC_NULLS_LAST }, { .id = PRISMA_ASC }) }),
                     "1,2");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(2), .take = PRISMA_TAKE(-2), .skip = 1,
                                                NL_ORDER({ .name = PRISMA_ASC_NULLS_LAST }, { .id = PRISMA_ASC }) }),
                     "1");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(1),
                                                NL_ORDER({ .name = PRISMA_DESC_NULLS_LAST }, { .id = PRISMA_DESC }) }),
                     "1,4,3");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(1), .take = PRISMA_TAKE(-2),
                                                NL_ORDER({ .name = PRISMA_DESC_NULLS_LAST }, { .id = PRISMA_DESC }) }),
                     "2,1");
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ .cursor = UNIQ(1), .take = PRISMA_TAKE(-2), .skip = 1,
                                                NL_ORDER({ .name = PRISMA_DESC_NULLS_LAST }, { .id = PRISMA_DESC }) }),
                     "2");
}
END_TEST

/* order_by_nulls.rs::nulls_on_required_field_should_fail (and ours: _count, a bad value) */
START_TEST(order_by_nulls_nulls_on_required_field_should_fail)
{
    NlModelList *nl_out = NULL;
    OaUserList *oa_out = NULL;
    OdAList *od_out = NULL;
    trace_start();
    FAILS(nl_model_find_many(db, &(NlModelFindManyArgs){ NL_ORDER({ .id = PRISMA_ASC_NULLS_FIRST }) }, &nl_out), "P2009",
          "Invalid argument type");
    FAILS(oa_user_find_many(db, &(OaUserFindManyArgs){ .order_by = &(OaUserOrderByInput){ .posts = { ._count = PRISMA_DESC_NULLS_LAST } },
                                                       .order_by_len = 1 }, &oa_out),
          "P2009", "Invalid argument type");
    FAILS(nl_model_find_many(db, &(NlModelFindManyArgs){ NL_ORDER({ .age = (prisma_sort)42 }) }, &nl_out), "P2009", "SortOrder");
    /* through a relation: the related field must be optional too */
    FAILS(od_a_find_many(db, &(OdAFindManyArgs){ .order_by = B_BY(.id = PRISMA_ASC_NULLS_LAST), .order_by_len = 1 }, &od_out),
          "P2009", "Invalid argument type");
    ck_assert_int_eq(trace_stop(), 0);
    ck_assert_ptr_null(nl_out);
    ck_assert_ptr_null(oa_out);
    ck_assert_ptr_null(od_out);
}
END_TEST

/* order_by_nulls.rs::ordering_by_nulls_should_be_optional */
START_TEST(order_by_nulls_ordering_by_nulls_should_be_optional)
{
    nl_data();
    ck_assert_str_eq(nl(&(NlModelFindManyArgs){ NL_ORDER({ .id = PRISMA_ASC }, { .name = PRISMA_ASC }) }), "1,2,3,4");
}
END_TEST

/* ---- relation _count (our own, after order_by_aggregation.rs) ---- */

/* users 1..4 with 2, 0, 3, 1 posts; categories: user 1 in 1, user 2 in 2, user 3 in none, user 4 in 3 */
static void oa_data(void)
{
    static const int posts[] = { 2, 0, 3, 1 };
    static const int cats[] = { 1, 2, 0, 3 };
    int pid = 1;
    for (int c = 1; c <= 3; c++)
        OK(oa_category_create(db, &(OaCategoryCreateInput){ .id = PRISMA_INT(c), .name = "c" }, NULL));
    for (int u = 0; u < 4; u++) {
        OaCategoryWhereUniqueInput links[3];
        for (int c = 0; c < cats[u]; c++)
            links[c] = (OaCategoryWhereUniqueInput){ .id = PRISMA_INT(c + 1) };
        OK(oa_user_create(db, &(OaUserCreateInput){ .id = PRISMA_INT(u + 1), .name = u % 2 ? "odd" : "even",
                                                    .categories = { .connect = links, .connect_len = (size_t)cats[u] } },
                          NULL));
        for (int p = 0; p < posts[u]; p++, pid++)
            OK(oa_post_create(db, &(OaPostCreateInput){ .id = PRISMA_INT(pid), .title = "t", .authorId = PRISMA_INT(u + 1) },
                              NULL));
    }
}

static const char *oa(const OaUserFindManyArgs *args)
{
    OaUserList *l = NULL;
    OK(oa_user_find_many(db, args, &l));
    const char *s = IDS(l, OaUser);
    oa_user_list_free(l);
    return s;
}

#define OA_ORDER(...) .order_by = (OaUserOrderByInput[]){ __VA_ARGS__ }, \
                      .order_by_len = sizeof((OaUserOrderByInput[]){ __VA_ARGS__ }) / sizeof(OaUserOrderByInput)

START_TEST(order_by_relation_count)
{
    oa_data();
    ck_assert_str_eq(oa(&(OaUserFindManyArgs){ OA_ORDER({ .posts = { ._count = PRISMA_ASC } }) }), "2,4,1,3");
    ck_assert_str_eq(oa(&(OaUserFindManyArgs){ OA_ORDER({ .posts = { ._count = PRISMA_DESC } }) }), "3,1,4,2");
    /* m-n: through the join table */
    ck_assert_str_eq(oa(&(OaUserFindManyArgs){ OA_ORDER({ .categories = { ._count = PRISMA_DESC } }) }), "4,2,1,3");
    /* with a field first, a count breaking its ties */
    ck_assert_str_eq(oa(&(OaUserFindManyArgs){ OA_ORDER({ .name = PRISMA_ASC }, { .posts = { ._count = PRISMA_DESC } }) }),
                     "3,1,4,2");
    /* a page: take, skip, a negative take, a cursor */
    ck_assert_str_eq(oa(&(OaUserFindManyArgs){ OA_ORDER({ .posts = { ._count = PRISMA_DESC } }), .take = PRISMA_TAKE(2),
                                               .skip = 1 }),
                     "1,4");
    ck_assert_str_eq(oa(&(OaUserFindManyArgs){ OA_ORDER({ .posts = { ._count = PRISMA_DESC } }), .take = PRISMA_TAKE(-2) }),
                     "4,2");
    ck_assert_str_eq(oa(&(OaUserFindManyArgs){ OA_ORDER({ .posts = { ._count = PRISMA_DESC } }),
                                               .cursor = &(OaUserWhereUniqueInput){ .id = PRISMA_INT(1) } }),
                     "1,4,2");
    ck_assert_str_eq(oa(&(OaUserFindManyArgs){ OA_ORDER({ .posts = { ._count = PRISMA_DESC } }), .take = PRISMA_TAKE(-2),
                                               .cursor = &(OaUserWhereUniqueInput){ .id = PRISMA_INT(4) } }),
                     "1,4");
    /* through a to-one: posts ordered by their author's number of posts, then id */
    OaPostList *pl = NULL;
    OK(oa_post_find_many(db, &(OaPostFindManyArgs){
        .order_by = (OaPostOrderByInput[]){ { .author = &(OaUserOrderByInput){ .posts = { ._count = PRISMA_ASC } } },
                                            { .id = PRISMA_DESC } },
        .order_by_len = 2 }, &pl));
    ck_assert_str_eq(IDS(pl, OaPost), "6,2,1,5,4,3");
    oa_post_list_free(pl);
}
END_TEST

/* Cursor pagination over a related record's field: pages neither overlap nor
 * skip a row, ties broken by the primary key (our own). */
START_TEST(cursor_with_relation_ordering)
{
    oa_data();
    /* posts by author name (even, odd...) then id; walk pages of 2 with a cursor */
    const OaPostOrderByInput ob[] = { { .author = &(OaUserOrderByInput){ .name = PRISMA_DESC } }, { .id = PRISMA_ASC } };
    OaPostList *all = NULL;
    OK(oa_post_find_many(db, &(OaPostFindManyArgs){ .order_by = ob, .order_by_len = 2 }, &all));
    ck_assert_str_eq(IDS(all, OaPost), "6,1,2,3,4,5");
    char seen[64] = "";
    int cursor = 0;
    for (int page = 0; page < 4; page++) {
        OaPostList *l = NULL;
        OK(oa_post_find_many(db, &(OaPostFindManyArgs){ .order_by = ob, .order_by_len = 2, .take = PRISMA_TAKE(2),
                                                        .skip = cursor ? 1 : 0,
                                                        .cursor = cursor ? &(OaPostWhereUniqueInput){ .id = PRISMA_INT(cursor) }
                                                                         : NULL }, &l));
        for (size_t i = 0; i < l->len; i++) {
            snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s%d", seen[0] ? "," : "", l->items[i].id);
            cursor = l->items[i].id;
        }
        oa_post_list_free(l);
    }
    ck_assert_str_eq(seen, IDS(all, OaPost));
    oa_post_list_free(all);
    /* a cursor that does not exist: nothing */
    ck_assert_int_eq(0, 0);
    OaPostList *none = NULL;
    OK(oa_post_find_many(db, &(OaPostFindManyArgs){ .order_by = ob, .order_by_len = 2,
                                                    .cursor = &(OaPostWhereUniqueInput){ .id = PRISMA_INT(99) } }, &none));
    ck_assert_uint_eq(none->len, 0);
    oa_post_list_free(none);
}
END_TEST

/* Ordering by relations is one statement, with 10 rows or 1,000 (our own). */
START_TEST(order_one_statement_whatever_the_rows)
{
    static const int sizes[] = { 10, 1000 };
    for (int s = 0; s < 2; s++) {
        if (s)
            ck_assert_int_eq(testdb_truncate(url, (const char *const[]){ "OaPost", "_OaCategoryToOaUser", "OaUser" }, 3), 0);
        int n = sizes[s];
        OaUserCreateInput *users = calloc((size_t)n, sizeof *users);
        OaPostCreateInput *posts = calloc((size_t)n, sizeof *posts);
        ck_assert_ptr_nonnull(users);
        ck_assert_ptr_nonnull(posts);
        for (int i = 0; i < n; i++) {
            users[i] = (OaUserCreateInput){ .id = PRISMA_INT(i + 1), .name = i % 2 ? "b" : "a" };
            /* users 1..n/2 get the posts: user k has k - 1 ... spread as i % (n / 2) + 1 */
            posts[i] = (OaPostCreateInput){ .id = PRISMA_INT(i + 1), .title = "t", .authorId = PRISMA_INT(i % 3 + 1) };
        }
        OK(oa_user_create_many(db, users, (size_t)n, false, NULL));
        OK(oa_post_create_many(db, posts, (size_t)n, false, NULL));
        free(users);
        free(posts);
        OaPostList *pl = NULL;
        trace_start();
        OK(oa_post_find_many(db, &(OaPostFindManyArgs){
            .order_by = (OaPostOrderByInput[]){ { .author = &(OaUserOrderByInput){
                                                    .name = PRISMA_DESC, .posts = { ._count = PRISMA_ASC } } },
                                                { .id = PRISMA_DESC } },
            .order_by_len = 2, .take = PRISMA_TAKE(n) }, &pl));
        ck_assert_int_eq(trace_stop(), 1);
        ck_assert_uint_eq(pl->len, (size_t)n);
        /* author 2 ("b") first, then authors 1 and 3 ("a") by their counts, ties by id desc */
        ck_assert_int_eq(pl->items[0].authorId, 2);
        for (size_t i = 1; i < pl->len; i++) {
            int a = pl->items[i - 1].authorId, b = pl->items[i].authorId;
            ck_assert(a == b ? pl->items[i - 1].id > pl->items[i].id : (a == 2 || (a != 2 && b != 2 && a == 3)) || a == 1);
        }
        oa_post_list_free(pl);
        OaUserList *ul = NULL;
        trace_start();
        OK(oa_user_find_many(db, &(OaUserFindManyArgs){ OA_ORDER({ .posts = { ._count = PRISMA_DESC } }),
                                                        .take = PRISMA_TAKE(3) }, &ul));
        ck_assert_int_eq(trace_stop(), 1);
        ck_assert_uint_eq(ul->len, 3);
        ck_assert_int_eq(ul->items[0].id, 1);
        oa_user_list_free(ul);
    }
}
END_TEST

void relfilter_order_tests(TCase *tc)
{
    tcase_add_test(tc, order_by_dependent_hop_1);
    tcase_add_test(tc, order_by_dependent_hop_1_related_record_asc_nulls);
    tcase_add_test(tc, order_by_dependent_hop_2);
    tcase_add_test(tc, order_by_dependent_hop_2_related_record_asc_null);
    tcase_add_test(tc, order_by_dependent_circular);
    tcase_add_test(tc, order_by_dependent_circular_diff);
    tcase_add_test(tc, order_by_dependent_multiple_rel_same_model_order_by);
    tcase_add_test(tc, relation_filter_ordering_rel_filters);
    tcase_add_test(tc, order_by_nulls_simple_nulls_first);
    tcase_add_test(tc, order_by_nulls_simple_nulls_last);
    tcase_add_test(tc, order_by_nulls_two_fields_nulls_last);
    tcase_add_test(tc, order_by_nulls_two_fields_nulls_first);
    tcase_add_test(tc, order_by_nulls_nulls_first_cursor);
    tcase_add_test(tc, order_by_nulls_nulls_last_cursor);
    tcase_add_test(tc, order_by_nulls_nulls_on_required_field_should_fail);
    tcase_add_test(tc, order_by_nulls_ordering_by_nulls_should_be_optional);
    tcase_add_test(tc, order_by_relation_count);
    tcase_add_test(tc, cursor_with_relation_ordering);
    tcase_add_test(tc, order_one_statement_whatever_the_rows);
}
