/* The statement trace of nested writes (prisma_set_trace), on a real
 * database. Built once per backend of tests/meson.build's test_backends, on
 * the generated client of tests/schemas/trace.prisma.in.
 *
 * a) Golden files: the normalized statements (placeholders all `?`, a list
 *    of identical row tuples or values as one, followed by a comment xN) that
 *    nested creates and updates issue, one statement a line, compared
 *    with tests/trace/expected/<case>.<backend>.txt. A mismatch prints a
 *    unified diff (expected, then actual). A newline inside a statement is
 *    written as the two characters \n.
 *    The expected files are never rewritten automatically. To rewrite them on
 *    purpose (after a deliberate change of the SQL), run
 *        meson compile -C build regenerate-sql-goldens
 *    and review `git diff tests/trace/expected` before committing.
 * b) Constant costs: a nested create of 2 children issues exactly as many
 *    statements as one of 100 (with the row counts taken out, the very same
 *    statements), and so do connecting, setting and connect_or_create of 2
 *    records against 100. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "golden.h"
#include "testmain.h"

static const char *url;
static const char *expected_dir;
static prisma_client *db;

/* The join table first: SQLite deletes in this order without cascades. */
static const char *const tables[] = { "_PostToTag", "Post", "User", "Tag" };

static const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

#define OK(call) ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(db), prisma_error_message(db))

static trace_log tl;

static void trace_start(void)
{
    trace_log_start(&tl, db);
}

static void trace_stop(void)
{
    trace_log_stop(db);
}

/* ---- fixtures ---- */

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    trace_stop();
    trace_log_clear(&tl);
    prisma_disconnect(db);
    db = NULL;
}

static void golden(const char *name)
{
    golden_check(&tl, expected_dir, name);
}

/* ---- seed data ---- */

static int32_t new_user(const char *email)
{
    User *u;
    OK(user_create(db, &(UserCreateInput){ .email = email, .name = "seed" }, &u));
    int32_t id = u->id;
    user_free(u);
    return id;
}

static int32_t new_tag(const char *name)
{
    Tag *t;
    OK(tag_create(db, &(TagCreateInput){ .name = name }, &t));
    int32_t id = t->id;
    tag_free(t);
    return id;
}

static int32_t new_post(const char *title, int32_t author_id)
{
    Post *p;
    OK(post_create(db, &(PostCreateInput){ .title = title, .authorId = author_id ? PRISMA_INT(author_id) : (prisma_int){ 0 } },
                   &p));
    int32_t id = p->id;
    post_free(p);
    return id;
}

static int64_t count_posts_of(int32_t user_id)
{
    int64_t n;
    OK(post_count(db, &(PostWhereInput){ .authorId = { .equals = PRISMA_INT(user_id) } }, &n));
    return n;
}

static int64_t count_links(void)
{
    prisma_raw_rows *rows;
    OK(prisma_query_raw(db, testdb_sql("SELECT COUNT(*) FROM \"_PostToTag\""), NULL, 0, &rows));
    ck_assert_uint_eq(rows->n_rows, 1);
    int64_t n = rows->values[0].i;
    prisma_free(rows);
    return n;
}

/* The names of the tags of post `id`, in name order, comma-separated. */
static void tags_of(int32_t id, char *buf, size_t len)
{
    PostList *l;
    OK(post_find_many(db,
                      &(PostFindManyArgs){ .where = &(PostWhereInput){ .id = { .equals = PRISMA_INT(id) } },
                                           .include = &(PostInclude){ .tags = true } },
                      &l));
    ck_assert_uint_eq(l->len, 1);
    const TagList *t = l->items[0].tags;
    ck_assert_ptr_nonnull(t);
    /* at most a few tags: sort the indexes by name */
    size_t idx[16], n = t->len < 16 ? t->len : 16;
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(t->items[idx[j - 1]].name, t->items[idx[j]].name) > 0; j--) {
            size_t x = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = x;
        }
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(buf, i ? "," : "", len - strlen(buf) - 1);
        strncat(buf, t->items[idx[i]].name, len - strlen(buf) - 1);
    }
    post_list_free(l);
}

/* ---- a) golden traces ---- */

/* A user with two posts, each connecting an existing tag. */
START_TEST(nested_create)
{
    new_tag("a");
    new_tag("b");
    User *u;
    trace_start();
    OK(user_create(db,
                   &(UserCreateInput){
                       .email = "ada@x",
                       .name = "Ada",
                       .posts = { .create = (PostCreateInput[]){ { .title = "p1",
                                                                   .tags = { .connect = &(TagWhereUniqueInput){ .name = "a" },
                                                                             .connect_len = 1 } },
                                                                 { .title = "p2",
                                                                   .tags = { .connect = &(TagWhereUniqueInput){ .name = "b" },
                                                                             .connect_len = 1 } } },
                                  .create_len = 2 } },
                   &u));
    trace_stop();
    golden("nested_create");
    ck_assert_int_eq(count_posts_of(u->id), 2);
    ck_assert_int_eq(count_links(), 2);
    user_free(u);
}
END_TEST

/* The same inside an interactive transaction: a savepoint, not a transaction. */
static int create_in_tx(prisma_client *tx, void *arg)
{
    User **u = arg;
    return user_create(tx,
                       &(UserCreateInput){
                           .email = "ada@x",
                           .posts = { .create = (PostCreateInput[]){ { .title = "p1",
                                                                       .tags = { .connect = &(TagWhereUniqueInput){ .name = "a" },
                                                                                 .connect_len = 1 } },
                                                                     { .title = "p2" } },
                                      .create_len = 2 } },
                       u);
}

START_TEST(nested_create_in_a_transaction)
{
    new_tag("a");
    User *u = NULL;
    trace_start();
    OK(prisma_transaction(db, create_in_tx, &u, NULL));
    trace_stop();
    golden("nested_create_in_a_transaction");
    ck_assert_ptr_nonnull(u);
    ck_assert_int_eq(count_posts_of(u->id), 2);
    user_free(u);
}
END_TEST

/* A to-one connect from the side holding the key, and connect_or_create on
 * an m-n relation: one tag exists, the other is created. */
START_TEST(connect_and_connect_or_create)
{
    int32_t ada = new_user("ada@x");
    new_tag("a");
    Post *p;
    trace_start();
    OK(post_create(
        db,
        &(PostCreateInput){
            .title = "p",
            .author = { .connect = &(UserWhereUniqueInput){ .email = "ada@x" } },
            .tags = { .connect_or_create =
                          (TagConnectOrCreateInput[]){ { .where = &(TagWhereUniqueInput){ .name = "a" },
                                                         .create = &(TagCreateInput){ .name = "a" } },
                                                       { .where = &(TagWhereUniqueInput){ .name = "z" },
                                                         .create = &(TagCreateInput){ .name = "z" } } },
                      .connect_or_create_len = 2 } },
        &p));
    trace_stop();
    golden("connect_and_connect_or_create");
    ck_assert_ptr_nonnull(p->authorId);
    ck_assert_int_eq(*p->authorId, ada);
    char tags[64];
    tags_of(p->id, tags, sizeof tags);
    ck_assert_str_eq(tags, "a,z");
    post_free(p);
}
END_TEST

/* Update a user: a scalar, and on its posts create (with a tag), update,
 * connect (someone else's post), disconnect and delete_many. */
START_TEST(nested_update)
{
    int32_t ada = new_user("ada@x"), bob = new_user("bob@x");
    new_tag("a");
    int32_t a1 = new_post("a1", ada), a2 = new_post("a2", ada);
    new_post("junk", ada);
    int32_t b1 = new_post("b1", bob);
    User *u;
    trace_start();
    OK(user_update(
        db, &(UserWhereUniqueInput){ .id = PRISMA_INT(ada) },
        &(UserUpdateInput){
            .name = "Ada L",
            .posts = {
                .create = (PostCreateInput[]){ { .title = "new",
                                                 .tags = { .connect = &(TagWhereUniqueInput){ .name = "a" },
                                                           .connect_len = 1 } } },
                .create_len = 1,
                .update = (PostUpdateWithWhereInput[]){ { .where = &(PostWhereUniqueInput){ .id = PRISMA_INT(a2) },
                                                          .data = &(PostUpdateInput){ .title = "a2 edited" } } },
                .update_len = 1,
                .connect = &(PostWhereUniqueInput){ .id = PRISMA_INT(b1) },
                .connect_len = 1,
                .disconnect = &(PostWhereUniqueInput){ .id = PRISMA_INT(a1) },
                .disconnect_len = 1,
                .delete_many = &(PostWhereInput){ .title = { .equals = "junk" } },
                .delete_many_len = 1,
            } },
        &u));
    trace_stop();
    golden("nested_update");
    ck_assert_str_eq(u->name, "Ada L");
    user_free(u);
    /* new, a2 (edited) and b1 */
    ck_assert_int_eq(count_posts_of(ada), 3);
    ck_assert_int_eq(count_posts_of(bob), 0);
    int64_t n;
    OK(post_count(db, &(PostWhereInput){ .authorId = { .is_null = true } }, &n));
    ck_assert_int_eq(n, 1);
    OK(post_count(db, &(PostWhereInput){ .title = { .equals = "junk" } }, &n));
    ck_assert_int_eq(n, 0);
    OK(post_count(db, &(PostWhereInput){ .title = { .equals = "a2 edited" } }, &n));
    ck_assert_int_eq(n, 1);
}
END_TEST

/* Update a post's m-n tags: create one, connect one, disconnect one. */
START_TEST(nested_update_of_many_to_many)
{
    new_tag("a");
    new_tag("b");
    Post *p;
    OK(post_create(db, &(PostCreateInput){ .title = "p", .tags = { .connect = &(TagWhereUniqueInput){ .name = "a" }, .connect_len = 1 } },
                   &p));
    int32_t id = p->id;
    post_free(p);
    trace_start();
    OK(post_update(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(id) },
                   &(PostUpdateInput){ .title = "p2",
                                       .tags = { .create = &(TagCreateInput){ .name = "c" },
                                                 .create_len = 1,
                                                 .connect = &(TagWhereUniqueInput){ .name = "b" },
                                                 .connect_len = 1,
                                                 .disconnect = &(TagWhereUniqueInput){ .name = "a" },
                                                 .disconnect_len = 1 } },
                   &p));
    trace_stop();
    golden("nested_update_of_many_to_many");
    post_free(p);
    char tags[64];
    tags_of(id, tags, sizeof tags);
    ck_assert_str_eq(tags, "b,c");
}
END_TEST

/* set replaces every link of an m-n relation. */
START_TEST(nested_set)
{
    new_tag("a");
    new_tag("b");
    new_tag("c");
    Post *p;
    OK(post_create(db,
                   &(PostCreateInput){ .title = "p",
                                       .tags = { .connect = (TagWhereUniqueInput[]){ { .name = "a" }, { .name = "b" } },
                                                 .connect_len = 2 } },
                   &p));
    int32_t id = p->id;
    post_free(p);
    trace_start();
    OK(post_update(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(id) },
                   &(PostUpdateInput){ .tags = { .set = (TagWhereUniqueInput[]){ { .name = "b" }, { .name = "c" } },
                                                 .set_len = 2,
                                                 .set_given = true } },
                   &p));
    trace_stop();
    golden("nested_set");
    post_free(p);
    char tags[64];
    tags_of(id, tags, sizeof tags);
    ck_assert_str_eq(tags, "b,c");
}
END_TEST

/* ---- b) constant statement counts ---- */

static int seq; /* distinct emails and names across calls */

/* The trace of creating a user with k posts (each connecting tag `tag`
 * when tag is not NULL). */
static size_t create_with_posts(size_t k, const char *tag, trace_log *copy)
{
    char email[32];
    snprintf(email, sizeof email, "u%d@x", ++seq);
    PostCreateInput *posts = calloc(k, sizeof *posts);
    char(*titles)[16] = calloc(k, sizeof *titles);
    ck_assert(posts && titles);
    TagWhereUniqueInput where_tag = { .name = tag };
    for (size_t i = 0; i < k; i++) {
        snprintf(titles[i], sizeof titles[i], "t%zu", i);
        posts[i] = (PostCreateInput){ .title = titles[i] };
        if (tag) {
            posts[i].tags.connect = &where_tag;
            posts[i].tags.connect_len = 1;
        }
    }
    User *u;
    trace_start();
    OK(user_create(db, &(UserCreateInput){ .email = email, .posts = { .create = posts, .create_len = k } }, &u));
    trace_stop();
    ck_assert_int_eq(count_posts_of(u->id), (int64_t)k);
    user_free(u);
    free(posts);
    free(titles);
    *copy = tl;
    tl = (trace_log){ 0 };
    return copy->n;
}

/* Takes out the row-count comments (xN): then k and k' rows read the same. */
static void strip_counts(char *s)
{
    char *p;
    while ((p = strstr(s, " /* x")) != NULL) {
        char *e = strstr(p, " */");
        if (!e)
            break;
        memmove(p, e + 3, strlen(e + 3) + 1);
    }
}

/* The statements: all of a short trace, the head and tail of a long one. */
static void dump(const char *what, const trace_log *l)
{
    enum { HEAD = 16, TAIL = 4 };
    fprintf(stderr, "%s (%zu statements):\n", what, l->n);
    for (size_t i = 0; i < l->n; i++) {
        if (l->n > HEAD + TAIL + 1 && i == HEAD) {
            fprintf(stderr, "    ... %zu more ...\n", l->n - HEAD - TAIL);
            i = l->n - TAIL - 1;
            continue;
        }
        fprintf(stderr, "    %s\n", l->lines[i]);
    }
}

/* Same number of statements, and with the row counts removed, the same text. */
static void same_cost(const char *what, trace_log *small, trace_log *large, bool same_text)
{
    bool same = small->n == large->n;
    for (size_t i = 0; same && same_text && i < small->n; i++) {
        strip_counts(small->lines[i]);
        strip_counts(large->lines[i]);
        same = strcmp(small->lines[i], large->lines[i]) == 0;
    }
    if (!same) {
        fprintf(stderr, "%s (%s):\n", what, testdb->name);
        dump("  with 2", small);
        dump("  with 100", large);
    }
    size_t ns = small->n, nl = large->n;
    trace_log_clear(small);
    trace_log_clear(large);
    ck_assert_msg(same, "%s: %zu statements with 2, %zu with 100 (statements on stderr)", what, ns, nl);
}

START_TEST(creating_2_or_100_children_costs_the_same)
{
    trace_log small, large;
    create_with_posts(2, NULL, &small);
    create_with_posts(100, NULL, &large);
    same_cost("a user with 2 or 100 posts", &small, &large, true);
}
END_TEST

START_TEST(creating_2_or_100_children_each_connecting_a_tag_costs_the_same)
{
    new_tag("a");
    trace_log small, large;
    create_with_posts(2, "a", &small);
    create_with_posts(100, "a", &large);
    /* The same count; the text differs by its UNION ALL branches, one per post. */
    same_cost("a user with 2 or 100 posts, each connecting a tag", &small, &large, false);
    ck_assert_int_eq(count_links(), 102);
}
END_TEST

/* The trace of creating a tag with k new posts, each connecting its author
 * (one of two users) by email. */
static void create_posts_connecting_authors(size_t k, trace_log *copy)
{
    char emails[2][32], name[32];
    for (int j = 0; j < 2; j++) {
        snprintf(emails[j], sizeof emails[j], "author%d@x", ++seq);
        new_user(emails[j]);
    }
    snprintf(name, sizeof name, "tag%d", ++seq);
    PostCreateInput *posts = calloc(k, sizeof *posts);
    UserWhereUniqueInput authors[2] = { { .email = emails[0] }, { .email = emails[1] } };
    ck_assert(posts);
    for (size_t i = 0; i < k; i++)
        posts[i] = (PostCreateInput){ .title = "p", .author = { .connect = &authors[i % 2] } };
    Tag *t;
    trace_start();
    OK(tag_create_include(db, &(TagCreateInput){ .name = name, .posts = { .create = posts, .create_len = k } },
                          &(TagInclude){ .posts = true }, &t));
    trace_stop();
    ck_assert_uint_eq(t->posts->len, k);
    /* Each author got every other post. */
    int32_t first = t->posts->items[0].authorId ? *t->posts->items[0].authorId : 0;
    size_t with_first = 0;
    for (size_t i = 0; i < k; i++) {
        ck_assert_ptr_nonnull(t->posts->items[i].authorId);
        with_first += *t->posts->items[i].authorId == first;
    }
    ck_assert_uint_eq(with_first, k / 2);
    tag_free(t);
    free(posts);
    *copy = tl;
    tl = (trace_log){ 0 };
}

START_TEST(creating_2_or_100_children_each_connecting_an_author_costs_the_same)
{
    trace_log small, large;
    create_posts_connecting_authors(2, &small);
    create_posts_connecting_authors(100, &large);
    same_cost("a tag with 2 or 100 new posts, each connecting its author", &small, &large, true);
}
END_TEST

/* k existing posts of someone else, as where-uniques (the caller frees). */
static PostWhereUniqueInput *existing_posts(size_t k)
{
    char email[32];
    snprintf(email, sizeof email, "owner%d@x", ++seq);
    int32_t owner = new_user(email);
    PostCreateInput *in = calloc(k, sizeof *in);
    PostWhereUniqueInput *w = calloc(k, sizeof *w);
    ck_assert(in && w);
    for (size_t i = 0; i < k; i++)
        in[i] = (PostCreateInput){ .title = "old", .authorId = PRISMA_INT(owner) };
    PostList *l;
    OK(post_create_many_and_return(db, in, k, false, &l));
    ck_assert_uint_eq(l->len, k);
    for (size_t i = 0; i < k; i++)
        w[i] = (PostWhereUniqueInput){ .id = PRISMA_INT(l->items[i].id) };
    post_list_free(l);
    free(in);
    return w;
}

/* k existing tags, as where-uniques by name (the caller frees both). */
static TagWhereUniqueInput *existing_tags(size_t k, char (**names)[16])
{
    TagCreateInput *in = calloc(k, sizeof *in);
    TagWhereUniqueInput *w = calloc(k, sizeof *w);
    *names = calloc(k, sizeof **names);
    ck_assert(in && w && *names);
    int base = ++seq * 1000;
    for (size_t i = 0; i < k; i++) {
        snprintf((*names)[i], sizeof (*names)[i], "tag%d", base + (int)i);
        in[i] = (TagCreateInput){ .name = (*names)[i] };
        w[i] = (TagWhereUniqueInput){ .name = (*names)[i] };
    }
    int64_t n;
    OK(tag_create_many(db, in, k, false, &n));
    ck_assert_int_eq(n, (int64_t)k);
    free(in);
    return w;
}

static void connect_posts_on_create(size_t k, trace_log *copy)
{
    PostWhereUniqueInput *w = existing_posts(k);
    char email[32];
    snprintf(email, sizeof email, "u%d@x", ++seq);
    User *u;
    trace_start();
    OK(user_create(db, &(UserCreateInput){ .email = email, .posts = { .connect = w, .connect_len = k } }, &u));
    trace_stop();
    ck_assert_int_eq(count_posts_of(u->id), (int64_t)k);
    user_free(u);
    free(w);
    *copy = tl;
    tl = (trace_log){ 0 };
}

START_TEST(connecting_2_or_100_on_create_costs_the_same)
{
    trace_log small, large;
    connect_posts_on_create(2, &small);
    connect_posts_on_create(100, &large);
    same_cost("a user created connecting 2 or 100 posts", &small, &large, true);
}
END_TEST

static void connect_posts_on_update(size_t k, trace_log *copy)
{
    PostWhereUniqueInput *w = existing_posts(k);
    char email[32];
    snprintf(email, sizeof email, "u%d@x", ++seq);
    int32_t id = new_user(email);
    User *u;
    trace_start();
    OK(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) },
                   &(UserUpdateInput){ .posts = { .connect = w, .connect_len = k } }, &u));
    trace_stop();
    ck_assert_int_eq(count_posts_of(id), (int64_t)k);
    user_free(u);
    free(w);
    *copy = tl;
    tl = (trace_log){ 0 };
}

START_TEST(connecting_2_or_100_on_update_costs_the_same)
{
    trace_log small, large;
    connect_posts_on_update(2, &small);
    connect_posts_on_update(100, &large);
    same_cost("a user updated connecting 2 or 100 posts", &small, &large, true);
}
END_TEST

/* m-n: a post created connecting k tags, then updated with set (k others). */
static void connect_and_set_tags(size_t k, trace_log *connect, trace_log *set)
{
    char(*names1)[16], (*names2)[16];
    TagWhereUniqueInput *w1 = existing_tags(k, &names1), *w2 = existing_tags(k, &names2);
    Post *p;
    trace_start();
    OK(post_create(db, &(PostCreateInput){ .title = "p", .tags = { .connect = w1, .connect_len = k } }, &p));
    trace_stop();
    *connect = tl;
    tl = (trace_log){ 0 };
    int32_t id = p->id;
    post_free(p);
    trace_start();
    OK(post_update(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(id) },
                   &(PostUpdateInput){ .tags = { .set = w2, .set_len = k, .set_given = true } }, &p));
    trace_stop();
    *set = tl;
    tl = (trace_log){ 0 };
    post_free(p);
    PostList *l;
    OK(post_find_many(db,
                      &(PostFindManyArgs){ .where = &(PostWhereInput){ .id = { .equals = PRISMA_INT(id) } },
                                           .include = &(PostInclude){ .tags = true } },
                      &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_ptr_nonnull(l->items[0].tags);
    ck_assert_uint_eq(l->items[0].tags->len, k);
    for (size_t i = 0; i < k; i++) {
        const char *name = l->items[0].tags->items[i].name;
        bool found = false;
        for (size_t j = 0; j < k && !found; j++)
            found = strcmp(name, names2[j]) == 0;
        ck_assert_msg(found, "after set, tag %s is not one of the set", name);
    }
    post_list_free(l);
    free(w1);
    free(w2);
    free(names1);
    free(names2);
}

START_TEST(connecting_or_setting_2_or_100_many_to_many_costs_the_same)
{
    trace_log c_small, c_large, s_small, s_large;
    connect_and_set_tags(2, &c_small, &s_small);
    connect_and_set_tags(100, &c_large, &s_large);
    same_cost("a post created connecting 2 or 100 tags", &c_small, &c_large, true);
    same_cost("a post's tags set to 2 or 100 others", &s_small, &s_large, true);
}
END_TEST

/* m-n: a post created with k new tags (nested create on the join table). */
static void create_tags(size_t k, trace_log *copy)
{
    TagCreateInput *in = calloc(k, sizeof *in);
    char(*names)[16] = calloc(k, sizeof *names);
    ck_assert(in && names);
    int base = ++seq * 1000;
    for (size_t i = 0; i < k; i++) {
        snprintf(names[i], sizeof names[i], "new%d", base + (int)i);
        in[i] = (TagCreateInput){ .name = names[i] };
    }
    Post *p;
    trace_start();
    OK(post_create(db, &(PostCreateInput){ .title = "p", .tags = { .create = in, .create_len = k } }, &p));
    trace_stop();
    *copy = tl;
    tl = (trace_log){ 0 };
    post_free(p);
    free(in);
    free(names);
}

START_TEST(creating_2_or_100_many_to_many_children_costs_the_same)
{
    trace_log small, large;
    create_tags(2, &small);
    create_tags(100, &large);
    ck_assert_int_eq(count_links(), 102);
    same_cost("a post created with 2 or 100 new tags", &small, &large, true);
}
END_TEST

/* m-n connect_or_create of k tags, the first half existing. */
static void connect_or_create_tags(size_t k, trace_log *copy)
{
    char(*names)[16];
    TagWhereUniqueInput *w = existing_tags(k / 2, &names);
    TagConnectOrCreateInput *in = calloc(k, sizeof *in);
    TagWhereUniqueInput *where = calloc(k, sizeof *where);
    TagCreateInput *create = calloc(k, sizeof *create);
    char(*fresh)[16] = calloc(k, sizeof *fresh);
    ck_assert(in && where && create && fresh);
    int base = ++seq * 1000;
    for (size_t i = 0; i < k; i++) {
        if (i < k / 2)
            snprintf(fresh[i], sizeof fresh[i], "%s", names[i]);
        else
            snprintf(fresh[i], sizeof fresh[i], "coc%d", base + (int)i);
        where[i] = (TagWhereUniqueInput){ .name = fresh[i] };
        create[i] = (TagCreateInput){ .name = fresh[i] };
        in[i] = (TagConnectOrCreateInput){ .where = &where[i], .create = &create[i] };
    }
    Post *p;
    trace_start();
    OK(post_create(db, &(PostCreateInput){ .title = "p", .tags = { .connect_or_create = in, .connect_or_create_len = k } },
                   &p));
    trace_stop();
    *copy = tl;
    tl = (trace_log){ 0 };
    post_free(p);
    free(w);
    free(names);
    free(in);
    free(where);
    free(create);
    free(fresh);
}

START_TEST(connect_or_create_of_2_or_100_costs_the_same)
{
    trace_log small, large;
    connect_or_create_tags(2, &small);
    connect_or_create_tags(100, &large);
    ck_assert_int_eq(count_links(), 102);
    same_cost("a post created with connect_or_create of 2 or 100 tags (half existing)", &small, &large, true);
}
END_TEST

/* The trace of creating a user with k posts, each connecting-or-creating
 * three tags: `a` (existing), one new tag they all share, and one of its own. */
static void create_posts_connecting_or_creating_tags(size_t k, trace_log *copy)
{
    char email[32], shared[32];
    snprintf(email, sizeof email, "u%d@x", ++seq);
    snprintf(shared, sizeof shared, "shared%d", seq);
    PostCreateInput *posts = calloc(k, sizeof *posts);
    TagConnectOrCreateInput *in = calloc(3 * k, sizeof *in);
    TagWhereUniqueInput *where = calloc(3 * k, sizeof *where);
    TagCreateInput *create = calloc(3 * k, sizeof *create);
    char(*own)[32] = calloc(k, sizeof *own);
    ck_assert(posts && in && where && create && own);
    for (size_t i = 0; i < k; i++) {
        snprintf(own[i], sizeof own[i], "own%d.%zu", seq, i);
        const char *names[3] = { "a", shared, own[i] };
        for (size_t j = 0; j < 3; j++) {
            where[3 * i + j] = (TagWhereUniqueInput){ .name = names[j] };
            create[3 * i + j] = (TagCreateInput){ .name = names[j] };
            in[3 * i + j] = (TagConnectOrCreateInput){ .where = &where[3 * i + j], .create = &create[3 * i + j] };
        }
        posts[i] = (PostCreateInput){ .title = "p", .tags = { .connect_or_create = &in[3 * i], .connect_or_create_len = 3 } };
    }
    int64_t links = count_links(), tags;
    OK(tag_count(db, NULL, &tags));
    User *u;
    trace_start();
    OK(user_create(db, &(UserCreateInput){ .email = email, .posts = { .create = posts, .create_len = k } }, &u));
    trace_stop();
    /* Every post got its three tags; the shared one was made once. */
    ck_assert_int_eq(count_links(), links + 3 * (int64_t)k);
    int64_t after;
    OK(tag_count(db, NULL, &after));
    ck_assert_int_eq(after, tags + 1 + (int64_t)k);
    PostList *l;
    OK(post_find_many(db, &(PostFindManyArgs){ .where = &(PostWhereInput){ .authorId = { .equals = PRISMA_INT(u->id) } } },
                      &l));
    ck_assert_uint_eq(l->len, k);
    for (size_t i = 0; i < l->len; i++) {
        char buf[256], want[256];
        tags_of(l->items[i].id, buf, sizeof buf);
        /* Posts come back in id order, which is the order they were given in. */
        snprintf(want, sizeof want, "a,%s,%s", own[i], shared);
        ck_assert_str_eq(buf, want);
    }
    post_list_free(l);
    user_free(u);
    free(posts);
    free(in);
    free(where);
    free(create);
    free(own);
    *copy = tl;
    tl = (trace_log){ 0 };
}

START_TEST(creating_2_or_100_children_each_connecting_or_creating_tags_costs_the_same)
{
    new_tag("a");
    trace_log small, large;
    create_posts_connecting_or_creating_tags(2, &small);
    create_posts_connecting_or_creating_tags(100, &large);
    /* The same count; the text differs by its UNION ALL branches, one per post. */
    same_cost("a user with 2 or 100 posts, each connecting or creating 3 tags", &small, &large, false);
}
END_TEST

static int take_expected_dir(char **more)
{
    expected_dir = more[0];
    return 0;
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    /* a) golden traces */
    tcase_add_test(tc, nested_create);
    tcase_add_test(tc, nested_create_in_a_transaction);
    tcase_add_test(tc, connect_and_connect_or_create);
    tcase_add_test(tc, nested_update);
    tcase_add_test(tc, nested_update_of_many_to_many);
    tcase_add_test(tc, nested_set);
    /* b) constant statement counts */
    tcase_add_test(tc, creating_2_or_100_children_costs_the_same);
    tcase_add_test(tc, creating_2_or_100_children_each_connecting_a_tag_costs_the_same);
    tcase_add_test(tc, creating_2_or_100_children_each_connecting_an_author_costs_the_same);
    tcase_add_test(tc, connecting_2_or_100_on_create_costs_the_same);
    tcase_add_test(tc, connecting_2_or_100_on_update_costs_the_same);
    tcase_add_test(tc, connecting_or_setting_2_or_100_many_to_many_costs_the_same);
    tcase_add_test(tc, creating_2_or_100_many_to_many_children_costs_the_same);
    tcase_add_test(tc, connect_or_create_of_2_or_100_costs_the_same);
    tcase_add_test(tc, creating_2_or_100_children_each_connecting_or_creating_tags_costs_the_same);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "trace", .timeout = 60, .more_usage = "EXPECTED_DIR", .n_more = 1,
                                          .url = &url, .prepare = take_expected_dir, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
