/* Nested writes and bulk operations on a real database: issue 5 and
 * shared/reference/prisma-transaction-behaviour.md, sections E (nested
 * writes) and F (the exact error texts).
 *
 * Built once per backend of tests/meson.build's test_backends, on the
 * generated client of tests/schemas/nested.prisma.in, whose models cover every
 * relation shape:
 *   - 1-1, required FK:   User.profile   / Profile.user    (ProfileToUser)
 *   - 1-1, optional FK:   User.passport  / Passport.holder (PassportToUser)
 *   - 1-n, required FK:   User.posts     / Post.author     (PostToUser)
 *   - 1-n, optional FK:   Post.comments  / Comment.post    (CommentToPost)
 *   - implicit m-n:       Post.tags      / Tag.posts       (PostToTag)
 *   - self 1-1, 1-n, m-n: Person.mentor/mentee (Mentorship),
 *                         Person.parent/children (Family),
 *                         Person.followers/following (Follows)
 *   - compound FK:        Member.team    / Team.members    (MemberToTeam)
 *   - depth 4:            User > Post > Comment > Reaction
 *   - referential actions: Owner and one child model per action.
 *
 * One file per group of sections: one_to_many.c, one_to_one.c,
 * many_to_many.c, self_and_compound.c, depth_and_order.c, atomicity.c,
 * races_and_results.c, actions_bulk_size.c; this header and support.c hold
 * what they share, the fixture and main.
 *
 * The state of the database is always read back with raw SQL (or with the
 * client's include where the direction of a self-relation is the point), so a
 * nested write is checked against what it really wrote, and a failing one by
 * counting the rows of every table, the join tables included. */
#ifndef PRISMAC_TESTS_NESTED_WRITES_H
#define PRISMAC_TESTS_NESTED_WRITES_H

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

/* ---- error texts (section F) ---- */

#define NOT_FOUND "An operation failed because it depends on one or more records that were required but not found. "

#define INLINE_CONNECT(target, holder, kind, rel)                                                                 \
    NOT_FOUND "No '" target "' record (needed to inline the relation on '" holder                                 \
              "' record(s)) was found for a nested connect on " kind " relation '" rel "'."

#define NESTED_MISSING(target, op, kind, rel) NOT_FOUND "No '" target "' record was found for a nested " op " on " kind " relation '" rel "'."

#define INCOMPLETE_CONNECT(n, m, kind, rel)                                                                       \
    "The required connected records were not found. Expected " #n " records to be connected after connect "       \
    "operation on " kind " relation '" rel "', found " #m "."

#define M2N_CONNECT(n, m) NOT_FOUND "Expected " #n " records to be connected, found only " #m "."

#define NOT_CONNECTED(rel, parent, child)                                                                         \
    "The records for relation `" rel "` between the `" parent "` and `" child "` models are not connected."

#define REQUIRED_RELATION(rel, a, b)                                                                              \
    "The change you are trying to make would violate the required relation '" rel "' between the `" a "` and `" b \
    "` models."

#define FK_VIOLATION(table) fk_violation(table)

/* ---- helpers ---- */

#define OKC(c, call) \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(c), prisma_error_message(c))

#define OK(call) OKC(db, call)

/* `call` fails with `code` (and, unless NULL, exactly the message `msg`). */
#define FAILS_ON(c, call, code, msg)                                                                              \
    do {                                                                                                          \
        int rc_ = (call);                                                                                         \
        ck_assert_msg(rc_ == PRISMA_ERROR, "%s: expected %s, got %d", #call, code, rc_);                         \
        ck_assert_msg(strcmp(code_of(c), code) == 0, "%s: expected %s, got %s %s", #call, code, code_of(c),      \
                      prisma_error_message(c));                                                                    \
        const char *msg_ = (msg);                                                                                 \
        if (msg_)                                                                                                 \
            ck_assert_str_eq(prisma_error_message(c), msg_);                                                      \
    } while (0)

#define FAILS(call, code, msg) FAILS_ON(db, call, code, msg)

/* `call` fails with `code` and a message that contains `part`. */
#define FAILS_WITH(call, code, part)                                                                              \
    do {                                                                                                          \
        int rc_ = (call);                                                                                         \
        ck_assert_msg(rc_ == PRISMA_ERROR, "%s: expected %s, got %d", #call, code, rc_);                         \
        ck_assert_msg(strcmp(code_of(db), code) == 0, "%s: expected %s, got %s %s", #call, code, code_of(db),    \
                      prisma_error_message(db));                                                                   \
        ck_assert_msg(strstr(prisma_error_message(db), part) != NULL, "%s: message '%s' lacks '%s'", #call,      \
                      prisma_error_message(db), part);                                                             \
    } while (0)

/* Arrays of nested items: `.posts = { MANY(create, PostCreateInput, { ... }, { ... }) }`. */
#define MANY(field, T, ...) .field = (const T[]){ __VA_ARGS__ }, .field##_len = sizeof((const T[]){ __VA_ARGS__ }) / sizeof(T)

#define DELETE_MANY_(T, ...) .delete_ = (const T[]){ __VA_ARGS__ }, .delete_len = sizeof((const T[]){ __VA_ARGS__ }) / sizeof(T)

#define MISSING (-2) /* col_of: no such row */

#define NULLV (-1)   /* col_of: NULL */

#define qi(sql, param) qi_on(db, sql, param)

#define qs(sql, param) qs_on(db, sql, param)

#define rows(table) rows_on(db, table)

/* The tables of the schema (support.c lists them). */
#define N_TABLES 23

/* The row counts of every table. */
typedef struct snapshot {
    int64_t n[N_TABLES];
} snapshot;

#define snap() snap_on(db)

#define UNCHANGED(before)                         \
    do {                                          \
        snapshot after_ = snap();                 \
        same_rows(&(before), &after_);            \
    } while (0)

/* ---- making and reading records ---- */

/* The slugs of a user's posts, the tags of a post, the comments of a post. */
#define SLUGS_OF(user) qs(testdb_sql("SELECT \"slug\" FROM \"Post\" WHERE \"authorId\" = $1 ORDER BY \"slug\"%s", testdb->byte_order), user)

#define TAGS_OF(post)                                                                                             \
    qs(testdb_sql("SELECT t.\"name\" FROM \"Tag\" t JOIN \"_PostToTag\" j ON j.\"B\" = t.\"id\" WHERE j.\"A\" = $1 " \
                  "ORDER BY t.\"name\"%s",                                                                     \
                  testdb->byte_order),                                                                       \
       post)

#define COMMENTS_OF(post) qs(testdb_sql("SELECT \"text\" FROM \"Comment\" WHERE \"postId\" = $1 ORDER BY \"text\"%s", testdb->byte_order), post)

#define CHILDREN_OF(person) qs(testdb_sql("SELECT \"name\" FROM \"Person\" WHERE \"parentId\" = $1 ORDER BY \"name\"%s", testdb->byte_order), person)

#define UID(x) (&(UserWhereUniqueInput){ .id = PRISMA_INT(x) })

#define PID(x) (&(PostWhereUniqueInput){ .id = PRISMA_INT(x) })

#define PSLUG(s) (&(PostWhereUniqueInput){ .slug = (s) })

#define TNAME(s) (&(TagWhereUniqueInput){ .name = (s) })

#define CTEXT(s) (&(CommentWhereUniqueInput){ .text = (s) })

#define PNAME(s) (&(PersonWhereUniqueInput){ .name = (s) })

#define PROFILE_OF(user) qs("SELECT \"bio\" FROM \"Profile\" WHERE \"userId\" = $1", user)

#define PASSPORT_OF(user) qs("SELECT \"number\" FROM \"Passport\" WHERE \"holderId\" = $1", user)

#define PRID(x) (&(ProfileWhereUniqueInput){ .id = PRISMA_INT(x) })

#define PPID(x) (&(PassportWhereUniqueInput){ .id = PRISMA_INT(x) })

#define REACTIONS_OF(comment) \
    qs(testdb_sql("SELECT \"kind\" FROM \"Reaction\" WHERE \"commentId\" = $1 ORDER BY \"kind\"%s", testdb->byte_order), comment)

/* ---- helpers (support.c) ---- */

extern const char *url;
extern prisma_client *db;
/* Where the database names the violated constraint, the message does too. */
const char *fk_violation(const char *table);
const char *code_of(const prisma_client *c);
int64_t value_int(const prisma_raw_value *v);
prisma_raw_rows *query(prisma_client *c, const char *sql, const int64_t *params, size_t n);
/* Whether test SQL (as written, or spelled by testdb_sql) has a parameter. */
bool has_param(const char *sql);
/* The first column of the first row of `sql` (one integer parameter when the
 * text has a placeholder), as an integer; MISSING when there is no row. */
int64_t qi_on(prisma_client *c, const char *sql, int64_t param);
/* The first column of every row of `sql`, joined with ','; NULL is "NULL".
 * Eight rotating buffers, so several fit in one assertion. */
const char *qs_on(prisma_client *c, const char *sql, int64_t param);
int64_t rows_on(prisma_client *c, const char *table);
/* A column of the row with this id: the value, NULLV or MISSING. */
int64_t col_of(const char *table, const char *col, int64_t id);
const char *str_of(const char *table, const char *col, int64_t id);
snapshot snap_on(prisma_client *c);
void same_rows(const snapshot *before, const snapshot *after);
int64_t total_rows(const snapshot *s);
int new_user(const char *email);
int new_post(int author, const char *slug);
int new_tag(const char *name);
int new_comment(const char *text, int post);
int new_person(const char *name);
/* The id of the record with this unique value, or 0. */
int user_id(const char *email);
int post_id(const char *slug);
int tag_id(const char *name);
int comment_id(const char *text);
int person_id(const char *name);
int deep_user(void);

/* ---- each file's tests ---- */

void nw_one_to_many_tests(TCase *tc);
void nw_one_to_one_tests(TCase *tc);
void nw_many_to_many_tests(TCase *tc);
void nw_self_and_compound_tests(TCase *tc);
void nw_depth_and_order_tests(TCase *tc);
void nw_atomicity_tests(TCase *tc);
void nw_races_and_results_tests(TCase *tc);
void nw_actions_bulk_size_tests(TCase *tc);

#endif
