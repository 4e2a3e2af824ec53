/* writes/top_level_mutations/delete_many_relations.rs and
 * delete_mutation_relations.rs (prisma-engines query-engine/
 * connector-test-kit-rs/query-engine-tests/tests/): deleting a parent, with or
 * without children, in every shape of relation; each must succeed (the
 * children that would require the parent are never created).
 *
 * Prisma's relation_link_test runs each test over the test kit's generated
 * datamodels for the shape (id types, compound ids, which side holds the
 * foreign key); here each shape is one pair of models with Int ids
 * (Rl<parent side><child side> in the schema), so each test runs one of those
 * datamodels. Beyond Prisma's assertion (the count, or the deleted row's p),
 * each test checks that the parent row is gone and the children are left. */
#include "engine_tests.h"

/* deleteManyParent(where: { p: "p1" }) { count } returns 1. */
#define DELETE_MANY_P1(fn, Model)                                                                   \
    do {                                                                                            \
        int64_t count_ = -1;                                                                        \
        OK(fn##_delete_many(db, &(Model##WhereInput){ .p = { .equals = "p1" } }, &count_));        \
        ck_assert_int_eq(count_, 1);                                                                \
        ck_assert_int_eq(rows(#Model), 0);                                                          \
    } while (0)

/* deleteOneParent(where: { p: "p1" }) { p } returns { p: "p1" }. */
#define DELETE_ONE_P1(fn, Model)                                                                    \
    do {                                                                                            \
        Model *deleted_ = NULL;                                                                     \
        OK(fn##_delete(db, &(Model##WhereUniqueInput){ .p = "p1" }, &deleted_));                   \
        ck_assert_ptr_nonnull(deleted_);                                                            \
        ck_assert_str_eq(deleted_->p, "p1");                                                        \
        prisma_free(deleted_);                                                                      \
        ck_assert_int_eq(rows(#Model), 0);                                                          \
    } while (0)

/* ---- the parents each test creates (createOneParent) ---- */

/* ToOneOpt / ToOneOpt: p1, with child c1 or none. */
static void oo_parent(bool child)
{
    OK(rl_oo_parent_create(db, &(RlOoParentCreateInput){
        .p = "p1", .p_1 = "p_1", .p_2 = "p_2",
        .childOpt = { .create = child ? &(RlOoChildCreateInput){ .c = "c1", .c_1 = "c_1", .c_2 = "c_2" } : NULL } },
        NULL));
    ck_assert_int_eq(rows("RlOoChild"), child ? 1 : 0);
}

/* ToMany / ToOneReq: p1 without children. */
static void mr_parent(void)
{
    OK(rl_mr_parent_create(db, &(RlMrParentCreateInput){ .p = "p1", .p_1 = "p_1", .p_2 = "p_2" }, NULL));
}

/* ToOneOpt / ToOneReq: p1 without a child. */
static void or_parent(void)
{
    OK(rl_or_parent_create(db, &(RlOrParentCreateInput){ .p = "p1", .p_1 = "p_1", .p_2 = "p_2" }, NULL));
}

/* ToMany / ToOneOpt: p1 with children c1, c2, or none. */
static void mo_parent(bool children)
{
    static const RlMoChildCreateInput two[] = { { .c = "c1", .c_1 = "c_1", .c_2 = "c_2" },
                                                { .c = "c2", .c_1 = "c2_1", .c_2 = "p2_2" } };
    OK(rl_mo_parent_create(db, &(RlMoParentCreateInput){
        .p = "p1", .p_1 = "p_1", .p_2 = "p_2",
        .childrenOpt = { .create = children ? two : NULL, .create_len = children ? 2 : 0 } }, NULL));
    ck_assert_int_eq(rows("RlMoChild"), children ? 2 : 0);
}

/* ToOneReq / ToMany: p1 with its required child c1. */
static void rm_parent(void)
{
    OK(rl_rm_parent_create(db, &(RlRmParentCreateInput){
        .p = "p1", .p_1 = "p_1", .p_2 = "p_2",
        .childReq = { .create = &(RlRmChildCreateInput){ .c = "c1", .c_1 = "c_1", .c_2 = "c_2" } } }, NULL));
    ck_assert_int_eq(rows("RlRmChild"), 1);
}

/* ToOneOpt / ToMany: p1 with child c1 or none. */
static void om_parent(bool child)
{
    OK(rl_om_parent_create(db, &(RlOmParentCreateInput){
        .p = "p1", .p_1 = "p_1", .p_2 = "p_2",
        .childOpt = { .create = child ? &(RlOmChildCreateInput){ .c = "c1", .c_1 = "c_1", .c_2 = "c_2" } : NULL } },
        NULL));
    ck_assert_int_eq(rows("RlOmChild"), child ? 1 : 0);
}

/* ToMany / ToMany: p1 with children c1, c2, or none. */
static void mm_parent(bool children)
{
    static const RlMmChildCreateInput two[] = { { .c = "c1", .c_1 = "c_1", .c_2 = "c_2" },
                                                { .c = "c2", .c_1 = "c2_1", .c_2 = "c2_2" } };
    OK(rl_mm_parent_create(db, &(RlMmParentCreateInput){
        .p = "p1", .p_1 = "p_1", .p_2 = "p_2",
        .childrenOpt = { .create = children ? two : NULL, .create_len = children ? 2 : 0 } }, NULL));
    ck_assert_int_eq(rows("_RlMmChildToRlMmParent"), children ? 2 : 0);
}

/* ---- delete_many_relations.rs ---- */

/* delete_many_relations.rs::p1_c1 */
START_TEST(dmr_p1_c1)
{
    oo_parent(true);
    DELETE_MANY_P1(rl_oo_parent, RlOoParent);
    ck_assert_int_eq(rows("RlOoChild"), 1);
}
END_TEST

/* delete_many_relations.rs::p1_c1_no_children */
START_TEST(dmr_p1_c1_no_children)
{
    oo_parent(false);
    DELETE_MANY_P1(rl_oo_parent, RlOoParent);
}
END_TEST

/* delete_many_relations.rs::pm_c1_req_no_children */
START_TEST(dmr_pm_c1_req_no_children)
{
    mr_parent();
    DELETE_MANY_P1(rl_mr_parent, RlMrParent);
}
END_TEST

/* delete_many_relations.rs::p1_c1_req_no_children */
START_TEST(dmr_p1_c1_req_no_children)
{
    or_parent();
    DELETE_MANY_P1(rl_or_parent, RlOrParent);
}
END_TEST

/* delete_many_relations.rs::pm_c1 */
START_TEST(dmr_pm_c1)
{
    mo_parent(true);
    DELETE_MANY_P1(rl_mo_parent, RlMoParent);
    ck_assert_int_eq(rows("RlMoChild"), 2);
}
END_TEST

/* delete_many_relations.rs::pm_c1_no_children */
START_TEST(dmr_pm_c1_no_children)
{
    mo_parent(false);
    DELETE_MANY_P1(rl_mo_parent, RlMoParent);
}
END_TEST

/* delete_many_relations.rs::p1_req_cm_no_children (it creates the required child) */
START_TEST(dmr_p1_req_cm_no_children)
{
    rm_parent();
    DELETE_MANY_P1(rl_rm_parent, RlRmParent);
    ck_assert_int_eq(rows("RlRmChild"), 1);
}
END_TEST

/* delete_many_relations.rs::p1_cm */
START_TEST(dmr_p1_cm)
{
    om_parent(true);
    DELETE_MANY_P1(rl_om_parent, RlOmParent);
    ck_assert_int_eq(rows("RlOmChild"), 1);
}
END_TEST

/* delete_many_relations.rs::p1_cm_no_children */
START_TEST(dmr_p1_cm_no_children)
{
    om_parent(false);
    DELETE_MANY_P1(rl_om_parent, RlOmParent);
}
END_TEST

/* delete_many_relations.rs::pm_cm */
START_TEST(dmr_pm_cm)
{
    mm_parent(true);
    DELETE_MANY_P1(rl_mm_parent, RlMmParent);
    ck_assert_int_eq(rows("RlMmChild"), 2);
    ck_assert_int_eq(rows("_RlMmChildToRlMmParent"), 0);
}
END_TEST

/* delete_many_relations.rs::pm_cm_no_children */
START_TEST(dmr_pm_cm_no_children)
{
    mm_parent(false);
    DELETE_MANY_P1(rl_mm_parent, RlMmParent);
}
END_TEST

/* createOneParent(data: { id: 1, p: "p1", childrenOpt: { create: [{id: 1, c: "c1"},{id: 2, c: "c2"}] },
 * stepChildOpt: { create: {id: 1, s: "s1"} } }), the foreign key of the step child on the parent. */
static void ro_parent(void)
{
    const RoChildCreateInput two[] = { { .id = PRISMA_INT(1), .c = "c1" }, { .id = PRISMA_INT(2), .c = "c2" } };
    OK(ro_parent_create(db, &(RoParentCreateInput){
        .id = PRISMA_INT(1), .p = "p1", .childrenOpt = { .create = two, .create_len = 2 },
        .stepChildOpt = { .create = &(RoStepChildCreateInput){ .id = PRISMA_INT(1), .s = "s1" } } }, NULL));
    ck_assert_int_eq(rows("_RoChildToRoParent"), 2);
    ck_assert_int_eq(rows("RoStepChild"), 1);
}

/* The same, the foreign key on the step child. */
static void rs_parent(void)
{
    const RsChildCreateInput two[] = { { .id = PRISMA_INT(1), .c = "c1" }, { .id = PRISMA_INT(2), .c = "c2" } };
    OK(rs_parent_create(db, &(RsParentCreateInput){
        .id = PRISMA_INT(1), .p = "p1", .childrenOpt = { .create = two, .create_len = 2 },
        .stepChildOpt = { .create = &(RsStepChildCreateInput){ .id = PRISMA_INT(1), .s = "s1" } } }, NULL));
    ck_assert_int_eq(rows("_RsChildToRsParent"), 2);
    ck_assert_int_eq(rows("RsStepChild"), 1);
}

/* delete_many_relations.rs::pm_cm_other_relations */
START_TEST(dmr_pm_cm_other_relations)
{
    ro_parent();
    DELETE_MANY_P1(ro_parent, RoParent);
    ck_assert_int_eq(rows("_RoChildToRoParent"), 0);
    ck_assert_int_eq(rows("RoChild"), 2);
    ck_assert_int_eq(rows("RoStepChild"), 1);
}
END_TEST

/* ---- delete_mutation_relations.rs ---- */

/* delete_mutation_relations.rs::p1_c1 */
START_TEST(dmu_p1_c1)
{
    oo_parent(true);
    DELETE_ONE_P1(rl_oo_parent, RlOoParent);
    ck_assert_int_eq(rows("RlOoChild"), 1);
}
END_TEST

/* delete_mutation_relations.rs::p1_c1_no_children */
START_TEST(dmu_p1_c1_no_children)
{
    oo_parent(false);
    DELETE_ONE_P1(rl_oo_parent, RlOoParent);
}
END_TEST

/* delete_mutation_relations.rs::pm_c1_req_no_children */
START_TEST(dmu_pm_c1_req_no_children)
{
    mr_parent();
    DELETE_ONE_P1(rl_mr_parent, RlMrParent);
}
END_TEST

/* delete_mutation_relations.rs::p1_c1_req_no_children */
START_TEST(dmu_p1_c1_req_no_children)
{
    or_parent();
    DELETE_ONE_P1(rl_or_parent, RlOrParent);
}
END_TEST

/* delete_mutation_relations.rs::pm_c1 */
START_TEST(dmu_pm_c1)
{
    mo_parent(true);
    DELETE_ONE_P1(rl_mo_parent, RlMoParent);
    ck_assert_int_eq(rows("RlMoChild"), 2);
}
END_TEST

/* delete_mutation_relations.rs::pm_c1_no_children */
START_TEST(dmu_pm_c1_no_children)
{
    mo_parent(false);
    DELETE_ONE_P1(rl_mo_parent, RlMoParent);
}
END_TEST

/* delete_mutation_relations.rs::p1_req_cm */
START_TEST(dmu_p1_req_cm)
{
    rm_parent();
    DELETE_ONE_P1(rl_rm_parent, RlRmParent);
    ck_assert_int_eq(rows("RlRmChild"), 1);
}
END_TEST

/* delete_mutation_relations.rs::p1_cm */
START_TEST(dmu_p1_cm)
{
    om_parent(true);
    DELETE_ONE_P1(rl_om_parent, RlOmParent);
    ck_assert_int_eq(rows("RlOmChild"), 1);
}
END_TEST

/* delete_mutation_relations.rs::p1_cm_no_children */
START_TEST(dmu_p1_cm_no_children)
{
    om_parent(false);
    DELETE_ONE_P1(rl_om_parent, RlOmParent);
}
END_TEST

/* delete_mutation_relations.rs::pm_cm */
START_TEST(dmu_pm_cm)
{
    mm_parent(true);
    DELETE_ONE_P1(rl_mm_parent, RlMmParent);
    ck_assert_int_eq(rows("RlMmChild"), 2);
    ck_assert_int_eq(rows("_RlMmChildToRlMmParent"), 0);
}
END_TEST

/* delete_mutation_relations.rs::pm_cm_no_children */
START_TEST(dmu_pm_cm_no_children)
{
    mm_parent(false);
    DELETE_ONE_P1(rl_mm_parent, RlMmParent);
}
END_TEST

/* delete_mutation_relations.rs::pm_cm_other_relations_1 (the foreign key on the step child) */
START_TEST(dmu_pm_cm_other_relations_1)
{
    rs_parent();
    DELETE_ONE_P1(rs_parent, RsParent);
    ck_assert_int_eq(rows("_RsChildToRsParent"), 0);
    ck_assert_int_eq(rows("RsChild"), 2);
    ck_assert_int_eq(rows("RsStepChild"), 1);
}
END_TEST

/* delete_mutation_relations.rs::pm_cm_other_relations_2 (the foreign key on the parent) */
START_TEST(dmu_pm_cm_other_relations_2)
{
    ro_parent();
    DELETE_ONE_P1(ro_parent, RoParent);
    ck_assert_int_eq(rows("_RoChildToRoParent"), 0);
    ck_assert_int_eq(rows("RoChild"), 2);
    ck_assert_int_eq(rows("RoStepChild"), 1);
}
END_TEST

void delete_relations_tests(TCase *tc)
{
    tcase_add_test(tc, dmr_p1_c1);
    tcase_add_test(tc, dmr_p1_c1_no_children);
    tcase_add_test(tc, dmr_pm_c1_req_no_children);
    tcase_add_test(tc, dmr_p1_c1_req_no_children);
    tcase_add_test(tc, dmr_pm_c1);
    tcase_add_test(tc, dmr_pm_c1_no_children);
    tcase_add_test(tc, dmr_p1_req_cm_no_children);
    tcase_add_test(tc, dmr_p1_cm);
    tcase_add_test(tc, dmr_p1_cm_no_children);
    tcase_add_test(tc, dmr_pm_cm);
    tcase_add_test(tc, dmr_pm_cm_no_children);
    tcase_add_test(tc, dmr_pm_cm_other_relations);
    tcase_add_test(tc, dmu_p1_c1);
    tcase_add_test(tc, dmu_p1_c1_no_children);
    tcase_add_test(tc, dmu_pm_c1_req_no_children);
    tcase_add_test(tc, dmu_p1_c1_req_no_children);
    tcase_add_test(tc, dmu_pm_c1);
    tcase_add_test(tc, dmu_pm_c1_no_children);
    tcase_add_test(tc, dmu_p1_req_cm);
    tcase_add_test(tc, dmu_p1_cm);
    tcase_add_test(tc, dmu_p1_cm_no_children);
    tcase_add_test(tc, dmu_pm_cm);
    tcase_add_test(tc, dmu_pm_cm_no_children);
    tcase_add_test(tc, dmu_pm_cm_other_relations_1);
    tcase_add_test(tc, dmu_pm_cm_other_relations_2);
}
