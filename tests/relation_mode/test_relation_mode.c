/* relationMode = "prisma": the referential actions carried out by the client
 * (issue 12, item 6).
 *
 * Built twice per backend: on tests/schemas/relation_mode.prisma.in
 * (relationMode = "prisma": db push makes no foreign keys, the runtime does
 * what they would) with RELATION_MODE_PRISMA 1, and on its twin
 * relation_mode_fk.prisma.in (the same models, foreign keys in the database)
 * with RELATION_MODE_PRISMA 0. Every assertion runs on both, so the emulated
 * actions are shown to do what the foreign keys do. What differs, as in
 * Prisma: a refused Restrict is P2014 with Prisma's message under
 * relationMode = "prisma" and the database's P2003 with foreign keys; and a
 * key that points nowhere is not checked on create under relationMode =
 * "prisma".
 *
 * The database is read back with raw SQL, so each test checks what was
 * really written. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

#if RELATION_MODE_PRISMA
#define RESTRICT_CODE "P2014"
#else
#define RESTRICT_CODE "P2003"
#endif

static const char *url;
static prisma_client *db;

static const char *const tables[] = { "Parent",     "CascadeKid",  "RestrictKid", "DefaultKid", "SetNullKid",
                                      "OptCascadeKid", "OptRestrictKid", "OptDefaultKid", "CodeKid", "CascadeOne",
                                      "RestrictOne", "SetNullOne", "DefaultOne",  "Tag",        "_ParentToTag",
                                      "GrandKid",   "Leaf",        "Account",     "Entry",      "Node" };
enum { N_TABLES = sizeof tables / sizeof tables[0] };

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, N_TABLES), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

static const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

#define OK(call) ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(db), prisma_error_message(db))

/* `call` is refused as the relation's Restrict refuses it: P2014 with
 * Prisma's message (holder: the model holding the key), or the foreign key's
 * P2003. */
#define REFUSED(call, rel, holder, other)                                                                           \
    do {                                                                                                           \
        int rc_ = (call);                                                                                          \
        ck_assert_msg(rc_ == PRISMA_ERROR, "%s: expected %s, it succeeded", #call, RESTRICT_CODE);                  \
        ck_assert_msg(strcmp(code_of(db), RESTRICT_CODE) == 0, "%s: expected %s, got %s %s", #call, RESTRICT_CODE, \
                      code_of(db), prisma_error_message(db));                                                      \
        if (RELATION_MODE_PRISMA)                                                                                  \
            ck_assert_str_eq(prisma_error_message(db),                                                             \
                             "The change you are trying to make would violate the required relation '" rel         \
                             "' between the `" holder "` and `" other "` models.");                                 \
    } while (0)

/* Every row of `sql` (hand-written SQL, see testdb_sql), its columns joined
 * with ':', the rows with ','; NULL is "NULL". */
static const char *qs(const char *sql)
{
    static char bufs[4][1024];
    static int next;
    char *out = bufs[next++ % 4];
    out[0] = '\0';
    prisma_raw_rows *r = NULL;
    OK(prisma_query_raw(db, testdb_sql("%s", sql), NULL, 0, &r));
    size_t used = 0;
    for (size_t k = 0; k < r->n_rows * r->n_cols; k++) {
        const prisma_raw_value *v = &r->values[k];
        char one[64];
        if (v->type == PRISMA_RAW_NULL)
            snprintf(one, sizeof one, "NULL");
        else if (v->type == PRISMA_RAW_TEXT)
            snprintf(one, sizeof one, "%s", v->s);
        else if (v->type == PRISMA_RAW_FLOAT)
            snprintf(one, sizeof one, "%lld", (long long)v->f);
        else
            snprintf(one, sizeof one, "%lld", (long long)v->i);
        used += (size_t)snprintf(out + used, sizeof bufs[0] - used, "%s%s",
                                 k == 0 ? "" : k % r->n_cols ? ":" : ",", one);
        ck_assert_uint_lt(used, sizeof bufs[0]);
    }
    prisma_free(r);
    return out;
}

/* A table's column for every row, in the order of the ids. */
static const char *col(const char *table, const char *column)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"%s\" ORDER BY \"id\"", column, table);
    return qs(sql);
}

static const char *ids(const char *table)
{
    return col(table, "id");
}

static int64_t rows(const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", table);
    return strtoll(qs(sql), NULL, 10);
}

/* Every table's row count, to show a refused write left nothing behind. */
typedef struct snapshot {
    int64_t n[N_TABLES];
} snapshot;

static snapshot snap(void)
{
    snapshot s;
    for (size_t i = 0; i < N_TABLES; i++)
        s.n[i] = rows(tables[i]);
    return s;
}

static void same_rows(const snapshot *a, const snapshot *b)
{
    for (size_t i = 0; i < N_TABLES; i++)
        ck_assert_msg(a->n[i] == b->n[i], "%s: %lld rows before, %lld after", tables[i], (long long)a->n[i],
                      (long long)b->n[i]);
}

/* ---- records ---- */

#define PID(x) (&(ParentWhereUniqueInput){ .id = PRISMA_INT(x) })

static void parent(int id)
{
    char code[16];
    snprintf(code, sizeof code, "p%d", id);
    OK(parent_create(db, &(ParentCreateInput){ .id = PRISMA_INT(id), .code = code }, NULL));
}

#define KID(Model, fn, kid, pid) OK(fn(db, &(Model##CreateInput){ .id = PRISMA_INT(kid), .parentId = PRISMA_INT(pid) }, NULL))

/* Parent 1 with one child of every kind, and parent 2 with a cascade kid
 * (which must not be touched). */
static void family(void)
{
    parent(1);
    parent(2);
    KID(CascadeKid, cascade_kid_create, 1, 1);
    KID(CascadeKid, cascade_kid_create, 2, 1);
    KID(CascadeKid, cascade_kid_create, 3, 2);
    KID(SetNullKid, set_null_kid_create, 1, 1);
    KID(OptCascadeKid, opt_cascade_kid_create, 1, 1);
    KID(OptDefaultKid, opt_default_kid_create, 1, 1);
    KID(CascadeOne, cascade_one_create, 1, 1);
    KID(SetNullOne, set_null_one_create, 1, 1);
    KID(DefaultOne, default_one_create, 1, 1);
    OK(code_kid_create(db, &(CodeKidCreateInput){ .id = PRISMA_INT(1), .parentCode = "p1" }, NULL));
}

/* ==== onDelete ==== */

START_TEST(delete_cascades_and_sets_null)
{
    family();
    Parent *gone = NULL;
    OK(parent_delete(db, PID(1), &gone));
    ck_assert_ptr_nonnull(gone);
    ck_assert_int_eq(gone->id, 1);
    parent_free(gone);
    ck_assert_str_eq(ids("Parent"), "2");
    /* Cascade, required and optional, 1-n and 1-1 */
    ck_assert_str_eq(ids("CascadeKid"), "3");
    ck_assert_int_eq(rows("OptCascadeKid"), 0);
    ck_assert_int_eq(rows("CascadeOne"), 0);
    /* SetNull, and the default of an optional key (SetNull), 1-n and 1-1 */
    ck_assert_str_eq(col("SetNullKid", "parentId"), "NULL");
    ck_assert_str_eq(col("OptDefaultKid", "parentId"), "NULL");
    ck_assert_str_eq(col("SetNullOne", "parentId"), "NULL");
    ck_assert_str_eq(col("DefaultOne", "parentId"), "NULL");
    /* a key referencing a unique other than the id */
    ck_assert_str_eq(col("CodeKid", "parentCode"), "NULL");
}
END_TEST

START_TEST(delete_restrict_refuses)
{
    parent(1);
    KID(RestrictKid, restrict_kid_create, 1, 1);
    snapshot before = snap();
    REFUSED(parent_delete(db, PID(1), NULL), "ParentToRestrictKid", "RestrictKid", "Parent");
    int64_t n = -1;
    REFUSED(parent_delete_many(db, NULL, &n), "ParentToRestrictKid", "RestrictKid", "Parent");
    ck_assert_int_eq(n, 0);
    snapshot after = snap();
    same_rows(&before, &after);
    OK(restrict_kid_delete(db, &(RestrictKidWhereUniqueInput){ .id = PRISMA_INT(1) }, NULL));

    /* optional key, Restrict */
    KID(OptRestrictKid, opt_restrict_kid_create, 1, 1);
    REFUSED(parent_delete(db, PID(1), NULL), "OptRestrictKidToParent", "OptRestrictKid", "Parent");
    OK(opt_restrict_kid_delete_many(db, NULL, NULL));
    /* 1-1, Restrict */
    KID(RestrictOne, restrict_one_create, 1, 1);
    REFUSED(parent_delete(db, PID(1), NULL), "ParentToRestrictOne", "RestrictOne", "Parent");
    OK(restrict_one_delete_many(db, NULL, NULL));
    /* a required key without onDelete: Restrict, Prisma's default */
    KID(DefaultKid, default_kid_create, 1, 1);
    REFUSED(parent_delete(db, PID(1), NULL), "DefaultKidToParent", "DefaultKid", "Parent");
    OK(default_kid_delete_many(db, NULL, NULL));
    ck_assert_str_eq(ids("Parent"), "1");

    /* nothing points to it any more */
    OK(parent_delete(db, PID(1), NULL));
    ck_assert_int_eq(rows("Parent"), 0);
    /* a missing record is still P2025 */
    ck_assert_int_eq(parent_delete(db, PID(1), NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), "P2025");
}
END_TEST

START_TEST(delete_many_acts_on_every_row)
{
    family();
    parent(3);
    KID(SetNullKid, set_null_kid_create, 3, 3);
    int64_t n = 0;
    OK(parent_delete_many(db, &(ParentWhereInput){ .id = { .in = PRISMA_INTS(1, 3) } }, &n));
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(ids("Parent"), "2");
    ck_assert_str_eq(ids("CascadeKid"), "3");
    ck_assert_str_eq(col("SetNullKid", "parentId"), "NULL,NULL");
    OK(parent_delete_many(db, NULL, &n));
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(rows("CascadeKid"), 0);
}
END_TEST

START_TEST(many_to_many_join_rows_follow)
{
    parent(1);
    parent(2);
    OK(parent_update(db, PID(1),
                     &(ParentUpdateInput){ .tags = { .create = (const TagCreateInput[]){ { .id = PRISMA_INT(1) },
                                                                                         { .id = PRISMA_INT(2) } },
                                                     .create_len = 2 } },
                     NULL));
    OK(parent_update(db, PID(2),
                     &(ParentUpdateInput){ .tags = { .connect = (const TagWhereUniqueInput[]){ { .id = PRISMA_INT(1) } },
                                                     .connect_len = 1 } },
                     NULL));
    ck_assert_int_eq(rows("_ParentToTag"), 3);
    /* a deleted record's join rows go; the records on the other side stay */
    OK(parent_delete(db, PID(1), NULL));
    ck_assert_str_eq(qs("SELECT \"A\", \"B\" FROM \"_ParentToTag\""), "2:1");
    ck_assert_int_eq(rows("Tag"), 2);
    /* an id that changes takes its join rows along */
    OK(parent_update(db, PID(2), &(ParentUpdateInput){ .id = { .set = PRISMA_INT(5) } }, NULL));
    ck_assert_str_eq(qs("SELECT \"A\", \"B\" FROM \"_ParentToTag\""), "5:1");
    OK(tag_update(db, &(TagWhereUniqueInput){ .id = PRISMA_INT(1) }, &(TagUpdateInput){ .id = { .set = PRISMA_INT(7) } },
                  NULL));
    ck_assert_str_eq(qs("SELECT \"A\", \"B\" FROM \"_ParentToTag\""), "5:7");
    TagList *tags = NULL;
    OK(tag_find_many(db, &(TagFindManyArgs){ .include = &(TagInclude){ .parents = true } }, &tags));
    ck_assert_uint_eq(tags->len, 2);
    tag_list_free(tags);
    /* from the other side too */
    OK(tag_delete_many(db, NULL, NULL));
    ck_assert_int_eq(rows("_ParentToTag"), 0);
    ck_assert_int_eq(rows("Parent"), 1);
}
END_TEST

/* ==== onUpdate ==== */

START_TEST(update_of_a_key_cascades_and_sets_null)
{
    family();
    KID(DefaultKid, default_kid_create, 1, 1);
    Parent *p = NULL;
    OK(parent_update(db, PID(1), &(ParentUpdateInput){ .id = { .set = PRISMA_INT(7) }, .code = "q7" }, &p));
    ck_assert_int_eq(p->id, 7);
    parent_free(p);
    ck_assert_str_eq(col("CascadeKid", "parentId"), "7,7,2");
    ck_assert_str_eq(col("OptCascadeKid", "parentId"), "7");
    ck_assert_str_eq(col("CascadeOne", "parentId"), "7");
    ck_assert_str_eq(col("SetNullKid", "parentId"), "NULL");
    ck_assert_str_eq(col("SetNullOne", "parentId"), "NULL");
    /* without onUpdate: Cascade, Prisma's default, required and optional */
    ck_assert_str_eq(col("DefaultKid", "parentId"), "7");
    ck_assert_str_eq(col("OptDefaultKid", "parentId"), "7");
    ck_assert_str_eq(col("DefaultOne", "parentId"), "7");
    /* a key referencing another unique follows it */
    ck_assert_str_eq(col("CodeKid", "parentCode"), "q7");
    /* an update that names the key but keeps its value changes nothing */
    OK(parent_update(db, PID(7), &(ParentUpdateInput){ .id = { .set = PRISMA_INT(7) } }, NULL));
    ck_assert_str_eq(col("CascadeKid", "parentId"), "7,7,2");
}
END_TEST

START_TEST(update_of_a_key_restrict_refuses)
{
    parent(1);
    KID(RestrictKid, restrict_kid_create, 1, 1);
    KID(OptRestrictKid, opt_restrict_kid_create, 1, 1);
    KID(CascadeKid, cascade_kid_create, 1, 1);
    REFUSED(parent_update(db, PID(1), &(ParentUpdateInput){ .id = { .set = PRISMA_INT(2) } }, NULL),
            "ParentToRestrictKid", "RestrictKid", "Parent");
    ck_assert_str_eq(ids("Parent"), "1");
    ck_assert_str_eq(col("CascadeKid", "parentId"), "1");
    /* other fields, and the key kept as it is, are fine */
    OK(parent_update(db, PID(1), &(ParentUpdateInput){ .code = "other", .id = { .set = PRISMA_INT(1) } }, NULL));
    OK(restrict_kid_delete_many(db, NULL, NULL));
    REFUSED(parent_update_many(db, NULL, &(ParentUpdateInput){ .id = { .increment = PRISMA_INT(10) } }, NULL),
            "OptRestrictKidToParent", "OptRestrictKid", "Parent");
    OK(opt_restrict_kid_delete_many(db, NULL, NULL));
    KID(RestrictOne, restrict_one_create, 1, 1);
    REFUSED(parent_update(db, PID(1), &(ParentUpdateInput){ .id = { .set = PRISMA_INT(2) } }, NULL),
            "ParentToRestrictOne", "RestrictOne", "Parent");
    OK(restrict_one_delete_many(db, NULL, NULL));
    OK(parent_update(db, PID(1), &(ParentUpdateInput){ .id = { .set = PRISMA_INT(2) } }, NULL));
    ck_assert_str_eq(col("CascadeKid", "parentId"), "2");
}
END_TEST

START_TEST(update_many_and_upsert_cascade)
{
    family();
    int64_t n = 0;
    OK(parent_update_many(db, NULL, &(ParentUpdateInput){ .id = { .increment = PRISMA_INT(10) } }, &n));
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(ids("Parent"), "11,12");
    ck_assert_str_eq(col("CascadeKid", "parentId"), "11,11,12");
    ck_assert_str_eq(col("SetNullKid", "parentId"), "NULL");
    Parent *p = NULL;
    OK(parent_upsert(db, PID(11), &(ParentCreateInput){ .id = PRISMA_INT(11), .code = "x" },
                     &(ParentUpdateInput){ .id = { .set = PRISMA_INT(21) } }, &p));
    ck_assert_int_eq(p->id, 21);
    parent_free(p);
    ck_assert_str_eq(col("CascadeKid", "parentId"), "21,21,12");
    ck_assert_str_eq(col("OptDefaultKid", "parentId"), "21");
}
END_TEST

START_TEST(compound_key)
{
    OK(account_create(db, &(AccountCreateInput){ .a = PRISMA_INT(1), .b = PRISMA_INT(1) }, NULL));
    OK(account_create(db, &(AccountCreateInput){ .a = PRISMA_INT(1), .b = PRISMA_INT(2) }, NULL));
    for (int i = 1; i <= 3; i++)
        OK(entry_create(db, &(EntryCreateInput){ .id = PRISMA_INT(i), .a = PRISMA_INT(1), .b = PRISMA_INT(i < 3 ? 1 : 2) },
                        NULL));
    AccountWhereUniqueInput a11 = { .a_b = { PRISMA_INT(1), PRISMA_INT(1) } };
    OK(account_update(db, &a11, &(AccountUpdateInput){ .b = { .set = PRISMA_INT(5) } }, NULL));
    ck_assert_str_eq(qs("SELECT \"a\", \"b\" FROM \"Entry\" ORDER BY \"id\""), "1:5,1:5,1:2");
    AccountWhereUniqueInput a15 = { .a_b = { PRISMA_INT(1), PRISMA_INT(5) } };
    OK(account_delete(db, &a15, NULL));
    ck_assert_str_eq(ids("Entry"), "3");
}
END_TEST

/* ==== depth, nested writes, atomicity ==== */

/* Parent 1 > CascadeKid 1 > GrandKid 1, 2 > Leaf 1 (under GrandKid 2, Restrict). */
static void deep(bool with_leaf)
{
    parent(1);
    KID(CascadeKid, cascade_kid_create, 1, 1);
    OK(grand_kid_create(db, &(GrandKidCreateInput){ .id = PRISMA_INT(1), .kidId = PRISMA_INT(1) }, NULL));
    OK(grand_kid_create(db, &(GrandKidCreateInput){ .id = PRISMA_INT(2), .kidId = PRISMA_INT(1) }, NULL));
    if (with_leaf)
        OK(leaf_create(db, &(LeafCreateInput){ .id = PRISMA_INT(1), .grandKidId = PRISMA_INT(2) }, NULL));
}

START_TEST(cascade_at_depth_and_restrict_deep_inside_rolls_back)
{
    deep(true);
    KID(SetNullKid, set_null_kid_create, 1, 1);
    snapshot before = snap();
    /* The cascade reaches the leaf's Restrict two levels down: nothing at all changes. */
    REFUSED(parent_delete(db, PID(1), NULL), "GrandKidToLeaf", "Leaf", "GrandKid");
    snapshot after = snap();
    same_rows(&before, &after);
    ck_assert_str_eq(col("SetNullKid", "parentId"), "1");
    /* inside an interactive transaction's savepoint... */
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    OK(tag_create(tx, &(TagCreateInput){ .id = PRISMA_INT(9) }, NULL));
    ck_assert_int_eq(parent_delete(tx, PID(1), NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(tx), RESTRICT_CODE);
    ck_assert_int_eq(prisma_tx_rollback(tx), PRISMA_OK);
    prisma_tx_free(tx);
    ck_assert_int_eq(rows("Tag"), 0);
    /* ...and a batch: all or nothing */
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    OK(tag_batch_create(b, &(TagCreateInput){ .id = PRISMA_INT(9) }, NULL));
    OK(parent_batch_delete(b, PID(1), NULL));
    size_t failed = 0;
    ck_assert_int_eq(prisma_batch_run(b, NULL, &failed), PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), RESTRICT_CODE);
    ck_assert_uint_eq(failed, 1);
    prisma_batch_free(b);
    after = snap();
    same_rows(&before, &after);

    /* without the leaf, the cascade goes all the way down */
    OK(leaf_delete_many(db, NULL, NULL));
    OK(parent_delete(db, PID(1), NULL));
    ck_assert_int_eq(rows("CascadeKid"), 0);
    ck_assert_int_eq(rows("GrandKid"), 0);
    ck_assert_str_eq(col("SetNullKid", "parentId"), "NULL");
}
END_TEST

START_TEST(batches_carry_out_the_actions)
{
    family();
    OK(grand_kid_create(db, &(GrandKidCreateInput){ .id = PRISMA_INT(1), .kidId = PRISMA_INT(1) }, NULL));
    prisma_batch *b = NULL;
    int64_t n = -1;
    OK(prisma_batch_new(db, &b));
    OK(parent_batch_update(b, PID(2), &(ParentUpdateInput){ .id = { .set = PRISMA_INT(4) } }, NULL));
    OK(parent_batch_delete_many(b, &(ParentWhereInput){ .id = { .equals = PRISMA_INT(1) } }, &n));
    OK(prisma_batch_run(b, NULL, NULL));
    prisma_batch_free(b);
    ck_assert_int_eq(n, 1);
    ck_assert_str_eq(ids("Parent"), "4");
    ck_assert_str_eq(col("CascadeKid", "parentId"), "4");
    ck_assert_int_eq(rows("GrandKid"), 0);
    ck_assert_str_eq(col("SetNullKid", "parentId"), "NULL");
}
END_TEST

START_TEST(nested_deletes_and_key_updates)
{
    deep(false);
    KID(CascadeKid, cascade_kid_create, 2, 1);
    OK(grand_kid_create(db, &(GrandKidCreateInput){ .id = PRISMA_INT(3), .kidId = PRISMA_INT(2) }, NULL));
    /* a nested update of a kid's id: its grandkids follow */
    OK(parent_update(db, PID(1),
                     &(ParentUpdateInput){ .cascadeKids = {
                         .update = (const CascadeKidUpdateWithWhereInput[]){
                             { &(CascadeKidWhereUniqueInput){ .id = PRISMA_INT(1) },
                               &(CascadeKidUpdateInput){ .id = { .set = PRISMA_INT(5) } } } },
                         .update_len = 1 } },
                     NULL));
    ck_assert_str_eq(col("GrandKid", "kidId"), "5,5,2");
    /* a nested update_many of ids */
    OK(parent_update(db, PID(1),
                     &(ParentUpdateInput){ .cascadeKids = {
                         .update_many = (const CascadeKidUpdateManyWithWhereInput[]){
                             { &(CascadeKidWhereInput){ .id = { .equals = PRISMA_INT(2) } },
                               &(CascadeKidUpdateInput){ .id = { .set = PRISMA_INT(6) } } } },
                         .update_many_len = 1 } },
                     NULL));
    ck_assert_str_eq(col("GrandKid", "kidId"), "5,5,6");
    /* a nested delete cascades */
    OK(parent_update(db, PID(1),
                     &(ParentUpdateInput){ .cascadeKids = { .delete_ = (const CascadeKidWhereUniqueInput[]){
                                                                { .id = PRISMA_INT(5) } },
                                                            .delete_len = 1 } },
                     NULL));
    ck_assert_str_eq(ids("GrandKid"), "3");
    /* a nested delete_many cascades */
    OK(parent_update(db, PID(1),
                     &(ParentUpdateInput){ .cascadeKids = { .delete_many = (const CascadeKidWhereInput[]){ { .AND = NULL } },
                                                            .delete_many_len = 1 } },
                     NULL));
    ck_assert_int_eq(rows("CascadeKid"), 0);
    ck_assert_int_eq(rows("GrandKid"), 0);
    /* a nested to-one delete (the optional parent of a SetNullKid) carries out the parent's actions */
    KID(CascadeKid, cascade_kid_create, 7, 1);
    KID(SetNullKid, set_null_kid_create, 1, 1);
    KID(SetNullKid, set_null_kid_create, 2, 1);
    OK(set_null_kid_update(db, &(SetNullKidWhereUniqueInput){ .id = PRISMA_INT(1) },
                           &(SetNullKidUpdateInput){ .parent = { .delete_ = true } }, NULL));
    ck_assert_int_eq(rows("Parent"), 0);
    ck_assert_int_eq(rows("CascadeKid"), 0);
    ck_assert_str_eq(col("SetNullKid", "parentId"), "NULL,NULL");
    /* a nested update of the to-one parent's id: the kids follow (onUpdate Cascade) */
    parent(4);
    KID(CascadeKid, cascade_kid_create, 8, 4);
    KID(CascadeKid, cascade_kid_create, 9, 4);
    OK(cascade_kid_update(db, &(CascadeKidWhereUniqueInput){ .id = PRISMA_INT(8) },
                          &(CascadeKidUpdateInput){ .parent = { .update = &(ParentUpdateInput){
                                                                    .id = { .set = PRISMA_INT(40) } } } },
                          NULL));
    ck_assert_str_eq(col("CascadeKid", "parentId"), "40,40");
    /* a nested upsert's update too */
    OK(parent_update(db, PID(40),
                     &(ParentUpdateInput){ .cascadeKids = {
                         .upsert = (const CascadeKidUpsertWithWhereInput[]){
                             { &(CascadeKidWhereUniqueInput){ .id = PRISMA_INT(9) },
                               &(CascadeKidCreateInput){ .id = PRISMA_INT(9) },
                               &(CascadeKidUpdateInput){ .id = { .set = PRISMA_INT(19) } } } },
                         .upsert_len = 1 } },
                     NULL));
    ck_assert_str_eq(ids("CascadeKid"), "8,19");
    OK(grand_kid_create(db, &(GrandKidCreateInput){ .id = PRISMA_INT(5), .kidId = PRISMA_INT(19) }, NULL));
    OK(parent_update(db, PID(40),
                     &(ParentUpdateInput){ .cascadeKids = {
                         .upsert = (const CascadeKidUpsertWithWhereInput[]){
                             { &(CascadeKidWhereUniqueInput){ .id = PRISMA_INT(19) },
                               &(CascadeKidCreateInput){ .id = PRISMA_INT(19) },
                               &(CascadeKidUpdateInput){ .id = { .set = PRISMA_INT(29) } } } },
                         .upsert_len = 1 } },
                     NULL));
    ck_assert_str_eq(col("GrandKid", "kidId"), "29");
    OK(parent_delete(db, PID(40), NULL));
    ck_assert_int_eq(rows("GrandKid"), 0);
    /* a nested to-one delete of a 1-1 back side */
    parent(3);
    KID(CascadeOne, cascade_one_create, 1, 3);
    OK(parent_update(db, PID(3), &(ParentUpdateInput){ .cascadeOne = { .delete_ = true } }, NULL));
    ck_assert_int_eq(rows("CascadeOne"), 0);
}
END_TEST

START_TEST(nested_delete_refused_rolls_back)
{
    deep(true);
    snapshot before = snap();
    REFUSED(parent_update(db, PID(1),
                          &(ParentUpdateInput){ .code = "changed",
                                                .cascadeKids = { .delete_ = (const CascadeKidWhereUniqueInput[]){
                                                                     { .id = PRISMA_INT(1) } },
                                                                 .delete_len = 1 } },
                          NULL),
            "GrandKidToLeaf", "Leaf", "GrandKid");
    snapshot after = snap();
    same_rows(&before, &after);
    ck_assert_str_eq(col("Parent", "code"), "p1");
}
END_TEST

START_TEST(self_relation_restrict)
{
    OK(node_create(db, &(NodeCreateInput){ .id = PRISMA_INT(1) }, NULL));
    OK(node_create(db, &(NodeCreateInput){ .id = PRISMA_INT(2), .parentId = PRISMA_INT(1) }, NULL));
    OK(node_create(db, &(NodeCreateInput){ .id = PRISMA_INT(3), .parentId = PRISMA_INT(2) }, NULL));
    REFUSED(node_delete(db, &(NodeWhereUniqueInput){ .id = PRISMA_INT(2) }, NULL), "Tree", "Node", "Node");
    REFUSED(node_update(db, &(NodeWhereUniqueInput){ .id = PRISMA_INT(1) },
                        &(NodeUpdateInput){ .id = { .set = PRISMA_INT(9) } }, NULL),
            "Tree", "Node", "Node");
    ck_assert_str_eq(ids("Node"), "1,2,3");
    OK(node_delete(db, &(NodeWhereUniqueInput){ .id = PRISMA_INT(3) }, NULL));
    OK(node_delete(db, &(NodeWhereUniqueInput){ .id = PRISMA_INT(2) }, NULL));
    OK(node_update(db, &(NodeWhereUniqueInput){ .id = PRISMA_INT(1) }, &(NodeUpdateInput){ .id = { .set = PRISMA_INT(9) } },
                   NULL));
    ck_assert_str_eq(ids("Node"), "9");
}
END_TEST

/* ==== many rows: the keys go in chunks ==== */

START_TEST(many_rows_in_chunks)
{
    /* More parents than SQLite binds in one statement (32766): the actions'
     * key lists are split; every kid is still reached. */
    enum { N = 33000 };
    ParentCreateInput *ps = calloc(N, sizeof *ps);
    SetNullKidCreateInput *ks = calloc(N, sizeof *ks);
    char(*codes)[12] = calloc(N, sizeof *codes);
    ck_assert(ps && ks && codes);
    for (int i = 0; i < N; i++) {
        snprintf(codes[i], sizeof codes[i], "c%d", i + 1);
        ps[i] = (ParentCreateInput){ .id = PRISMA_INT(i + 1), .code = codes[i] };
        ks[i] = (SetNullKidCreateInput){ .id = PRISMA_INT(i + 1), .parentId = PRISMA_INT(i + 1) };
    }
    int64_t n = 0;
    OK(parent_create_many(db, ps, N, false, &n));
    OK(set_null_kid_create_many(db, ks, N, false, &n));
    KID(CascadeKid, cascade_kid_create, 1, N);
    OK(parent_delete_many(db, NULL, &n));
    ck_assert_int_eq(n, N);
    ck_assert_str_eq(qs("SELECT COUNT(*) FROM \"SetNullKid\" WHERE \"parentId\" IS NULL"), "33000");
    ck_assert_int_eq(rows("CascadeKid"), 0);
    free(ps);
    free(ks);
    free(codes);

    /* More compound keys than one OR list holds (200). */
    enum { M = 250 };
    for (int i = 1; i <= M; i++) {
        OK(account_create(db, &(AccountCreateInput){ .a = PRISMA_INT(i), .b = PRISMA_INT(i) }, NULL));
        OK(entry_create(db, &(EntryCreateInput){ .id = PRISMA_INT(i), .a = PRISMA_INT(i), .b = PRISMA_INT(i) }, NULL));
    }
    OK(account_create(db, &(AccountCreateInput){ .a = PRISMA_INT(1), .b = PRISMA_INT(2) }, NULL));
    OK(entry_create(db, &(EntryCreateInput){ .id = PRISMA_INT(M + 1), .a = PRISMA_INT(1), .b = PRISMA_INT(2) }, NULL));
    OK(account_delete_many(db, &(AccountWhereInput){ .NOT = &(AccountWhereInput){ .b = { .equals = PRISMA_INT(2) },
                                                                                  .a = { .equals = PRISMA_INT(1) } },
                                                     .NOT_len = 1 },
                           &n));
    ck_assert_int_eq(n, M);
    ck_assert_str_eq(ids("Entry"), "251");
}
END_TEST

/* The statements a call sends, counted. */
static void count_statement(void *arg, const char *sql)
{
    (void)sql;
    ++*(int *)arg;
}

/* Deleting a parent of k kids, each with a grandkid: its statements. */
static int statements_to_delete(int k)
{
    parent(1);
    for (int i = 1; i <= k; i++) {
        KID(CascadeKid, cascade_kid_create, i, 1);
        KID(SetNullKid, set_null_kid_create, i, 1);
        OK(grand_kid_create(db, &(GrandKidCreateInput){ .id = PRISMA_INT(i), .kidId = PRISMA_INT(i) }, NULL));
    }
    int n = 0;
    prisma_set_trace(db, count_statement, &n);
    OK(parent_delete(db, PID(1), NULL));
    prisma_set_trace(db, NULL, NULL);
    ck_assert_int_eq(rows("GrandKid"), 0);
    ck_assert_int_eq(strtoll(qs("SELECT COUNT(*) FROM \"SetNullKid\" WHERE \"parentId\" IS NULL"), NULL, 10), k);
    return n;
}

START_TEST(statements_do_not_grow_with_the_rows)
{
    int two = statements_to_delete(2);
    ck_assert_int_eq(testdb_truncate(url, tables, N_TABLES), 0);
    int hundred = statements_to_delete(100);
    ck_assert_int_eq(two, hundred);
    ck_assert_int_eq(rows("SetNullKid"), 100);
}
END_TEST

/* ==== what relationMode = "prisma" does not check ==== */

START_TEST(create_with_a_key_to_nothing)
{
    /* Prisma does not look for the parent on create: the record is written.
     * A foreign key refuses it. */
    int rc = cascade_kid_create(db, &(CascadeKidCreateInput){ .id = PRISMA_INT(1), .parentId = PRISMA_INT(99) }, NULL);
    if (RELATION_MODE_PRISMA) {
        ck_assert_msg(rc == PRISMA_OK, "%s %s", code_of(db), prisma_error_message(db));
        ck_assert_str_eq(col("CascadeKid", "parentId"), "99");
    } else {
        ck_assert_int_eq(rc, PRISMA_ERROR);
        ck_assert_str_eq(code_of(db), "P2003");
        ck_assert_int_eq(rows("CascadeKid"), 0);
    }
    /* a nested connect still needs the record (P2025 in both modes) */
    ck_assert_int_eq(cascade_kid_create(db,
                                        &(CascadeKidCreateInput){ .id = PRISMA_INT(2),
                                                                  .parent = { .connect = PID(98) } },
                                        NULL),
                     PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), "P2025");
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, delete_cascades_and_sets_null);
    tcase_add_test(tc, delete_restrict_refuses);
    tcase_add_test(tc, delete_many_acts_on_every_row);
    tcase_add_test(tc, many_to_many_join_rows_follow);
    tcase_add_test(tc, update_of_a_key_cascades_and_sets_null);
    tcase_add_test(tc, update_of_a_key_restrict_refuses);
    tcase_add_test(tc, update_many_and_upsert_cascade);
    tcase_add_test(tc, compound_key);
    tcase_add_test(tc, cascade_at_depth_and_restrict_deep_inside_rolls_back);
    tcase_add_test(tc, batches_carry_out_the_actions);
    tcase_add_test(tc, nested_deletes_and_key_updates);
    tcase_add_test(tc, nested_delete_refused_rolls_back);
    tcase_add_test(tc, self_relation_restrict);
    tcase_add_test(tc, many_rows_in_chunks);
    tcase_add_test(tc, statements_do_not_grow_with_the_rows);
    tcase_add_test(tc, create_with_a_key_to_nothing);
}

int main(int argc, char **argv)
{
    testmain_suite s = { .name = RELATION_MODE_PRISMA ? "relation_mode" : "relation_mode_fk",
                         .timeout = 120,
                         .url = &url,
                         .setup = setup,
                         .teardown = teardown,
                         .add_tests = add_tests };
    return testmain_run(&s, argc, argv);
}
