/* issue 13, include: select / omit, include with arguments, _count and
 * distinct on every backend (the `queries` suite). Each test names the
 * Prisma query-engine test it ports (prisma-engines,
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/), or says it
 * is prismac's own. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>

prisma_client *db;
const testdb_backend *backend;
static const char *url;
static int n_traced;
static char last_sql[8192];

static void on_trace(void *arg, const char *sql)
{
    (void)arg;
    n_traced++;
    snprintf(last_sql, sizeof last_sql, "%s", sql);
}

void trace_reset(void) { n_traced = 0; last_sql[0] = 0; }
int trace_count(void) { return n_traced; }
const char *trace_last(void) { return last_sql; }

static const char *const tables[] = { "_PostToTag", "Comment", "Tag", "Post", "Profile", "User" };

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    prisma_set_trace(db, on_trace, NULL);
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

void seed_user(int id, const char *email, const char *name, int age, const char *city)
{
    OK(user_create(db, &(UserCreateInput){ .id = PRISMA_INT(id), .email = email, .name = name, .age = PRISMA_INT(age),
                                          .city = city },
                   NULL));
}

void seed_post(int id, int author, const char *title, bool published, int views)
{
    OK(post_create(db, &(PostCreateInput){ .id = PRISMA_INT(id), .authorId = PRISMA_INT(author), .title = title,
                                          .published = PRISMA_BOOL(published), .views = PRISMA_INT(views) },
                   NULL));
}

void seed_comment(int id, int post, const char *text)
{
    OK(comment_create(db, &(CommentCreateInput){ .id = PRISMA_INT(id), .postId = PRISMA_INT(post), .text = text }, NULL));
}

void seed_tag(int id, const char *name)
{
    OK(tag_create(db, &(TagCreateInput){ .id = PRISMA_INT(id), .name = name }, NULL));
}

void link_tag(int post, int tag)
{
    OK(post_update(db, &(PostWhereUniqueInput){ .id = PRISMA_INT(post) },
                   &(PostUpdateInput){ .tags = { .connect = &(TagWhereUniqueInput){ .id = PRISMA_INT(tag) },
                                                 .connect_len = 1 } },
                   NULL));
}

void seed_profile(int id, int user, const char *bio)
{
    OK(profile_create(db, &(ProfileCreateInput){ .id = PRISMA_INT(id), .userId = PRISMA_INT(user), .bio = bio }, NULL));
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    backend = b;
    add_select_omit_tests(tc);
    add_include_args_tests(tc);
    add_count_tests(tc);
    add_distinct_tests(tc);
    add_statement_tests(tc);
    add_combined_tests(tc);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "queries_include", .timeout = 300, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
