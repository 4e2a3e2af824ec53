/* Nested writes and bulk operations on a real database: issue 5 and
 * /work/shared/reference/prisma-transaction-behaviour.md, sections E (nested
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
 * The state of the database is always read back with raw SQL (or with the
 * client's include where the direction of a self-relation is the point), so a
 * nested write is checked against what it really wrote, and a failing one by
 * counting the rows of every table, the join tables included. */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

static const char *url;
static prisma_client *db;

static const char *const tables[] = { "User",    "Profile",       "Passport",      "Post",          "Comment",
                                      "Reaction", "Tag",          "Person",        "Team",          "Member",
                                      "Owner",   "CascadeChild",  "RestrictChild", "NoActionChild", "SetNullChild",
                                      "SetDefaultChild", "_PostToTag", "_Follows", "Shelf", "Album",
                                      "Photo", "Label", "_LabelToPhoto" };
#define N_TABLES (sizeof tables / sizeof tables[0])

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
/* Where the database names the violated constraint, the message does too. */
static const char *fk_violation(const char *table)
{
    if (!testdb->names_violated_foreign_key)
        return "Foreign key constraint violated on the foreign key";
    return testdb_sql("Foreign key constraint violated on the constraint: `%s_ownerId_fkey`", table);
}
#define FK_VIOLATION(table) fk_violation(table)

/* ---- helpers ---- */

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

static int64_t value_int(const prisma_raw_value *v)
{
    switch (v->type) {
    case PRISMA_RAW_NULL:
        return NULLV;
    case PRISMA_RAW_INT:
    case PRISMA_RAW_BOOL:
        return v->i;
    case PRISMA_RAW_FLOAT:
        return (int64_t)v->f;
    default:
        return strtoll(v->s, NULL, 10);
    }
}

static prisma_raw_rows *query(prisma_client *c, const char *sql, const int64_t *params, size_t n)
{
    prisma_raw_value p[4];
    for (size_t i = 0; i < n && i < 4; i++)
        p[i] = PRISMA_RAW_INT_V(params[i]);
    prisma_raw_rows *r = NULL;
    OKC(c, prisma_query_raw(c, testdb_sql("%s", sql), n ? p : NULL, n, &r));
    ck_assert_ptr_nonnull(r);
    return r;
}

/* Whether test SQL (as written, or spelled by testdb_sql) has a parameter. */
static bool has_param(const char *sql)
{
    return strstr(sql, "$1") || strstr(sql, testdb_sql("$1"));
}

/* The first column of the first row of `sql` (one integer parameter when the
 * text has a placeholder), as an integer; MISSING when there is no row. */
static int64_t qi_on(prisma_client *c, const char *sql, int64_t param)
{
    prisma_raw_rows *r = query(c, sql, &param, has_param(sql) ? 1 : 0);
    int64_t v = r->n_rows == 0 ? MISSING : value_int(&r->values[0]);
    prisma_free(r);
    return v;
}
#define qi(sql, param) qi_on(db, sql, param)

/* The first column of every row of `sql`, joined with ','; NULL is "NULL".
 * Eight rotating buffers, so several fit in one assertion. */
static const char *qs_on(prisma_client *c, const char *sql, int64_t param)
{
    static char bufs[8][8192];
    static int next;
    char *out = bufs[next++ % 8];
    out[0] = '\0';
    prisma_raw_rows *r = query(c, sql, &param, has_param(sql) ? 1 : 0);
    size_t used = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        const prisma_raw_value *v = &r->values[i * r->n_cols];
        char one[256];
        if (v->type == PRISMA_RAW_NULL)
            snprintf(one, sizeof one, "NULL");
        else if (v->type == PRISMA_RAW_TEXT || v->type == PRISMA_RAW_BYTES)
            snprintf(one, sizeof one, "%s", v->s);
        else
            snprintf(one, sizeof one, "%lld", (long long)value_int(v));
        used += (size_t)snprintf(out + used, sizeof bufs[0] - used, "%s%s", i ? "," : "", one);
        ck_assert_uint_lt(used, sizeof bufs[0]);
    }
    prisma_free(r);
    return out;
}
#define qs(sql, param) qs_on(db, sql, param)

static int64_t rows_on(prisma_client *c, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", table);
    return qi_on(c, sql, 0);
}
#define rows(table) rows_on(db, table)

/* A column of the row with this id: the value, NULLV or MISSING. */
static int64_t col_of(const char *table, const char *col, int64_t id)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"%s\" WHERE \"id\" = $1", col, table);
    return qi(sql, id);
}

static const char *str_of(const char *table, const char *col, int64_t id)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"%s\" WHERE \"id\" = $1", col, table);
    return qs(sql, id);
}

/* The row counts of every table. */
typedef struct snapshot {
    int64_t n[N_TABLES];
} snapshot;

static snapshot snap_on(prisma_client *c)
{
    snapshot s;
    for (size_t i = 0; i < N_TABLES; i++)
        s.n[i] = rows_on(c, tables[i]);
    return s;
}
#define snap() snap_on(db)

static void same_rows(const snapshot *before, const snapshot *after)
{
    for (size_t i = 0; i < N_TABLES; i++)
        ck_assert_msg(before->n[i] == after->n[i], "table %s: %lld rows before, %lld after", tables[i],
                      (long long)before->n[i], (long long)after->n[i]);
}
#define UNCHANGED(before)                         \
    do {                                          \
        snapshot after_ = snap();                 \
        same_rows(&(before), &after_);            \
    } while (0)

static int64_t total_rows(const snapshot *s)
{
    int64_t t = 0;
    for (size_t i = 0; i < N_TABLES; i++)
        t += s->n[i];
    return t;
}

/* ---- making and reading records ---- */

static int new_user(const char *email)
{
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = email }, &u));
    int id = u->id;
    user_free(u);
    return id;
}

static int new_post(int author, const char *slug)
{
    Post *p = NULL;
    OK(post_create(db, &(PostCreateInput){ .title = slug, .slug = slug, .authorId = PRISMA_INT(author) }, &p));
    int id = p->id;
    post_free(p);
    return id;
}

static int new_tag(const char *name)
{
    Tag *t = NULL;
    OK(tag_create(db, &(TagCreateInput){ .name = name }, &t));
    int id = t->id;
    tag_free(t);
    return id;
}

static int new_comment(const char *text, int post)
{
    Comment *c = NULL;
    OK(comment_create(db, &(CommentCreateInput){ .text = text, .postId = post ? PRISMA_INT(post) : (prisma_int){ 0 } },
                      &c));
    int id = c->id;
    comment_free(c);
    return id;
}

static int new_person(const char *name)
{
    Person *p = NULL;
    OK(person_create(db, &(PersonCreateInput){ .name = name }, &p));
    int id = p->id;
    person_free(p);
    return id;
}

/* The id of the record with this unique value, or 0. */
static int user_id(const char *email)
{
    User *u = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .email = email }, &u));
    int id = u ? u->id : 0;
    user_free(u);
    return id;
}

static int post_id(const char *slug)
{
    Post *p = NULL;
    OK(post_find_unique(db, &(PostWhereUniqueInput){ .slug = slug }, &p));
    int id = p ? p->id : 0;
    post_free(p);
    return id;
}

static int tag_id(const char *name)
{
    Tag *t = NULL;
    OK(tag_find_unique(db, &(TagWhereUniqueInput){ .name = name }, &t));
    int id = t ? t->id : 0;
    tag_free(t);
    return id;
}

static int comment_id(const char *text)
{
    Comment *c = NULL;
    OK(comment_find_unique(db, &(CommentWhereUniqueInput){ .text = text }, &c));
    int id = c ? c->id : 0;
    comment_free(c);
    return id;
}

static int person_id(const char *name)
{
    Person *p = NULL;
    OK(person_find_unique(db, &(PersonWhereUniqueInput){ .name = name }, &p));
    int id = p ? p->id : 0;
    person_free(p);
    return id;
}

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

/* ==== 1-n with a required foreign key: User.posts / Post.author ==== */

/* Item 53 and 57: nested create and create_many from the parent side, in a
 * create and in an update (item 54: the existing children stay). */
START_TEST(one_to_many_create_from_the_parent_side)
{
    User *u = NULL;
    OK(user_create_include(db,
                           &(UserCreateInput){ .email = "a@x",
                                               .posts = { MANY(create, PostCreateInput,
                                                               { .title = "A", .slug = "a1", .views = PRISMA_INT(3) },
                                                               { .title = "B", .slug = "a2" }),
                                                          MANY(create_many, PostCreateInput,
                                                               { .title = "C", .slug = "a3" },
                                                               { .title = "D", .slug = "a4" }) } },
                           &(UserInclude){ .posts = true }, &u));
    ck_assert_ptr_nonnull(u);
    ck_assert_ptr_nonnull(u->posts);
    ck_assert_uint_eq(u->posts->len, 4);
    for (size_t i = 0; i < u->posts->len; i++) {
        const Post *p = &u->posts->items[i];
        ck_assert_int_eq(p->authorId, u->id);
        ck_assert_ptr_nonnull(p->slug);
        ck_assert_int_eq(p->id, post_id(p->slug));
    }
    int a = u->id;
    user_free(u);
    ck_assert_str_eq(SLUGS_OF(a), "a1,a2,a3,a4");
    ck_assert_int_eq(col_of("Post", "views", post_id("a1")), 3);
    ck_assert_str_eq(str_of("Post", "title", post_id("a4")), "D");
    ck_assert_int_eq(rows("User"), 1);
    ck_assert_int_eq(rows("Post"), 4);

    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "E", .slug = "a5" }),
                                                  MANY(create_many, PostCreateInput, { .title = "F", .slug = "a6" }) } },
                   NULL));
    ck_assert_str_eq(SLUGS_OF(a), "a1,a2,a3,a4,a5,a6");
    ck_assert_int_eq(rows("Post"), 6);
}
END_TEST

/* Items 53 and 58: from the child side, the author is created, connected by
 * any unique, or connected-or-created; a missing one is P2025 (item 59). */
START_TEST(one_to_many_create_from_the_child_side)
{
    Post *p = NULL;
    OK(post_create(db, &(PostCreateInput){ .title = "p1", .slug = "p1", .author = { .create = &(UserCreateInput){ .email = "new@x" } } },
                   &p));
    int u = user_id("new@x");
    ck_assert_int_ne(u, 0);
    ck_assert_int_eq(p->authorId, u);
    post_free(p);
    OK(post_create(db, &(PostCreateInput){ .title = "p2", .slug = "p2", .author = { .connect = &(UserWhereUniqueInput){ .email = "new@x" } } },
                   NULL));
    OK(post_create(db, &(PostCreateInput){ .title = "p3", .slug = "p3", .author = { .connect = UID(u) } }, NULL));
    OK(post_create(db,
                   &(PostCreateInput){ .title = "p4", .slug = "p4",
                                       .author = { .connect_or_create = &(UserConnectOrCreateInput){
                                                       .where = &(UserWhereUniqueInput){ .email = "new@x" },
                                                       .create = &(UserCreateInput){ .email = "new@x", .name = "dup" } } } },
                   NULL));
    ck_assert_int_eq(rows("User"), 1);
    ck_assert_str_eq(str_of("User", "name", u), "NULL");
    ck_assert_str_eq(SLUGS_OF(u), "p1,p2,p3,p4");
    OK(post_create(db,
                   &(PostCreateInput){ .title = "p5", .slug = "p5",
                                       .author = { .connect_or_create = &(UserConnectOrCreateInput){
                                                       .where = &(UserWhereUniqueInput){ .email = "other@x" },
                                                       .create = &(UserCreateInput){ .email = "other@x", .name = "O" } } } },
                   NULL));
    int o = user_id("other@x");
    ck_assert_int_ne(o, 0);
    ck_assert_str_eq(str_of("User", "name", o), "O");
    ck_assert_str_eq(SLUGS_OF(o), "p5");
    snapshot before = snap();
    FAILS(post_create(db, &(PostCreateInput){ .title = "p6", .slug = "p6", .author = { .connect = UID(99999) } }, NULL), "P2025",
          INLINE_CONNECT("User", "Post", "one-to-many", "PostToUser"));
    FAILS(post_create(db, &(PostCreateInput){ .title = "p6", .slug = "p6", .author = { .connect = &(UserWhereUniqueInput){ .email = "nope@x" } } },
                      NULL),
          "P2025", INLINE_CONNECT("User", "Post", "one-to-many", "PostToUser"));
    UNCHANGED(before);
}
END_TEST

/* Item 58: connect by id or by another unique, in a create and in an update;
 * a post connected elsewhere moves. */
START_TEST(one_to_many_connect_from_the_parent_side)
{
    int a = new_user("a@x"), b = new_user("b@x");
    int p1 = new_post(a, "p1");
    new_post(a, "p2");
    new_post(a, "p3");
    User *c = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = "c@x", .posts = { MANY(connect, PostWhereUniqueInput, { .id = PRISMA_INT(p1) }, { .slug = "p2" }) } },
                   &c));
    ck_assert_str_eq(SLUGS_OF(c->id), "p1,p2");
    ck_assert_str_eq(SLUGS_OF(a), "p3");
    OK(user_update(db, UID(b), &(UserUpdateInput){ .posts = { MANY(connect, PostWhereUniqueInput, { .slug = "p3" }) } }, NULL));
    ck_assert_str_eq(SLUGS_OF(b), "p3");
    ck_assert_str_eq(SLUGS_OF(a), "");
    /* Connecting a post already connected to this user is not an error. */
    OK(user_update(db, UID(b), &(UserUpdateInput){ .posts = { MANY(connect, PostWhereUniqueInput, { .slug = "p3" }) } }, NULL));
    ck_assert_str_eq(SLUGS_OF(b), "p3");
    ck_assert_int_eq(rows("Post"), 3);
    ck_assert_int_eq(rows("User"), 3);
    user_free(c);
}
END_TEST

/* Item 62: connect_or_create connects when `where` matches (moving the post)
 * and creates otherwise. */
START_TEST(one_to_many_connect_or_create_from_the_parent_side)
{
    int a = new_user("a@x"), b = new_user("b@x");
    int p1 = new_post(b, "p1");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(connect_or_create, PostConnectOrCreateInput,
                                                       { .where = PSLUG("p1"), .create = &(PostCreateInput){ .title = "never", .slug = "p1" } },
                                                       { .where = PSLUG("p2"), .create = &(PostCreateInput){ .title = "made", .slug = "p2" } }) } },
                   NULL));
    ck_assert_str_eq(SLUGS_OF(a), "p1,p2");
    ck_assert_str_eq(SLUGS_OF(b), "");
    ck_assert_str_eq(str_of("Post", "title", p1), "p1");
    ck_assert_str_eq(str_of("Post", "title", post_id("p2")), "made");
    User *c = NULL;
    OK(user_create(db,
                   &(UserCreateInput){ .email = "c@x",
                                       .posts = { MANY(connect_or_create, PostConnectOrCreateInput,
                                                       { .where = PSLUG("p2"), .create = &(PostCreateInput){ .title = "never", .slug = "p2" } },
                                                       { .where = PSLUG("p3"), .create = &(PostCreateInput){ .title = "made", .slug = "p3" } }) } },
                   &c));
    ck_assert_str_eq(SLUGS_OF(c->id), "p2,p3");
    ck_assert_str_eq(SLUGS_OF(a), "p1");
    ck_assert_int_eq(rows("Post"), 3);
    user_free(c);
}
END_TEST

/* Items 69, 74 and 75/76: update, upsert and delete of connected posts. */
START_TEST(one_to_many_update_upsert_and_delete_from_the_parent_side)
{
    int a = new_user("a@x"), b = new_user("b@x");
    int p1 = new_post(a, "p1"), p2 = new_post(a, "p2");
    new_post(b, "q1");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(update, PostUpdateWithWhereInput,
                                                       { .where = PID(p1),
                                                         .data = &(PostUpdateInput){ .title = "P1", .views = { .increment = PRISMA_INT(2) } } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", p1), "P1");
    ck_assert_int_eq(col_of("Post", "views", p1), 2);
    ck_assert_str_eq(str_of("Post", "title", p2), "p2");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(upsert, PostUpsertWithWhereInput,
                                                       { .where = PSLUG("p2"),
                                                         .create = &(PostCreateInput){ .title = "no", .slug = "p2x" },
                                                         .update = &(PostUpdateInput){ .title = "P2" } },
                                                       { .where = PSLUG("p3"),
                                                         .create = &(PostCreateInput){ .title = "P3", .slug = "p3" },
                                                         .update = &(PostUpdateInput){ .title = "no" } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", p2), "P2");
    ck_assert_int_eq(post_id("p2x"), 0);
    ck_assert_str_eq(str_of("Post", "title", post_id("p3")), "P3");
    ck_assert_str_eq(SLUGS_OF(a), "p1,p2,p3");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .id = PRISMA_INT(p1) }, { .slug = "p3" }) } },
                   NULL));
    ck_assert_int_eq(col_of("Post", "id", p1), MISSING);
    ck_assert_str_eq(SLUGS_OF(a), "p2");
    ck_assert_str_eq(SLUGS_OF(b), "q1");
    ck_assert_int_eq(rows("Post"), 2);
}
END_TEST

/* Items 71 and 77: nested update_many / delete_many see only the connected
 * posts; a NULL (or empty) filter means all of them; several in one call. */
START_TEST(one_to_many_update_many_and_delete_many_touch_only_connected_records)
{
    int a = new_user("a@x"), b = new_user("b@x");
    OK(post_create_many(db,
                        (PostCreateInput[]){ { .title = "p1", .slug = "p1", .authorId = PRISMA_INT(a) },
                                             { .title = "p2", .slug = "p2", .authorId = PRISMA_INT(a) },
                                             { .title = "p3", .slug = "p3", .authorId = PRISMA_INT(a), .views = PRISMA_INT(5) },
                                             { .title = "q1", .slug = "q1", .authorId = PRISMA_INT(b) } },
                        4, false, NULL));
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(update_many, PostUpdateManyWithWhereInput,
                                                       { .where = &(PostWhereInput){ .views = { .equals = PRISMA_INT(0) } },
                                                         .data = &(PostUpdateInput){ .published = PRISMA_BOOL(true) } }) } },
                   NULL));
    ck_assert_str_eq(qs(testdb_sql("SELECT \"slug\" FROM \"Post\" WHERE \"published\" ORDER BY \"slug\"%s", testdb->byte_order), 0), "p1,p2");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(update_many, PostUpdateManyWithWhereInput,
                                                       { .where = NULL, .data = &(PostUpdateInput){ .views = { .increment = PRISMA_INT(10) } } }) } },
                   NULL));
    ck_assert_str_eq(qs(testdb_sql("SELECT \"views\" FROM \"Post\" ORDER BY \"slug\"%s", testdb->byte_order), 0), "10,10,15,0");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(update_many, PostUpdateManyWithWhereInput,
                                                       { .where = &(PostWhereInput){ .views = { .gte = PRISMA_INT(15) } },
                                                         .data = &(PostUpdateInput){ .title = "big" } },
                                                       { .where = &(PostWhereInput){ .views = { .lt = PRISMA_INT(15) } },
                                                         .data = &(PostUpdateInput){ .title = "small" } }) } },
                   NULL));
    ck_assert_str_eq(qs(testdb_sql("SELECT \"title\" FROM \"Post\" ORDER BY \"slug\"%s", testdb->byte_order), 0), "small,small,big,q1");
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(delete_many, PostWhereInput, { .views = { .lt = PRISMA_INT(15) } }) } }, NULL));
    ck_assert_str_eq(SLUGS_OF(a), "p3");
    ck_assert_str_eq(SLUGS_OF(b), "q1");
    OK(user_update(db, UID(a), &(UserUpdateInput){ .posts = { MANY(delete_many, PostWhereInput, { .AND = NULL }) } }, NULL));
    ck_assert_str_eq(SLUGS_OF(a), "");
    ck_assert_str_eq(SLUGS_OF(b), "q1");
    /* No hit, no change, no error. */
    OK(user_update(db, UID(b),
                   &(UserUpdateInput){ .posts = { MANY(update_many, PostUpdateManyWithWhereInput,
                                                       { .where = &(PostWhereInput){ .views = { .equals = PRISMA_INT(77) } },
                                                         .data = &(PostUpdateInput){ .title = "x" } }),
                                                  MANY(delete_many, PostWhereInput, { .views = { .equals = PRISMA_INT(77) } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", post_id("q1")), "q1");
    ck_assert_int_eq(rows("Post"), 1);
}
END_TEST

/* Items 59, 61, 66, 69, 75, 76 on PostToUser: every error, and nothing
 * changes. */
START_TEST(one_to_many_errors)
{
    int a = new_user("a@x"), b = new_user("b@x");
    int p1 = new_post(a, "p1");
    new_post(a, "p2");
    int q1 = new_post(b, "q1");
    snapshot before = snap();
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(connect, PostWhereUniqueInput, { .id = PRISMA_INT(q1) }, { .id = PRISMA_INT(99999) }) } },
                      NULL),
          "P2018", INCOMPLETE_CONNECT(2, 1, "one-to-many", "PostToUser"));
    ck_assert_str_eq(SLUGS_OF(b), "q1");
    FAILS(user_create(db, &(UserCreateInput){ .email = "c@x", .posts = { MANY(connect, PostWhereUniqueInput, { .slug = "nope" }) } }, NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-many", "PostToUser"));
    ck_assert_int_eq(user_id("c@x"), 0);
    FAILS(post_update(db, PID(p1), &(PostUpdateInput){ .author = { .connect = UID(99999) } }, NULL), "P2025",
          INLINE_CONNECT("User", "Post", "one-to-many", "PostToUser"));
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(update, PostUpdateWithWhereInput,
                                                          { .where = PID(q1), .data = &(PostUpdateInput){ .title = "x" } }) } },
                      NULL),
          "P2025", NESTED_MISSING("Post", "update", "one-to-many", "PostToUser"));
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(update, PostUpdateWithWhereInput,
                                                          { .where = PSLUG("nope"), .data = &(PostUpdateInput){ .title = "x" } }) } },
                      NULL),
          "P2025", NESTED_MISSING("Post", "update", "one-to-many", "PostToUser"));
    FAILS(user_update(db, UID(a), &(UserUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .id = PRISMA_INT(q1) }) } }, NULL),
          "P2017", NOT_CONNECTED("PostToUser", "User", "Post"));
    FAILS(user_update(db, UID(a), &(UserUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .slug = "nope" }) } }, NULL),
          "P2017", NOT_CONNECTED("PostToUser", "User", "Post"));
    /* authorId is required: unlinking a post would orphan it. */
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { MANY(disconnect, PostWhereUniqueInput, { .id = PRISMA_INT(p1) }) } }, NULL),
               "P2014", "'PostToUser'");
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { MANY(set, PostWhereUniqueInput, { .id = PRISMA_INT(p1) }), .set_given = true } },
                           NULL),
               "P2014", "'PostToUser'");
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { .set_given = true } }, NULL), "P2014", "'PostToUser'");
    FAILS_WITH(post_update(db, PID(p1), &(PostUpdateInput){ .author = { .disconnect = true } }, NULL), "P2014", "'PostToUser'");
    UNCHANGED(before);
    ck_assert_str_eq(SLUGS_OF(a), "p1,p2");
    ck_assert_str_eq(SLUGS_OF(b), "q1");
    ck_assert_str_eq(str_of("Post", "title", q1), "q1");
}
END_TEST

/* Items 58, 60, 63, 74: the to-one side of PostToUser inside an update. */
START_TEST(one_to_many_from_the_child_side_in_an_update)
{
    int a = new_user("a@x"), b = new_user("b@x");
    int p = new_post(a, "p");
    OK(post_update(db, PID(p), &(PostUpdateInput){ .author = { .connect = UID(b) } }, NULL));
    ck_assert_int_eq(col_of("Post", "authorId", p), b);
    /* The same record again: idempotent. */
    OK(post_update(db, PID(p), &(PostUpdateInput){ .author = { .connect = &(UserWhereUniqueInput){ .email = "b@x" } } }, NULL));
    ck_assert_int_eq(col_of("Post", "authorId", p), b);
    OK(post_update(db, PID(p), &(PostUpdateInput){ .author = { .update = &(UserUpdateInput){ .name = "Bee" } } }, NULL));
    ck_assert_str_eq(str_of("User", "name", b), "Bee");
    ck_assert_str_eq(str_of("User", "name", a), "NULL");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .author = { .upsert = &(UserUpsertWithWhereInput){ .create = &(UserCreateInput){ .email = "never@x" },
                                                                                           .update = &(UserUpdateInput){ .name = "B2" } } } },
                   NULL));
    ck_assert_str_eq(str_of("User", "name", b), "B2");
    ck_assert_int_eq(user_id("never@x"), 0);
    OK(post_update(db, PID(p), &(PostUpdateInput){ .title = "moved", .author = { .create = &(UserCreateInput){ .email = "c@x" } } }, NULL));
    int c = user_id("c@x");
    ck_assert_int_ne(c, 0);
    ck_assert_int_eq(col_of("Post", "authorId", p), c);
    ck_assert_str_eq(str_of("Post", "title", p), "moved");
    ck_assert_int_eq(rows("User"), 3);
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .author = { .connect_or_create = &(UserConnectOrCreateInput){
                                                       .where = &(UserWhereUniqueInput){ .email = "a@x" },
                                                       .create = &(UserCreateInput){ .email = "a@x" } } } },
                   NULL));
    ck_assert_int_eq(col_of("Post", "authorId", p), a);
    ck_assert_int_eq(rows("User"), 3);
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .author = { .connect_or_create = &(UserConnectOrCreateInput){
                                                       .where = &(UserWhereUniqueInput){ .email = "d@x" },
                                                       .create = &(UserCreateInput){ .email = "d@x" } } } },
                   NULL));
    ck_assert_int_eq(col_of("Post", "authorId", p), user_id("d@x"));
    ck_assert_int_eq(rows("User"), 4);
    ck_assert_int_eq(rows("Post"), 1);
}
END_TEST

/* ==== 1-n with an optional foreign key: Post.comments / Comment.post ==== */

/* Items 53, 57, 62, 64, 65, 67, 69, 74, 75: every operation from the parent
 * side; disconnecting what is not connected is a no-op; set replaces. */
START_TEST(optional_one_to_many_from_the_parent_side)
{
    int a = new_user("a@x");
    Post *made = NULL;
    OK(post_create_include(db,
                           &(PostCreateInput){ .title = "P", .slug = "P", .authorId = PRISMA_INT(a),
                                               .comments = { MANY(create, CommentCreateInput, { .text = "c1" }, { .text = "c2" },
                                                                  { .text = "c3", .likes = PRISMA_INT(1) }) } },
                           &(PostInclude){ .comments = true }, &made));
    ck_assert_ptr_nonnull(made->comments);
    ck_assert_uint_eq(made->comments->len, 3);
    int P_ = made->id;
    for (size_t i = 0; i < made->comments->len; i++) {
        ck_assert_ptr_nonnull(made->comments->items[i].postId);
        ck_assert_int_eq(*made->comments->items[i].postId, P_);
        ck_assert_int_eq(made->comments->items[i].id, comment_id(made->comments->items[i].text));
    }
    post_free(made);
    int Q = new_post(a, "Q");
    int cq = new_comment("cq", Q);
    new_comment("free", 0);
    ck_assert_str_eq(COMMENTS_OF(P_), "c1,c2,c3");

    /* disconnect: the FK becomes NULL; what is not connected is left alone. */
    OK(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { MANY(disconnect, CommentWhereUniqueInput, { .text = "c1" }) } }, NULL));
    ck_assert_int_eq(col_of("Comment", "postId", comment_id("c1")), NULLV);
    ck_assert_str_eq(COMMENTS_OF(P_), "c2,c3");
    OK(post_update(db, PID(P_),
                   &(PostUpdateInput){ .comments = { MANY(disconnect, CommentWhereUniqueInput, { .text = "c1" }, { .text = "cq" }, { .text = "nope" }) } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "c2,c3");
    ck_assert_int_eq(col_of("Comment", "postId", cq), Q);

    /* set replaces every link. */
    OK(post_update(db, PID(P_),
                   &(PostUpdateInput){ .comments = { MANY(set, CommentWhereUniqueInput, { .text = "c2" }, { .text = "free" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "c2,free");
    ck_assert_int_eq(col_of("Comment", "postId", comment_id("c3")), NULLV);
    /* A comment connected elsewhere moves. */
    OK(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { MANY(set, CommentWhereUniqueInput, { .text = "cq" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "cq");
    ck_assert_str_eq(COMMENTS_OF(Q), "");
    /* set with no records removes every link. */
    OK(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { .set_given = true } }, NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "");
    /* set entries that match nothing: the relation ends empty, no error. */
    OK(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { MANY(connect, CommentWhereUniqueInput, { .text = "c1" }) } }, NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "c1");
    OK(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { MANY(set, CommentWhereUniqueInput, { .text = "nope" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "");
    ck_assert_int_eq(rows("Comment"), 5);

    /* connect_or_create and create_many. */
    OK(post_update(db, PID(P_),
                   &(PostUpdateInput){ .comments = { MANY(connect_or_create, CommentConnectOrCreateInput,
                                                          { .where = CTEXT("c1"), .create = &(CommentCreateInput){ .text = "c1" } },
                                                          { .where = CTEXT("c4"), .create = &(CommentCreateInput){ .text = "c4" } }),
                                                     MANY(create_many, CommentCreateInput, { .text = "m1" }, { .text = "m2" }) } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(P_), "c1,c4,m1,m2");
    ck_assert_int_eq(rows("Comment"), 8);

    /* update, upsert (an update and a create) and delete. */
    OK(post_update(db, PID(P_),
                   &(PostUpdateInput){ .comments = {
                                           MANY(update, CommentUpdateWithWhereInput,
                                                { .where = CTEXT("c1"), .data = &(CommentUpdateInput){ .likes = { .increment = PRISMA_INT(5) } } }),
                                           MANY(upsert, CommentUpsertWithWhereInput,
                                                { .where = CTEXT("m1"),
                                                  .create = &(CommentCreateInput){ .text = "never" },
                                                  .update = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(7) } } },
                                                { .where = CTEXT("u1"),
                                                  .create = &(CommentCreateInput){ .text = "u1", .likes = PRISMA_INT(2) },
                                                  .update = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(99) } } }),
                                           DELETE_MANY_(CommentWhereUniqueInput, { .text = "m2" }) } },
                   NULL));
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("c1")), 5);
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("m1")), 7);
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("u1")), 2);
    ck_assert_int_eq(comment_id("never"), 0);
    ck_assert_int_eq(comment_id("m2"), 0);
    ck_assert_str_eq(COMMENTS_OF(P_), "c1,c4,m1,u1");

    /* Errors. */
    snapshot before = snap();
    FAILS(post_update(db, PID(P_),
                      &(PostUpdateInput){ .comments = { MANY(update, CommentUpdateWithWhereInput,
                                                             { .where = CTEXT("cq"), .data = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(1) } } }) } },
                      NULL),
          "P2025", NESTED_MISSING("Comment", "update", "one-to-many", "CommentToPost"));
    FAILS(post_update(db, PID(P_), &(PostUpdateInput){ .comments = { DELETE_MANY_(CommentWhereUniqueInput, { .text = "c2" }) } }, NULL),
          "P2017", NOT_CONNECTED("CommentToPost", "Post", "Comment"));
    FAILS(post_update(db, PID(P_),
                      &(PostUpdateInput){ .comments = { MANY(connect, CommentWhereUniqueInput, { .text = "c2" }, { .text = "nope" }) } }, NULL),
          "P2018", INCOMPLETE_CONNECT(2, 1, "one-to-many", "CommentToPost"));
    UNCHANGED(before);
    ck_assert_int_eq(col_of("Comment", "postId", comment_id("c2")), NULLV);
    ck_assert_int_eq(col_of("Comment", "likes", cq), 0);
}
END_TEST

/* Items 63, 64, 69, 74, 75 from the child side of an optional relation. */
START_TEST(optional_one_to_many_from_the_child_side)
{
    int a = new_user("a@x");
    int P_ = new_post(a, "P");
    int c = new_comment("c", 0);
#define CID(x) (&(CommentWhereUniqueInput){ .id = PRISMA_INT(x) })
    /* Nothing connected: disconnect is a no-op, update and delete are P2025. */
    OK(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .disconnect = true } }, NULL));
    ck_assert_int_eq(col_of("Comment", "postId", c), NULLV);
    snapshot before = snap();
    FAILS(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .update = &(PostUpdateInput){ .title = "x" } } }, NULL), "P2025",
          NESTED_MISSING("Post", "update", "one-to-many", "CommentToPost"));
    FAILS(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .delete_ = true } }, NULL), "P2025",
          NESTED_MISSING("Post", "delete", "one-to-many", "CommentToPost"));
    FAILS(comment_update(db, CID(c), &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(3) }, .post = { .connect = PID(99999) } }, NULL),
          "P2025", INLINE_CONNECT("Post", "Comment", "one-to-many", "CommentToPost"));
    UNCHANGED(before);
    ck_assert_int_eq(col_of("Comment", "likes", c), 0);

    OK(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .connect = PSLUG("P") } }, NULL));
    ck_assert_int_eq(col_of("Comment", "postId", c), P_);
    OK(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .update = &(PostUpdateInput){ .title = "T" } } }, NULL));
    ck_assert_str_eq(str_of("Post", "title", P_), "T");
    OK(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .disconnect = true } }, NULL));
    ck_assert_int_eq(col_of("Comment", "postId", c), NULLV);
    ck_assert_int_eq(col_of("Post", "id", P_), P_);

    /* upsert creates when nothing is connected, then updates the connected one. */
    OK(comment_update(db, CID(c),
                      &(CommentUpdateInput){ .post = { .upsert = &(PostUpsertWithWhereInput){
                                                           .create = &(PostCreateInput){ .title = "U", .slug = "U", .author = { .connect = UID(a) } },
                                                           .update = &(PostUpdateInput){ .title = "never" } } } },
                      NULL));
    int U = post_id("U");
    ck_assert_int_ne(U, 0);
    ck_assert_int_eq(col_of("Comment", "postId", c), U);
    ck_assert_str_eq(str_of("Post", "title", U), "U");
    OK(comment_update(db, CID(c),
                      &(CommentUpdateInput){ .post = { .upsert = &(PostUpsertWithWhereInput){
                                                           .create = &(PostCreateInput){ .title = "never", .slug = "U2", .author = { .connect = UID(a) } },
                                                           .update = &(PostUpdateInput){ .title = "U!" } } } },
                      NULL));
    ck_assert_str_eq(str_of("Post", "title", U), "U!");
    ck_assert_int_eq(post_id("U2"), 0);

    /* create: a new post (with a new author: Comment > Post > User). */
    OK(comment_update(db, CID(c),
                      &(CommentUpdateInput){ .post = { .create = &(PostCreateInput){ .title = "N", .slug = "N",
                                                                                     .author = { .create = &(UserCreateInput){ .email = "n@x" } } } } },
                      NULL));
    int N = post_id("N");
    ck_assert_int_eq(col_of("Comment", "postId", c), N);
    ck_assert_int_eq(col_of("Post", "authorId", N), user_id("n@x"));
    OK(comment_update(db, CID(c),
                      &(CommentUpdateInput){ .post = { .connect_or_create = &(PostConnectOrCreateInput){
                                                           .where = PSLUG("P"), .create = &(PostCreateInput){ .title = "never", .slug = "P" } } } },
                      NULL));
    ck_assert_int_eq(col_of("Comment", "postId", c), P_);

    /* delete: the post goes, the comment stays (onDelete: SetNull). */
    OK(comment_update(db, CID(c), &(CommentUpdateInput){ .post = { .delete_ = true } }, NULL));
    ck_assert_int_eq(col_of("Post", "id", P_), MISSING);
    ck_assert_int_eq(col_of("Comment", "postId", c), NULLV);

    /* In a create. */
    Comment *d = NULL;
    OK(comment_create(db, &(CommentCreateInput){ .text = "d", .post = { .connect = PSLUG("U") } }, &d));
    ck_assert_ptr_nonnull(d->postId);
    ck_assert_int_eq(*d->postId, U);
    comment_free(d);
    FAILS(comment_create(db, &(CommentCreateInput){ .text = "e", .post = { .connect = PSLUG("gone") } }, NULL), "P2025",
          INLINE_CONNECT("Post", "Comment", "one-to-many", "CommentToPost"));
    ck_assert_int_eq(comment_id("e"), 0);
}
END_TEST

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
#define PRID(x) (&(ProfileWhereUniqueInput){ .id = PRISMA_INT(x) })
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
#define PPID(x) (&(PassportWhereUniqueInput){ .id = PRISMA_INT(x) })
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

/* ==== implicit m-n: Post.tags / Tag.posts ==== */

/* Items 53, 58, 60, 62 from both sides. */
START_TEST(many_to_many_create_connect_and_connect_or_create)
{
    int a = new_user("a@x");
    new_tag("c");
    Post *p = NULL;
    OK(post_create_include(db,
                           &(PostCreateInput){ .title = "p", .slug = "p", .authorId = PRISMA_INT(a),
                                               .tags = { MANY(create, TagCreateInput, { .name = "a" }, { .name = "b" }),
                                                         MANY(connect, TagWhereUniqueInput, { .name = "c" }),
                                                         MANY(connect_or_create, TagConnectOrCreateInput,
                                                              { .where = TNAME("d"), .create = &(TagCreateInput){ .name = "d" } },
                                                              { .where = TNAME("c"), .create = &(TagCreateInput){ .name = "c" } }) } },
                           &(PostInclude){ .tags = true }, &p));
    ck_assert_ptr_nonnull(p->tags);
    ck_assert_uint_eq(p->tags->len, 4);
    for (size_t i = 0; i < p->tags->len; i++)
        ck_assert_int_eq(p->tags->items[i].id, tag_id(p->tags->items[i].name));
    int pid = p->id;
    post_free(p);
    ck_assert_str_eq(TAGS_OF(pid), "a,b,c,d");
    ck_assert_int_eq(rows("Tag"), 4);
    ck_assert_int_eq(rows("_PostToTag"), 4);
    /* From the tag side. */
    int q = new_post(a, "q");
    OK(tag_update(db, TNAME("c"), &(TagUpdateInput){ .posts = { MANY(connect, PostWhereUniqueInput, { .slug = "q" }) } }, NULL));
    ck_assert_str_eq(TAGS_OF(q), "c");
    OK(tag_create(db,
                  &(TagCreateInput){ .name = "e",
                                     .posts = { MANY(create, PostCreateInput, { .title = "r", .slug = "r", .author = { .connect = UID(a) } }),
                                                MANY(connect, PostWhereUniqueInput, { .slug = "q" }) } },
                  NULL));
    ck_assert_str_eq(TAGS_OF(q), "c,e");
    ck_assert_str_eq(TAGS_OF(post_id("r")), "e");
    ck_assert_int_eq(col_of("Post", "authorId", post_id("r")), a);
    OK(tag_update(db, TNAME("a"),
                  &(TagUpdateInput){ .posts = { MANY(connect_or_create, PostConnectOrCreateInput,
                                                     { .where = PSLUG("s"),
                                                       .create = &(PostCreateInput){ .title = "s", .slug = "s", .author = { .connect = UID(a) } } }) } },
                  NULL));
    ck_assert_str_eq(TAGS_OF(post_id("s")), "a");
    /* Connecting what is already connected is not an error (item 60). */
    OK(post_update(db, PID(q), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "a" }) } }, NULL));
    ck_assert_str_eq(TAGS_OF(q), "a,c,e");
    int64_t links = rows("_PostToTag");
    OK(post_update(db, PID(q), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "a" }, { .name = "c" }) } }, NULL));
    OK(post_update(db, PID(q),
                   &(PostUpdateInput){ .tags = { MANY(connect_or_create, TagConnectOrCreateInput,
                                                      { .where = TNAME("e"), .create = &(TagCreateInput){ .name = "e" } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(q), "a,c,e");
    ck_assert_int_eq(rows("_PostToTag"), links);
    ck_assert_int_eq(rows("Tag"), 5);
}
END_TEST

/* Items 65, 67, 68 on m-n. */
START_TEST(many_to_many_set_and_disconnect)
{
    int a = new_user("a@x");
    new_tag("a");
    new_tag("b");
    new_tag("c");
    new_tag("d");
    int p = new_post(a, "p");
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "a" }, { .name = "b" }) } }, NULL));
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(set, TagWhereUniqueInput, { .name = "c" }, { .name = "d" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "c,d");
    /* One kept, one new (issue 28151: linked and new ones end up linked). */
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(set, TagWhereUniqueInput, { .name = "c" }, { .name = "d" }, { .name = "a" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "a,c,d");
    /* disconnect: b is not connected (a no-op), a and d are; the tags stay. */
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(disconnect, TagWhereUniqueInput, { .name = "a" }, { .name = "b" }, { .name = "d" }) } }, NULL));
    ck_assert_str_eq(TAGS_OF(p), "c");
    ck_assert_int_eq(rows("Tag"), 4);
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { .set_given = true } }, NULL));
    ck_assert_str_eq(TAGS_OF(p), "");
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "a" }) } }, NULL));
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(set, TagWhereUniqueInput, { .name = "nope" }), .set_given = true } }, NULL));
    ck_assert_str_eq(TAGS_OF(p), "");
    ck_assert_int_eq(rows("_PostToTag"), 0);
    /* From the tag side. */
    int q = new_post(a, "q");
    OK(tag_update(db, TNAME("a"), &(TagUpdateInput){ .posts = { MANY(set, PostWhereUniqueInput, { .slug = "p" }, { .slug = "q" }), .set_given = true } },
                  NULL));
    ck_assert_str_eq(TAGS_OF(p), "a");
    ck_assert_str_eq(TAGS_OF(q), "a");
    OK(tag_update(db, TNAME("a"), &(TagUpdateInput){ .posts = { MANY(disconnect, PostWhereUniqueInput, { .slug = "q" }) } }, NULL));
    ck_assert_str_eq(TAGS_OF(q), "");
    ck_assert_str_eq(TAGS_OF(p), "a");
    ck_assert_int_eq(rows("Post"), 2);
}
END_TEST

/* Items 59, 69, 71, 74, 75, 76, 77 on m-n. */
START_TEST(many_to_many_update_upsert_delete_and_errors)
{
    int a = new_user("a@x");
    Post *made = NULL;
    OK(post_create(db, &(PostCreateInput){ .title = "p", .slug = "p", .authorId = PRISMA_INT(a), .tags = { MANY(create, TagCreateInput, { .name = "t1" }, { .name = "t2" }) } },
                   &made));
    int p = made->id;
    post_free(made);
    int q = new_post(a, "q");
    OK(post_update(db, PID(q), &(PostUpdateInput){ .tags = { MANY(create, TagCreateInput, { .name = "t3" }) } }, NULL));
    new_tag("tz");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(update, TagUpdateWithWhereInput, { .where = TNAME("t1"), .data = &(TagUpdateInput){ .name = "T1" } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "T1,t2");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(upsert, TagUpsertWithWhereInput,
                                                      { .where = TNAME("t2"), .create = &(TagCreateInput){ .name = "never" }, .update = &(TagUpdateInput){ .name = "T2" } },
                                                      { .where = TNAME("t4"), .create = &(TagCreateInput){ .name = "t4" }, .update = &(TagUpdateInput){ .name = "never" } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "T1,T2,t4");
    ck_assert_int_eq(tag_id("never"), 0);
    OK(post_update(db, PID(p), &(PostUpdateInput){ .tags = { DELETE_MANY_(TagWhereUniqueInput, { .name = "T1" }) } }, NULL));
    ck_assert_int_eq(tag_id("T1"), 0);
    ck_assert_str_eq(TAGS_OF(p), "T2,t4");

    snapshot before = snap();
    FAILS(post_update(db, PID(p),
                      &(PostUpdateInput){ .tags = { MANY(update, TagUpdateWithWhereInput, { .where = TNAME("t3"), .data = &(TagUpdateInput){ .name = "x" } }) } },
                      NULL),
          "P2025", NESTED_MISSING("Tag", "update", "many-to-many", "PostToTag"));
    FAILS(post_update(db, PID(p), &(PostUpdateInput){ .tags = { DELETE_MANY_(TagWhereUniqueInput, { .name = "t3" }) } }, NULL), "P2017",
          NOT_CONNECTED("PostToTag", "Post", "Tag"));
    FAILS(tag_update(db, TNAME("t3"), &(TagUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .slug = "p" }) } }, NULL), "P2017",
          NOT_CONNECTED("PostToTag", "Tag", "Post"));
    FAILS(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "tz" }, { .name = "nope" }) } }, NULL),
          "P2025", M2N_CONNECT(2, 1));
    FAILS(post_create(db, &(PostCreateInput){ .title = "n", .slug = "n", .authorId = PRISMA_INT(a), .tags = { MANY(connect, TagWhereUniqueInput, { .name = "nope" }) } },
                      NULL),
          "P2025", M2N_CONNECT(1, 0));
    UNCHANGED(before);
    ck_assert_str_eq(TAGS_OF(p), "T2,t4");
    ck_assert_str_eq(TAGS_OF(q), "t3");

    /* update_many and delete_many: only the connected records. */
    OK(post_update(db, PID(q), &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "tz" }, { .name = "t4" }) } }, NULL));
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(delete_many, TagWhereInput, { .name = { .starts_with = "t" } }) } }, NULL));
    ck_assert_int_eq(tag_id("t4"), 0);
    ck_assert_int_ne(tag_id("t3"), 0);
    ck_assert_int_ne(tag_id("tz"), 0);
    ck_assert_str_eq(TAGS_OF(p), "T2");
    ck_assert_str_eq(TAGS_OF(q), "t3,tz");
    int r = new_post(a, "r");
    OK(tag_update(db, TNAME("tz"),
                  &(TagUpdateInput){ .posts = { MANY(update_many, PostUpdateManyWithWhereInput,
                                                     { .where = NULL, .data = &(PostUpdateInput){ .views = { .increment = PRISMA_INT(1) } } }) } },
                  NULL));
    ck_assert_int_eq(col_of("Post", "views", q), 1);
    ck_assert_int_eq(col_of("Post", "views", p), 0);
    ck_assert_int_eq(col_of("Post", "views", r), 0);
    OK(tag_update(db, TNAME("tz"), &(TagUpdateInput){ .posts = { MANY(delete_many, PostWhereInput, { .AND = NULL }) } }, NULL));
    ck_assert_int_eq(col_of("Post", "id", q), MISSING);
    ck_assert_int_eq(col_of("Post", "id", p), p);
    ck_assert_int_eq(col_of("Post", "id", r), r);
    ck_assert_int_eq(qi("SELECT COUNT(*) FROM \"_PostToTag\" WHERE \"A\" = $1", q), 0);
}
END_TEST

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

/* ==== depth ==== */

#define REACTIONS_OF(comment) \
    qs(testdb_sql("SELECT \"kind\" FROM \"Reaction\" WHERE \"commentId\" = $1 ORDER BY \"kind\"%s", testdb->byte_order), comment)

/* Item 79: four levels in one create, through every shape on the way. */
static int deep_user(void)
{
    User *u = NULL;
    OK(user_create_include(
        db,
        &(UserCreateInput){
            .email = "deep@x",
            .profile = { .create = &(ProfileCreateInput){ .bio = "bio" } },
            .passport = { .create = &(PassportCreateInput){ .number = "N" } },
            .posts = { MANY(create, PostCreateInput,
                            { .title = "p1", .slug = "p1",
                              .tags = { MANY(create, TagCreateInput, { .name = "t1" }) },
                              .comments = { MANY(create, CommentCreateInput,
                                                 { .text = "c1", .reactions = { MANY(create, ReactionCreateInput, { .kind = "like" }, { .kind = "wow" }) } },
                                                 { .text = "c2" }) } },
                            { .title = "p2", .slug = "p2",
                              .comments = { MANY(create_many, CommentCreateInput, { .text = "c3" }, { .text = "c4" }) } }) } },
        &(UserInclude){ .posts = true, .profile = true, .passport = true }, &u));
    ck_assert_ptr_nonnull(u->posts);
    ck_assert_uint_eq(u->posts->len, 2);
    ck_assert_ptr_nonnull(u->profile);
    ck_assert_ptr_nonnull(u->passport);
    int id = u->id;
    user_free(u);
    return id;
}

START_TEST(nested_creates_four_levels_deep)
{
    int u = deep_user();
    ck_assert_int_eq(rows("User"), 1);
    ck_assert_int_eq(rows("Profile"), 1);
    ck_assert_int_eq(rows("Passport"), 1);
    ck_assert_int_eq(rows("Post"), 2);
    ck_assert_int_eq(rows("Comment"), 4);
    ck_assert_int_eq(rows("Reaction"), 2);
    ck_assert_int_eq(rows("Tag"), 1);
    ck_assert_int_eq(rows("_PostToTag"), 1);
    ck_assert_str_eq(SLUGS_OF(u), "p1,p2");
    ck_assert_str_eq(PROFILE_OF(u), "bio");
    ck_assert_str_eq(PASSPORT_OF(u), "N");
    ck_assert_str_eq(COMMENTS_OF(post_id("p1")), "c1,c2");
    ck_assert_str_eq(COMMENTS_OF(post_id("p2")), "c3,c4");
    ck_assert_str_eq(TAGS_OF(post_id("p1")), "t1");
    ck_assert_str_eq(REACTIONS_OF(comment_id("c1")), "like,wow");
    /* Self 1-n, four generations. */
    OK(person_create(db,
                     &(PersonCreateInput){
                         .name = "g0",
                         .children = { MANY(create, PersonCreateInput,
                                            { .name = "g1",
                                              .children = { MANY(create, PersonCreateInput,
                                                                 { .name = "g2", .children = { MANY(create, PersonCreateInput, { .name = "g3" }) } }) } }) } },
                     NULL));
    ck_assert_str_eq(CHILDREN_OF(person_id("g2")), "g3");
    ck_assert_str_eq(CHILDREN_OF(person_id("g1")), "g2");
    ck_assert_str_eq(CHILDREN_OF(person_id("g0")), "g1");
}
END_TEST

/* Item 79 in updates and upserts: every level runs. */
START_TEST(nested_updates_at_every_level)
{
    int u = deep_user();
    int c1 = comment_id("c1");
    const CommentUpdateInput c1_update = {
        .likes = { .increment = PRISMA_INT(1) },
        .reactions = { MANY(create, ReactionCreateInput, { .kind = "sad" }),
                       MANY(update_many, ReactionUpdateManyWithWhereInput,
                            { .where = &(ReactionWhereInput){ .kind = { .equals = "like" } }, .data = &(ReactionUpdateInput){ .kind = "LIKE" } }),
                       MANY(delete_many, ReactionWhereInput, { .kind = { .equals = "wow" } }) },
    };
    const PostUpdateInput p1_update = {
        .title = "P1",
        .tags = { MANY(create, TagCreateInput, { .name = "t2" }) },
        .comments = { MANY(update, CommentUpdateWithWhereInput, { .where = CTEXT("c1"), .data = &c1_update }),
                      MANY(create, CommentCreateInput, { .text = "c5", .reactions = { MANY(create, ReactionCreateInput, { .kind = "new" }) } }) },
    };
    const UserUpdateInput user_update_in = {
        .name = "Deep",
        .profile = { .update = &(ProfileUpdateInput){ .bio = "B" } },
        .posts = { MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("p1"), .data = &p1_update }) },
    };
    OK(user_update(db, UID(u), &user_update_in, NULL));
    ck_assert_str_eq(str_of("User", "name", u), "Deep");
    ck_assert_str_eq(PROFILE_OF(u), "B");
    ck_assert_str_eq(str_of("Post", "title", post_id("p1")), "P1");
    ck_assert_str_eq(TAGS_OF(post_id("p1")), "t1,t2");
    ck_assert_int_eq(col_of("Comment", "likes", c1), 1);
    ck_assert_str_eq(REACTIONS_OF(c1), "LIKE,sad");
    ck_assert_str_eq(COMMENTS_OF(post_id("p1")), "c1,c2,c5");
    ck_assert_str_eq(REACTIONS_OF(comment_id("c5")), "new");

    /* upsert on an existing user: its update branch carries nested writes. */
    User *r = NULL;
    OK(user_upsert_include(db, &(UserWhereUniqueInput){ .email = "deep@x" },
                           &(UserCreateInput){ .email = "deep@x", .posts = { MANY(create, PostCreateInput, { .title = "never", .slug = "never" }) } },
                           &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                               { .title = "p3", .slug = "p3",
                                                                 .comments = { MANY(create, CommentCreateInput, { .text = "c6" }) } }) } },
                           &(UserInclude){ .posts = true }, &r));
    ck_assert_ptr_nonnull(r->posts);
    ck_assert_uint_eq(r->posts->len, 3);
    user_free(r);
    ck_assert_int_eq(post_id("never"), 0);
    ck_assert_str_eq(COMMENTS_OF(post_id("p3")), "c6");
    /* upsert of a new user: its create branch carries nested writes. */
    OK(user_upsert_include(db, &(UserWhereUniqueInput){ .email = "fresh@x" },
                           &(UserCreateInput){ .email = "fresh@x",
                                               .posts = { MANY(create, PostCreateInput,
                                                               { .title = "f1", .slug = "f1", .tags = { MANY(connect, TagWhereUniqueInput, { .name = "t1" }) } }) } },
                           &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "never", .slug = "never" }) } },
                           &(UserInclude){ .posts = true }, &r));
    ck_assert_ptr_nonnull(r->posts);
    ck_assert_uint_eq(r->posts->len, 1);
    ck_assert_int_eq(r->posts->items[0].id, post_id("f1"));
    user_free(r);
    ck_assert_int_eq(post_id("never"), 0);
    ck_assert_str_eq(TAGS_OF(post_id("f1")), "t1");
}
END_TEST

/* ==== the order of operations on one relation (item 78) ==== */

START_TEST(operations_on_one_relation_run_in_prismas_order)
{
    int a = new_user("a@x");
    /* create, then update the new post */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "n1", .slug = "n1" }),
                                                  MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("n1"), .data = &(PostUpdateInput){ .title = "N1" } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", post_id("n1")), "N1");
    /* create, then delete it */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "n2", .slug = "n2" }),
                                                  DELETE_MANY_(PostWhereUniqueInput, { .slug = "n2" }) } },
                   NULL));
    ck_assert_int_eq(post_id("n2"), 0);
    /* create, then upsert it: updated, not created again */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "n3", .slug = "n3" }),
                                                  MANY(upsert, PostUpsertWithWhereInput,
                                                       { .where = PSLUG("n3"),
                                                         .create = &(PostCreateInput){ .title = "dup", .slug = "n3dup" },
                                                         .update = &(PostUpdateInput){ .title = "N3" } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", post_id("n3")), "N3");
    ck_assert_int_eq(post_id("n3dup"), 0);
    /* create before create_many: the create's row is the one kept */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "first", .slug = "n0" }),
                                                  MANY(create_many, PostCreateInput, { .title = "second", .slug = "n0" }), .skip_duplicates = true } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", post_id("n0")), "first");
    OK(user_update(db, UID(a), &(UserUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .slug = "n0" }) } }, NULL));
    /* create_many, then update */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(create_many, PostCreateInput, { .title = "n4", .slug = "n4" }),
                                                  MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("n4"), .data = &(PostUpdateInput){ .title = "N4" } }) } },
                   NULL));
    ck_assert_str_eq(str_of("Post", "title", post_id("n4")), "N4");
    /* update, then delete the same post */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("n1"), .data = &(PostUpdateInput){ .title = "x" } }),
                                                  DELETE_MANY_(PostWhereUniqueInput, { .slug = "n1" }) } },
                   NULL));
    ck_assert_int_eq(post_id("n1"), 0);
    /* upsert (a create), then delete */
    OK(user_update(db, UID(a),
                   &(UserUpdateInput){ .posts = { MANY(upsert, PostUpsertWithWhereInput,
                                                       { .where = PSLUG("n5"),
                                                         .create = &(PostCreateInput){ .title = "n5", .slug = "n5" },
                                                         .update = &(PostUpdateInput){ .title = "x" } }),
                                                  DELETE_MANY_(PostWhereUniqueInput, { .slug = "n5" }) } },
                   NULL));
    ck_assert_int_eq(post_id("n5"), 0);
    /* delete, then connect: the connect no longer finds it, and nothing is deleted */
    new_post(a, "n6");
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { DELETE_MANY_(PostWhereUniqueInput, { .slug = "n6" }),
                                                     MANY(connect, PostWhereUniqueInput, { .slug = "n6" }) } },
                      NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-many", "PostToUser"));
    ck_assert_int_ne(post_id("n6"), 0);
    ck_assert_str_eq(SLUGS_OF(a), "n3,n4,n6");

    /* m-n: create then set; connect then set; connect_or_create then set;
     * set then disconnect; create then disconnect. */
    int p = new_post(a, "p");
    new_tag("a");
    new_tag("b");
    new_tag("c");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(create, TagCreateInput, { .name = "new1" }),
                                                 MANY(set, TagWhereUniqueInput, { .name = "new1" }, { .name = "b" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "b,new1");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(connect, TagWhereUniqueInput, { .name = "a" }),
                                                 MANY(set, TagWhereUniqueInput, { .name = "c" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "c");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(connect_or_create, TagConnectOrCreateInput,
                                                      { .where = TNAME("new2"), .create = &(TagCreateInput){ .name = "new2" } }),
                                                 MANY(set, TagWhereUniqueInput, { .name = "a" }), .set_given = true } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "a");
    ck_assert_int_ne(tag_id("new2"), 0);
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(set, TagWhereUniqueInput, { .name = "a" }, { .name = "b" }), .set_given = true,
                                                 MANY(disconnect, TagWhereUniqueInput, { .name = "a" }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "b");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .tags = { MANY(create, TagCreateInput, { .name = "new3" }), MANY(disconnect, TagWhereUniqueInput, { .name = "new3" }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(p), "b");
    ck_assert_int_ne(tag_id("new3"), 0);

    /* 1-n with an optional key: disconnect before update_many, update_many
     * before delete_many, create before update_many, update before upsert. */
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { MANY(create, CommentCreateInput, { .text = "k1" }, { .text = "k2" }),
                                                     MANY(disconnect, CommentWhereUniqueInput, { .text = "k1" }),
                                                     MANY(update_many, CommentUpdateManyWithWhereInput,
                                                          { .where = NULL, .data = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(9) } } }) } },
                   NULL));
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("k1")), 0);
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("k2")), 9);
    ck_assert_str_eq(COMMENTS_OF(p), "k2");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { MANY(create, CommentCreateInput, { .text = "k3" }),
                                                     MANY(update_many, CommentUpdateManyWithWhereInput,
                                                          { .where = NULL, .data = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(3) } } }) } },
                   NULL));
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("k3")), 3);
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("k2")), 3);
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { MANY(update, CommentUpdateWithWhereInput,
                                                          { .where = CTEXT("k3"), .data = &(CommentUpdateInput){ .text = "K3" } }),
                                                     MANY(upsert, CommentUpsertWithWhereInput,
                                                          { .where = CTEXT("K3"),
                                                            .create = &(CommentCreateInput){ .text = "never" },
                                                            .update = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(4) } } }) } },
                   NULL));
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("K3")), 4);
    ck_assert_int_eq(comment_id("never"), 0);
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { MANY(update_many, CommentUpdateManyWithWhereInput,
                                                          { .where = NULL, .data = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(7) } } }),
                                                     MANY(delete_many, CommentWhereInput, { .likes = { .equals = PRISMA_INT(7) } }) } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(p), "");
    ck_assert_int_ne(comment_id("k1"), 0);
    ck_assert_int_eq(comment_id("k2"), 0);
    ck_assert_int_eq(rows("Comment"), 1);
    /* connect before disconnect: the same comment ends disconnected */
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { MANY(connect, CommentWhereUniqueInput, { .text = "k1" }),
                                                     MANY(disconnect, CommentWhereUniqueInput, { .text = "k1" }) } },
                   NULL));
    ck_assert_str_eq(COMMENTS_OF(p), "");
    /* delete before connect_or_create: the comment is created again */
    OK(post_update(db, PID(p), &(PostUpdateInput){ .comments = { MANY(connect, CommentWhereUniqueInput, { .text = "k1" }) } }, NULL));
    int k1 = comment_id("k1");
    OK(post_update(db, PID(p),
                   &(PostUpdateInput){ .comments = { DELETE_MANY_(CommentWhereUniqueInput, { .text = "k1" }),
                                                     MANY(connect_or_create, CommentConnectOrCreateInput,
                                                          { .where = CTEXT("k1"), .create = &(CommentCreateInput){ .text = "k1", .likes = PRISMA_INT(1) } }) } },
                   NULL));
    ck_assert_int_ne(comment_id("k1"), k1);
    ck_assert_int_eq(col_of("Comment", "likes", comment_id("k1")), 1);
    ck_assert_str_eq(COMMENTS_OF(p), "k1");
}
END_TEST

/* ==== atomicity ==== */

/* A user with a profile, a passport, two posts (with tags, comments and
 * reactions), whose last step fails in one of four ways. */
static int big_failing_create(prisma_client *c, int how)
{
    const TagWhereUniqueInput missing_tag[] = { { .name = "t-old" }, { .name = "nope" } };
    const CommentCreateInput last_comments[] = { { .text = "fresh" }, { .text = how == 1 ? "taken" : "fresh2" } };
    PostCreateInput posts[] = {
        { .title = "f1", .slug = "f1",
          .tags = { MANY(create, TagCreateInput, { .name = "t-new" }),
                    MANY(connect_or_create, TagConnectOrCreateInput, { .where = TNAME("t-new2"), .create = &(TagCreateInput){ .name = "t-new2" } }) },
          .comments = { MANY(create, CommentCreateInput, { .text = "fc", .reactions = { MANY(create, ReactionCreateInput, { .kind = "like" }) } }) } },
        { .title = "f2", .slug = "f2",
          .comments = { .create = last_comments, .create_len = 2 },
          .tags = { .connect = how == 2 ? missing_tag : NULL, .connect_len = how == 2 ? 2 : 0 } },
    };
    const PostWhereUniqueInput missing_post[] = { { .slug = "q" }, { .slug = "nope" } };
    UserCreateInput in = {
        .email = "new@x",
        .profile = { .create = &(ProfileCreateInput){ .bio = "b" } },
        .posts = { .create = posts, .create_len = 2,
                   .connect = how == 0 ? missing_post : NULL, .connect_len = how == 0 ? 2 : 0 },
        .passport = { .create = how == 3 ? &(PassportCreateInput){ .number = "taken" } : &(PassportCreateInput){ .number = "new" } },
    };
    return user_create(c, &in, NULL);
}

static const char *const big_codes[] = { "P2018", "P2002", "P2025", "P2002" };

static void make_old_data(void)
{
    int b = new_user("b@x");
    new_post(b, "q");
    new_tag("t-old");
    new_comment("taken", 0);
    OK(passport_create(db, &(PassportCreateInput){ .number = "taken" }, NULL));
}

/* Issue 5: a nested create that fails at its last step leaves no trace. */
START_TEST(a_failing_nested_create_leaves_no_trace)
{
    make_old_data();
    snapshot before = snap();
    for (int how = 0; how < 4; how++) {
        FAILS(big_failing_create(db, how), big_codes[how], NULL);
        UNCHANGED(before);
        ck_assert_int_eq(user_id("new@x"), 0);
        ck_assert_int_eq(tag_id("t-new"), 0);
        ck_assert_str_eq(SLUGS_OF(user_id("b@x")), "q");
    }
    /* upsert: a failing nested write in either branch leaves nothing. */
    FAILS(user_upsert(db, &(UserWhereUniqueInput){ .email = "new@x" },
                      &(UserCreateInput){ .email = "new@x", .posts = { MANY(create, PostCreateInput, { .title = "u1", .slug = "u1" }),
                                                                       MANY(connect, PostWhereUniqueInput, { .slug = "nope" }) } },
                      &(UserUpdateInput){ .name = "never" }, NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-many", "PostToUser"));
    FAILS(user_upsert(db, &(UserWhereUniqueInput){ .email = "b@x" }, &(UserCreateInput){ .email = "b@x" },
                      &(UserUpdateInput){ .name = "never", .posts = { MANY(create, PostCreateInput, { .title = "u1", .slug = "u1" }),
                                                                      DELETE_MANY_(PostWhereUniqueInput, { .slug = "nope" }) } },
                      NULL),
          "P2017", NOT_CONNECTED("PostToUser", "User", "Post"));
    UNCHANGED(before);
    ck_assert_str_eq(str_of("User", "name", user_id("b@x")), "NULL");
    /* The same input without the failure goes through. */
    OK(big_failing_create(db, 4));
    snapshot after = snap();
    ck_assert_int_eq(total_rows(&after) - total_rows(&before), 1 + 1 + 1 + 2 + 3 + 1 + 2 + 2);
    ck_assert_str_eq(SLUGS_OF(user_id("new@x")), "f1,f2");
}
END_TEST

/* Item 70: a failing nested update changes nothing, not even the parent's
 * own fields, whatever ran before the failing step. */
START_TEST(a_failing_nested_update_leaves_no_trace)
{
    User *u = NULL;
    OK(user_create(db,
                   &(UserCreateInput){ .email = "a@x",
                                       .profile = { .create = &(ProfileCreateInput){ .bio = "bio" } },
                                       .posts = { MANY(create, PostCreateInput,
                                                       { .title = "p1", .slug = "p1", .tags = { MANY(create, TagCreateInput, { .name = "t1" }) },
                                                         .comments = { MANY(create, CommentCreateInput, { .text = "c1" }) } },
                                                       { .title = "p2", .slug = "p2" }) } },
                   &u));
    int a = u->id;
    user_free(u);
    int b = new_user("b@x");
    new_post(b, "q");
    snapshot before = snap();
    /* The connect (after create, update and delete) fails. */
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .name = "changed",
                                          .profile = { .update = &(ProfileUpdateInput){ .bio = "changed" } },
                                          .posts = { MANY(create, PostCreateInput, { .title = "p3", .slug = "p3", .comments = { MANY(create, CommentCreateInput, { .text = "c3" }) } }),
                                                     MANY(update, PostUpdateWithWhereInput,
                                                          { .where = PSLUG("p1"),
                                                            .data = &(PostUpdateInput){ .title = "changed", .tags = { MANY(create, TagCreateInput, { .name = "t2" }) } } }),
                                                     DELETE_MANY_(PostWhereUniqueInput, { .slug = "p2" }),
                                                     MANY(connect, PostWhereUniqueInput, { .slug = "q" }, { .slug = "nope" }) } },
                      NULL),
          "P2018", INCOMPLETE_CONNECT(2, 1, "one-to-many", "PostToUser"));
    UNCHANGED(before);
    ck_assert_str_eq(str_of("User", "name", a), "NULL");
    ck_assert_str_eq(PROFILE_OF(a), "bio");
    ck_assert_str_eq(str_of("Post", "title", post_id("p1")), "p1");
    ck_assert_str_eq(SLUGS_OF(a), "p1,p2");
    ck_assert_str_eq(SLUGS_OF(b), "q");
    ck_assert_str_eq(TAGS_OF(post_id("p1")), "t1");
    /* A failure two levels down, after the other writes of the level above. */
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .name = "changed",
                                          .posts = { MANY(update, PostUpdateWithWhereInput,
                                                          { .where = PSLUG("p1"),
                                                            .data = &(PostUpdateInput){
                                                                .title = "changed",
                                                                .comments = { MANY(create, CommentCreateInput, { .text = "c4" }),
                                                                              MANY(update, CommentUpdateWithWhereInput,
                                                                                   { .where = CTEXT("nope"), .data = &(CommentUpdateInput){ .likes = { .set = PRISMA_INT(1) } } }) } } }) } },
                      NULL),
          "P2025", NESTED_MISSING("Comment", "update", "one-to-many", "CommentToPost"));
    UNCHANGED(before);
    ck_assert_str_eq(str_of("User", "name", a), "NULL");
    ck_assert_int_eq(comment_id("c4"), 0);
    /* And a to-one create that would orphan the profile (P2014), last. */
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .name = "changed",
                                          .posts = { MANY(create, PostCreateInput, { .title = "p4", .slug = "p4" }) },
                                          .profile = { .create = &(ProfileCreateInput){ .bio = "second" } } },
                      NULL),
          "P2014", REQUIRED_RELATION("ProfileToUser", "Profile", "User"));
    UNCHANGED(before);
    ck_assert_int_eq(post_id("p4"), 0);
}
END_TEST

typedef struct tx_work {
    int user;
    const char *prefix; /* of the slugs and tag names written */
    int create_rc, update_rc;
    char create_code[16], update_code[16];
    bool fail_at_end;
} tx_work;

static int nested_in_tx(prisma_client *tx, void *arg)
{
    tx_work *w = arg;
    char s1n[16], s2n[16], s3n[16], tn[16];
    snprintf(s1n, sizeof s1n, "%s1", w->prefix);
    snprintf(s2n, sizeof s2n, "%s2", w->prefix);
    snprintf(s3n, sizeof s3n, "%s3", w->prefix);
    snprintf(tn, sizeof tn, "%stag", w->prefix);
    OKC(tx, user_update(tx, UID(w->user), &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = s1n, .slug = s1n }) } }, NULL));
    snapshot s1 = snap_on(tx);
    w->create_rc = big_failing_create(tx, 0);
    snprintf(w->create_code, sizeof w->create_code, "%s", code_of(tx));
    snapshot s2 = snap_on(tx);
    same_rows(&s1, &s2);
    w->update_rc = user_update(tx, UID(w->user),
                               &(UserUpdateInput){ .name = "changed",
                                                   .posts = { MANY(create, PostCreateInput, { .title = s2n, .slug = s2n }),
                                                              DELETE_MANY_(PostWhereUniqueInput, { .slug = "nope" }) } },
                               NULL);
    snprintf(w->update_code, sizeof w->update_code, "%s", code_of(tx));
    snapshot s3 = snap_on(tx);
    same_rows(&s1, &s3);
    OKC(tx, user_update(tx, UID(w->user),
                        &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = s3n, .slug = s3n, .tags = { MANY(create, TagCreateInput, { .name = tn }) } }) } },
                        NULL));
    if (w->fail_at_end)
        return prisma_fail(tx, "no");
    return PRISMA_OK;
}

/* Issue 5: inside an interactive transaction a failing nested write is undone
 * (a savepoint) and the transaction goes on and commits the other writes. */
START_TEST(a_failing_nested_write_inside_a_transaction_is_undone_and_the_transaction_goes_on)
{
    make_old_data();
    int a = new_user("a@x");
    snapshot before = snap();
    tx_work w = { .user = a, .prefix = "t" };
    OK(prisma_transaction(db, nested_in_tx, &w, NULL));
    ck_assert_int_eq(w.create_rc, PRISMA_ERROR);
    ck_assert_str_eq(w.create_code, "P2018");
    ck_assert_int_eq(w.update_rc, PRISMA_ERROR);
    ck_assert_str_eq(w.update_code, "P2017");
    ck_assert_str_eq(SLUGS_OF(a), "t1,t3");
    ck_assert_str_eq(TAGS_OF(post_id("t3")), "ttag");
    ck_assert_str_eq(str_of("User", "name", a), "NULL");
    ck_assert_int_eq(user_id("new@x"), 0);
    snapshot after = snap();
    ck_assert_int_eq(total_rows(&after) - total_rows(&before), 2 + 1 + 1);
    /* When the transaction itself rolls back, the nested writes that
     * succeeded in it go too. */
    w = (tx_work){ .user = a, .prefix = "u", .fail_at_end = true };
    ck_assert_int_eq(prisma_transaction(db, nested_in_tx, &w, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), "USER");
    UNCHANGED(after);
    /* The same in a manual transaction: the failed nested write is undone,
     * the transaction stays usable and commits the rest. */
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    OKC(tx, user_update(tx, UID(a), &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "v1", .slug = "v1" }) } }, NULL));
    FAILS_ON(tx, big_failing_create(tx, 1), "P2002", NULL);
    FAILS_ON(tx,
             user_update(tx, UID(a),
                         &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "v2", .slug = "v2" }),
                                                        MANY(update, PostUpdateWithWhereInput, { .where = PSLUG("q"), .data = &(PostUpdateInput){ .title = "x" } }) } },
                         NULL),
             "P2025", NESTED_MISSING("Post", "update", "one-to-many", "PostToUser"));
    OKC(tx, user_update(tx, UID(a), &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput, { .title = "v3", .slug = "v3" }) } }, NULL));
    OKC(tx, prisma_tx_commit(tx));
    prisma_tx_free(tx);
    ck_assert_str_eq(SLUGS_OF(a), "t1,t3,v1,v3");
    ck_assert_str_eq(str_of("Post", "title", post_id("q")), "q");
    ck_assert_int_eq(user_id("new@x"), 0);
}
END_TEST

/* ==== P2009: what a nested write may not say ==== */

START_TEST(nested_children_may_not_set_their_own_foreign_keys_or_back_relations)
{
    int a = new_user("a@x");
    int p = new_post(a, "p");
    new_tag("t");
    snapshot before = snap();
    /* The foreign key and the relation at once. */
    FAILS(post_create(db, &(PostCreateInput){ .title = "x", .slug = "x", .authorId = PRISMA_INT(a), .author = { .connect = UID(a) } }, NULL), "P2009",
          NULL);
    /* A nested child's key is filled by the runtime. */
    FAILS(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { MANY(create, PostCreateInput, { .title = "x", .slug = "x", .authorId = PRISMA_INT(a) }) } },
                      NULL),
          "P2009", NULL);
    FAILS(user_create(db, &(UserCreateInput){ .email = "b@x", .profile = { .create = &(ProfileCreateInput){ .bio = "x", .userId = PRISMA_INT(a) } } }, NULL),
          "P2009", NULL);
    FAILS(post_update(db, PID(p), &(PostUpdateInput){ .comments = { MANY(create, CommentCreateInput, { .text = "x", .postId = PRISMA_INT(p) }) } }, NULL),
          "P2009", NULL);
    /* Nested writes on the back relation inside a nested child. */
    FAILS(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { MANY(create, PostCreateInput, { .title = "x", .slug = "x", .author = { .connect = UID(a) } }) } },
                      NULL),
          "P2009", NULL);
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                          { .title = "x", .slug = "x", .author = { .create = &(UserCreateInput){ .email = "c@x" } } }) } },
                      NULL),
          "P2009", NULL);
    /* create_many on m-n, and nested writes inside create_many items. */
    FAILS(post_create(db, &(PostCreateInput){ .title = "x", .slug = "x", .authorId = PRISMA_INT(a), .tags = { MANY(create_many, TagCreateInput, { .name = "m" }) } },
                      NULL),
          "P2009", NULL);
    FAILS(post_update(db, PID(p), &(PostUpdateInput){ .tags = { MANY(create_many, TagCreateInput, { .name = "m" }) } }, NULL), "P2009", NULL);
    FAILS(person_create(db, &(PersonCreateInput){ .name = "x", .following = { MANY(create_many, PersonCreateInput, { .name = "y" }) } }, NULL), "P2009",
          NULL);
    FAILS(user_create(db,
                      &(UserCreateInput){ .email = "b@x",
                                          .posts = { MANY(create_many, PostCreateInput, { .title = "x", .slug = "x", .tags = { MANY(connect, TagWhereUniqueInput, { .name = "t" }) } }) } },
                      NULL),
          "P2009", NULL);
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(create_many, PostCreateInput,
                                                          { .title = "x", .slug = "x", .comments = { MANY(create, CommentCreateInput, { .text = "c" }) } }) } },
                      NULL),
          "P2009", NULL);
    UNCHANGED(before);
}
END_TEST

/* ==== order and atomicity where writes are batched ==== */

/* Item 74: an upsert that finds nothing creates, and runs nothing of its
 * update, not even the nested writes that give the row its keys. */
START_TEST(an_upsert_that_creates_runs_nothing_of_its_update)
{
    int u = new_user("u@x");
    OK(passport_create(db, &(PassportCreateInput){ .number = "P0", .holder = { .connect = UID(u) } }, NULL));
    int64_t users = rows("User");
    Passport *n1 = NULL;
    OK(passport_upsert(db, &(PassportWhereUniqueInput){ .number = "N1" }, &(PassportCreateInput){ .number = "N1" },
                       &(PassportUpdateInput){ .holder = { .create = &(UserCreateInput){ .email = "ghost@x" } } }, &n1));
    ck_assert_ptr_null(n1->holderId);
    passport_free(n1);
    ck_assert_int_eq(user_id("ghost@x"), 0);
    ck_assert_int_eq(rows("User"), users);
    /* A connect in the update would have taken P0's holder. */
    OK(passport_upsert(db, &(PassportWhereUniqueInput){ .number = "N2" }, &(PassportCreateInput){ .number = "N2" },
                       &(PassportUpdateInput){ .holder = { .connect = UID(u) } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(u), "P0");
    /* When it finds the record, the update's nested writes run. */
    OK(passport_upsert(db, &(PassportWhereUniqueInput){ .number = "N2" }, &(PassportCreateInput){ .number = "N2" },
                       &(PassportUpdateInput){ .holder = { .connect = UID(u) } }, NULL));
    ck_assert_str_eq(PASSPORT_OF(u), "N2");
}
END_TEST

/* Item 78 for records created together: creates run before connects, so a
 * record connects a tag created in the same call, whichever record made it. */
START_TEST(records_created_together_create_before_they_connect)
{
    int u = new_user("u@x");
    new_tag("old");
    OK(user_update(db, UID(u),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                       { .title = "a", .slug = "a",
                                                         .tags = { MANY(create, TagCreateInput, { .name = "new" }),
                                                                   MANY(connect, TagWhereUniqueInput, { .name = "new" }) } },
                                                       { .title = "b", .slug = "b",
                                                         .tags = { MANY(connect, TagWhereUniqueInput, { .name = "old" }) } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(post_id("a")), "new");
    ck_assert_str_eq(TAGS_OF(post_id("b")), "old");
    OK(user_update(db, UID(u),
                   &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                       { .title = "c", .slug = "c", .tags = { MANY(create, TagCreateInput, { .name = "newer" }) } },
                                                       { .title = "d", .slug = "d", .tags = { MANY(connect, TagWhereUniqueInput, { .name = "newer" }) } },
                                                       { .title = "e", .slug = "e", .tags = { MANY(connect, TagWhereUniqueInput, { .name = "old" }) } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(post_id("c")), "newer");
    ck_assert_str_eq(TAGS_OF(post_id("d")), "newer");
    ck_assert_str_eq(TAGS_OF(post_id("e")), "old");
}
END_TEST

/* Items 53, 58: the records of a list are created in order, so one can
 * connect a record an earlier one created (itself, or through its keys). */
START_TEST(a_record_in_a_list_connects_one_created_before_it)
{
    OK(person_create(db, &(PersonCreateInput){ .name = "root", .children = { MANY(create, PersonCreateInput, { .name = "c1" },
                                                                                  { .name = "c2", .mentor = { .connect = PNAME("c1") } }) } },
                     NULL));
    ck_assert_int_eq(col_of("Person", "mentorId", person_id("c2")), person_id("c1"));
    ck_assert_int_eq(col_of("Person", "parentId", person_id("c2")), person_id("root"));
    OK(tag_create(db, &(TagCreateInput){ .name = "t",
                                         .posts = { MANY(create, PostCreateInput,
                                                         { .title = "p1", .slug = "p1", .author = { .create = &(UserCreateInput){ .email = "x@x" } } },
                                                         { .title = "p2", .slug = "p2", .author = { .connect = &(UserWhereUniqueInput){ .email = "x@x" } } }) } },
                  NULL));
    ck_assert_int_eq(col_of("Post", "authorId", post_id("p1")), user_id("x@x"));
    ck_assert_int_eq(col_of("Post", "authorId", post_id("p2")), user_id("x@x"));
}
END_TEST

/* Item 78 and E9: the records of a list are written one after the other,
 * nested writes and all, so a record cannot connect what a later one
 * creates (nor the later row itself), and its connect_or_create comes first. */
START_TEST(a_record_in_a_list_does_not_see_what_later_ones_create)
{
    int u = new_user("u@x");
    snapshot before = snap();
    FAILS(user_update(db, UID(u),
                      &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                          { .title = "a", .slug = "a", .tags = { MANY(connect, TagWhereUniqueInput, { .name = "t" }) } },
                                                          { .title = "b", .slug = "b", .tags = { MANY(create, TagCreateInput, { .name = "t" }, { .name = "u" }) } }) } },
                      NULL),
          "P2025", M2N_CONNECT(1, 0));
    FAILS(user_update(db, UID(u),
                      &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                          { .title = "a", .slug = "a", .comments = { MANY(connect, CommentWhereUniqueInput, { .text = "c" }) } },
                                                          { .title = "b", .slug = "b", .comments = { MANY(create, CommentCreateInput, { .text = "c" }, { .text = "d" }) } }) } },
                      NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-many", "CommentToPost"));
    FAILS(person_create(db, &(PersonCreateInput){ .name = "root", .children = { MANY(create, PersonCreateInput,
                                                                                  { .name = "A", .children = { MANY(connect, PersonWhereUniqueInput, { .name = "B" }) } },
                                                                                  { .name = "B" }) } },
                        NULL),
          "P2018", INCOMPLETE_CONNECT(1, 0, "one-to-many", "Family"));
    FAILS_WITH(user_update(db, UID(u),
                           &(UserUpdateInput){ .posts = { MANY(create, PostCreateInput,
                                                               { .title = "a", .slug = "a", .tags = { MANY(connect_or_create, TagConnectOrCreateInput,
                                                                                                           { .where = TNAME("t"), .create = &(TagCreateInput){ .name = "t" } }) } },
                                                               { .title = "b", .slug = "b", .tags = { MANY(create, TagCreateInput, { .name = "t" }, { .name = "u" }) } }) } },
                           NULL),
               "P2002", "(`name`)");
    UNCHANGED(before);
}
END_TEST

/* Items 58, 61: two new records of a list connect the same 1-1 partner: the
 * later one takes it over, as it would from any record. */
START_TEST(a_later_record_in_a_list_takes_a_one_to_one_partner_over)
{
    int m = new_person("M");
    OK(person_create(db, &(PersonCreateInput){ .name = "root",
                                               .children = { MANY(create, PersonCreateInput, { .name = "c1", .mentor = { .connect = PNAME("M") } },
                                                                  { .name = "c2", .mentor = { .connect = PNAME("M") } }) } },
                     NULL));
    ck_assert_int_eq(col_of("Person", "mentorId", person_id("c1")), NULLV);
    ck_assert_int_eq(col_of("Person", "mentorId", person_id("c2")), m);
}
END_TEST

/* Item 62: a connect_or_create list may name a record twice: created once,
 * connected once. */
START_TEST(connect_or_create_may_name_a_record_twice)
{
    int u = new_user("u@x");
    OK(user_update(db, UID(u),
                   &(UserUpdateInput){ .posts = { MANY(connect_or_create, PostConnectOrCreateInput,
                                                       { .where = PSLUG("d"), .create = &(PostCreateInput){ .title = "d", .slug = "d" } },
                                                       { .where = PSLUG("d"), .create = &(PostCreateInput){ .title = "d", .slug = "d" } }) } },
                   NULL));
    ck_assert_str_eq(SLUGS_OF(u), "d");
    ck_assert_int_eq(rows("Post"), 1);
    /* m-n: linked once. */
    OK(post_update(db, PSLUG("d"),
                   &(PostUpdateInput){ .tags = { MANY(connect_or_create, TagConnectOrCreateInput,
                                                      { .where = TNAME("t"), .create = &(TagCreateInput){ .name = "t" } },
                                                      { .where = TNAME("t"), .create = &(TagCreateInput){ .name = "t" } }) } },
                   NULL));
    ck_assert_str_eq(TAGS_OF(post_id("d")), "t");
    ck_assert_int_eq(rows("Tag"), 1);
}
END_TEST

/* Item 74 (and 56): a nested upsert finds no post of this user with that
 * slug and creates one; another user's post holds the slug: P2002, as a
 * plain create would be, and nothing changes. */
START_TEST(a_nested_upsert_whose_create_collides_outside_the_relation_is_p2002)
{
    int a = new_user("a@x"), b = new_user("b@x");
    new_post(b, "s");
    snapshot before = snap();
    FAILS(user_update(db, UID(a),
                      &(UserUpdateInput){ .posts = { MANY(upsert, PostUpsertWithWhereInput,
                                                          { .where = PSLUG("s"), .create = &(PostCreateInput){ .title = "x", .slug = "s" },
                                                            .update = &(PostUpdateInput){ .title = "y" } }) } },
                      NULL),
          "P2002", "Unique constraint failed on the fields: (`slug`)");
    ck_assert_str_eq(prisma_error_model(db), "Post");
    UNCHANGED(before);
}
END_TEST

/* ==== lengths no array can have ==== */

/* A garbage length next to a real array (an uninitialised size_t, a negative
 * number cast) is refused with P2009 before any item is read or any size is
 * computed from it: no allocation wraps around, nothing is written. */
START_TEST(lengths_no_array_can_have_are_refused)
{
    int a = new_user("a@x");
    int p = new_post(a, "p");
    new_tag("t");
    snapshot before = snap();
    const size_t huge = SIZE_MAX / 2;
    PostCreateInput post = { .title = "x" };
    PostWhereUniqueInput where = { .slug = "p" };
    PostConnectOrCreateInput coc = { .where = &where, .create = &post };
    TagWhereUniqueInput tag = { .name = "t" };
#define HUGE_LIST(what) "`" what "` on `posts` has a length of"
    FAILS_WITH(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { .create = &post, .create_len = huge } }, NULL),
               "P2009", HUGE_LIST("create"));
    FAILS_WITH(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { .create_many = &post, .create_many_len = huge } },
                           NULL),
               "P2009", HUGE_LIST("create_many"));
    FAILS_WITH(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { .connect = &where, .connect_len = huge } }, NULL),
               "P2009", HUGE_LIST("connect"));
    FAILS_WITH(user_create(db, &(UserCreateInput){ .email = "b@x",
                                                   .posts = { .connect_or_create = &coc, .connect_or_create_len = huge } },
                           NULL),
               "P2009", HUGE_LIST("connect_or_create"));
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { .delete_ = &where, .delete_len = huge } }, NULL), "P2009",
               HUGE_LIST("delete_"));
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { .set = &where, .set_len = huge, .set_given = true } }, NULL),
               "P2009", HUGE_LIST("set"));
    FAILS_WITH(user_update(db, UID(a), &(UserUpdateInput){ .posts = { .delete_many = &(PostWhereInput){ 0 }, .delete_many_len = huge } },
                           NULL),
               "P2009", HUGE_LIST("delete_many"));
    /* Records created together: each one's list is checked too. */
    PostCreateInput two[2] = { { .title = "1", .tags = { .connect = &tag, .connect_len = 1 } },
                               { .title = "2", .tags = { .connect = &tag, .connect_len = huge } } };
    FAILS_WITH(user_create(db, &(UserCreateInput){ .email = "b@x", .posts = { .create = two, .create_len = 2 } }, NULL), "P2009",
               "`connect` on `tags` has a length of");
    /* And a top-level create_many. */
    FAILS_WITH(post_create_many(db, &post, huge, false, NULL), "P2009", "`data` has a length of");
#undef HUGE_LIST
    UNCHANGED(before);
    (void)p;
}
END_TEST

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
    OK(owner_delete(db, OWNER(1), NULL));
    ck_assert_int_eq(rows("CascadeChild"), 0);
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"SetNullChild\"", 0), "NULL");
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"SetDefaultChild\"", 0), "0");

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
    OK(owner_update(db, OWNER(1), &(OwnerUpdateInput){ .id = { .set = PRISMA_INT(3) } }, NULL));
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"CascadeChild\"", 0), "3,3");
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"SetNullChild\"", 0), "NULL");
    ck_assert_str_eq(qs("SELECT \"ownerId\" FROM \"SetDefaultChild\"", 0), "0");
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
    const char *pairs = qs("SELECT p.caption || ':' || l.name FROM \"Photo\" p JOIN \"_LabelToPhoto\" j ON j.\"B\" = p.id "
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

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    /* 1-n, required key */
    tcase_add_test(tc, one_to_many_create_from_the_parent_side);
    tcase_add_test(tc, one_to_many_create_from_the_child_side);
    tcase_add_test(tc, one_to_many_connect_from_the_parent_side);
    tcase_add_test(tc, one_to_many_connect_or_create_from_the_parent_side);
    tcase_add_test(tc, one_to_many_update_upsert_and_delete_from_the_parent_side);
    tcase_add_test(tc, one_to_many_update_many_and_delete_many_touch_only_connected_records);
    tcase_add_test(tc, one_to_many_errors);
    tcase_add_test(tc, one_to_many_from_the_child_side_in_an_update);
    /* 1-n, optional key */
    tcase_add_test(tc, optional_one_to_many_from_the_parent_side);
    tcase_add_test(tc, optional_one_to_many_from_the_child_side);
    /* 1-1 */
    tcase_add_test(tc, one_to_one_required_from_the_user_side);
    tcase_add_test(tc, one_to_one_required_from_the_profile_side);
    tcase_add_test(tc, one_to_one_optional_from_both_sides);
    /* m-n */
    tcase_add_test(tc, many_to_many_create_connect_and_connect_or_create);
    tcase_add_test(tc, many_to_many_set_and_disconnect);
    tcase_add_test(tc, many_to_many_update_upsert_delete_and_errors);
    /* self-relations, compound keys, depth */
    tcase_add_test(tc, self_one_to_many);
    tcase_add_test(tc, self_many_to_many_keeps_its_direction);
    tcase_add_test(tc, self_one_to_one);
    tcase_add_test(tc, compound_foreign_keys);
    tcase_add_test(tc, compound_foreign_keys_update_upsert_delete);
    tcase_add_test(tc, one_to_one_required_relation_violations);
    tcase_add_test(tc, self_one_to_one_from_the_mentee_side);
    tcase_add_test(tc, many_to_many_update_and_upsert_from_the_tag_side);
    tcase_add_test(tc, nested_creates_four_levels_deep);
    tcase_add_test(tc, nested_updates_at_every_level);
    /* order, atomicity, validation, races, results */
    tcase_add_test(tc, operations_on_one_relation_run_in_prismas_order);
    tcase_add_test(tc, a_failing_nested_create_leaves_no_trace);
    tcase_add_test(tc, a_failing_nested_update_leaves_no_trace);
    tcase_add_test(tc, a_failing_nested_write_inside_a_transaction_is_undone_and_the_transaction_goes_on);
    tcase_add_test(tc, nested_children_may_not_set_their_own_foreign_keys_or_back_relations);
    tcase_add_test(tc, an_upsert_that_creates_runs_nothing_of_its_update);
    tcase_add_test(tc, records_created_together_create_before_they_connect);
    tcase_add_test(tc, a_record_in_a_list_connects_one_created_before_it);
    tcase_add_test(tc, a_later_record_in_a_list_takes_a_one_to_one_partner_over);
    tcase_add_test(tc, a_record_in_a_list_does_not_see_what_later_ones_create);
    tcase_add_test(tc, connect_or_create_may_name_a_record_twice);
    tcase_add_test(tc, a_nested_upsert_whose_create_collides_outside_the_relation_is_p2002);
    tcase_add_test(tc, lengths_no_array_can_have_are_refused);
    tcase_add_test(tc, connect_or_create_is_race_free);
    tcase_add_test(tc, nested_upsert_is_race_free);
    tcase_add_test(tc, include_returns_the_records_written_with_their_ids);
    /* referential actions, bulk, size */
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

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "nested_writes", .timeout = 60, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
