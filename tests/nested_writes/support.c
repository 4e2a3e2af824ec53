/* The nested-writes suite's shared helpers, fixture and main: the tests are in
 * the other files of this folder (see nested_writes.h). */
#include "nested_writes.h"

const char *url;
prisma_client *db;

static const char *const tables[] = { "User",    "Profile",       "Passport",      "Post",          "Comment",
                                      "Reaction", "Tag",          "Person",        "Team",          "Member",
                                      "Owner",   "CascadeChild",  "RestrictChild", "NoActionChild", "SetNullChild",
                                      "SetDefaultChild", "_PostToTag", "_Follows", "Shelf", "Album",
                                      "Photo", "Label", "_LabelToPhoto" };
_Static_assert(sizeof tables / sizeof tables[0] == N_TABLES, "N_TABLES in nested_writes.h counts the tables");

/* ---- error texts (section F) ---- */

/* Where the database names the violated constraint, the message does too. */
const char *fk_violation(const char *table)
{
    if (testdb->names_foreign_key_fields)
        return testdb_sql("Foreign key constraint violated on the fields: (\"ownerId\")");
    if (!testdb->names_violated_foreign_key)
        return "Foreign key constraint violated on the foreign key";
    return testdb_sql("Foreign key constraint violated on the constraint: `%s_ownerId_fkey`", table);
}

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

const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

int64_t value_int(const prisma_raw_value *v)
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

prisma_raw_rows *query(prisma_client *c, const char *sql, const int64_t *params, size_t n)
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
bool has_param(const char *sql)
{
    return strstr(sql, "$1") || strstr(sql, testdb_sql("$1"));
}

/* The first column of the first row of `sql` (one integer parameter when the
 * text has a placeholder), as an integer; MISSING when there is no row. */
int64_t qi_on(prisma_client *c, const char *sql, int64_t param)
{
    prisma_raw_rows *r = query(c, sql, &param, has_param(sql) ? 1 : 0);
    int64_t v = r->n_rows == 0 ? MISSING : value_int(&r->values[0]);
    prisma_free(r);
    return v;
}

/* Every row of `sql`, joined with ',', its columns joined with ':'; NULL is
 * "NULL". Eight rotating buffers, so several fit in one assertion. */
const char *qs_on(prisma_client *c, const char *sql, int64_t param)
{
    static char bufs[8][8192];
    static int next;
    char *out = bufs[next++ % 8];
    out[0] = '\0';
    prisma_raw_rows *r = query(c, sql, &param, has_param(sql) ? 1 : 0);
    size_t used = 0;
    for (size_t k = 0; k < r->n_rows * r->n_cols; k++) {
        const prisma_raw_value *v = &r->values[k];
        char one[256];
        if (v->type == PRISMA_RAW_NULL)
            snprintf(one, sizeof one, "NULL");
        else if (v->type == PRISMA_RAW_TEXT || v->type == PRISMA_RAW_BYTES)
            snprintf(one, sizeof one, "%s", v->s);
        else
            snprintf(one, sizeof one, "%lld", (long long)value_int(v));
        used += (size_t)snprintf(out + used, sizeof bufs[0] - used, "%s%s",
                                 k == 0 ? "" : k % r->n_cols ? ":" : ",", one);
        ck_assert_uint_lt(used, sizeof bufs[0]);
    }
    prisma_free(r);
    return out;
}

int64_t rows_on(prisma_client *c, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", table);
    return qi_on(c, sql, 0);
}

/* A column of the row with this id: the value, NULLV or MISSING. */
int64_t col_of(const char *table, const char *col, int64_t id)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"%s\" WHERE \"id\" = $1", col, table);
    return qi(sql, id);
}

const char *str_of(const char *table, const char *col, int64_t id)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"%s\" WHERE \"id\" = $1", col, table);
    return qs(sql, id);
}

snapshot snap_on(prisma_client *c)
{
    snapshot s;
    for (size_t i = 0; i < N_TABLES; i++)
        s.n[i] = rows_on(c, tables[i]);
    return s;
}

void same_rows(const snapshot *before, const snapshot *after)
{
    for (size_t i = 0; i < N_TABLES; i++)
        ck_assert_msg(before->n[i] == after->n[i], "table %s: %lld rows before, %lld after", tables[i],
                      (long long)before->n[i], (long long)after->n[i]);
}

int64_t total_rows(const snapshot *s)
{
    int64_t t = 0;
    for (size_t i = 0; i < N_TABLES; i++)
        t += s->n[i];
    return t;
}

/* ---- making and reading records ---- */

int new_user(const char *email)
{
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = email }, &u));
    int id = u->id;
    user_free(u);
    return id;
}

int new_post(int author, const char *slug)
{
    Post *p = NULL;
    OK(post_create(db, &(PostCreateInput){ .title = slug, .slug = slug, .authorId = PRISMA_INT(author) }, &p));
    int id = p->id;
    post_free(p);
    return id;
}

int new_tag(const char *name)
{
    Tag *t = NULL;
    OK(tag_create(db, &(TagCreateInput){ .name = name }, &t));
    int id = t->id;
    tag_free(t);
    return id;
}

int new_comment(const char *text, int post)
{
    Comment *c = NULL;
    OK(comment_create(db, &(CommentCreateInput){ .text = text, .postId = post ? PRISMA_INT(post) : (prisma_int){ 0 } },
                      &c));
    int id = c->id;
    comment_free(c);
    return id;
}

int new_person(const char *name)
{
    Person *p = NULL;
    OK(person_create(db, &(PersonCreateInput){ .name = name }, &p));
    int id = p->id;
    person_free(p);
    return id;
}

/* The id of the record with this unique value, or 0. */
int user_id(const char *email)
{
    User *u = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .email = email }, &u));
    int id = u ? u->id : 0;
    user_free(u);
    return id;
}

int post_id(const char *slug)
{
    Post *p = NULL;
    OK(post_find_unique(db, &(PostWhereUniqueInput){ .slug = slug }, &p));
    int id = p ? p->id : 0;
    post_free(p);
    return id;
}

int tag_id(const char *name)
{
    Tag *t = NULL;
    OK(tag_find_unique(db, &(TagWhereUniqueInput){ .name = name }, &t));
    int id = t ? t->id : 0;
    tag_free(t);
    return id;
}

int comment_id(const char *text)
{
    Comment *c = NULL;
    OK(comment_find_unique(db, &(CommentWhereUniqueInput){ .text = text }, &c));
    int id = c ? c->id : 0;
    comment_free(c);
    return id;
}

int person_id(const char *name)
{
    Person *p = NULL;
    OK(person_find_unique(db, &(PersonWhereUniqueInput){ .name = name }, &p));
    int id = p ? p->id : 0;
    person_free(p);
    return id;
}

/* Item 79: four levels in one create, through every shape on the way. */
int deep_user(void)
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

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    nw_one_to_many_tests(tc);
    nw_one_to_one_tests(tc);
    nw_many_to_many_tests(tc);
    nw_self_and_compound_tests(tc);
    nw_depth_and_order_tests(tc);
    nw_atomicity_tests(tc);
    nw_races_and_results_tests(tc);
    nw_actions_bulk_size_tests(tc);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "nested_writes", .timeout = 60, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
