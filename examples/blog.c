/* The example: users, posts and tags through the generated client.
 *
 *   prismac db push --schema examples/schema.prisma --url file:./example.db --force-reset
 *   DATABASE_URL=file:./example.db ./blog
 */
#include <stdio.h>
#include <stdlib.h>

#include "client.h"

#define CHECK(call)                                                                                 \
    do {                                                                                            \
        if ((call) != PRISMA_OK) {                                                                  \
            fprintf(stderr, "%s failed: %s %s\n", #call, prisma_error_code(db), prisma_error_message(db)); \
            prisma_disconnect(db);                                                                  \
            return 1;                                                                               \
        }                                                                                           \
    } while (0)

int main(void)
{
    prisma_client *db;
    if (prisma_connect(&db, NULL) != PRISMA_OK) { /* the schema's url: env("DATABASE_URL") or .env */
        fprintf(stderr, "cannot connect: %s\n", prisma_last_connect_error());
        return 1;
    }

    User *alice, *bob;
    CHECK(user_create(db, &(UserCreateInput){ .email = "alice@prisma.io", .name = "Alice", .balance = PRISMA_INT(100) },
                      &alice));
    CHECK(user_create(db, &(UserCreateInput){ .email = "bob@prisma.io", .role = ROLE_ADMIN }, &bob));
    printf("created user %d <%s> (%s), balance %d\n", alice->id, alice->email, alice->name, alice->balance);
    printf("created user %d <%s> (no name), role %s\n", bob->id, bob->email, bob->role == ROLE_ADMIN ? "ADMIN" : "USER");

    /* A second Alice breaks the unique email: Prisma's P2002. */
    if (user_create(db, &(UserCreateInput){ .email = "alice@prisma.io" }, NULL) != PRISMA_OK)
        printf("second alice rejected: %s: %s\n", prisma_error_code(db), prisma_error_message(db));

    /* A nested write: three posts for Alice, the first tagged "c" (connected
     * if the tag exists, created if not), in one atomic call. */
    PostCreateInput posts[] = {
        { .title = "Hello C", .published = PRISMA_BOOL(true),
          .tags = { .connect_or_create = &(TagConnectOrCreateInput){ .where = &(TagWhereUniqueInput){ .name = "c" },
                                                                      .create = &(TagCreateInput){ .name = "c" } },
                    .connect_or_create_len = 1 } },
        { .title = "Prisma schemas", .published = PRISMA_BOOL(true) },
        { .title = "Transactions" },
    };
    User *writer;
    CHECK(user_update_include(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(alice->id) },
                              &(UserUpdateInput){ .posts = { .create = posts, .create_len = 3 } },
                              &(UserInclude){ .posts = true }, &writer));
    printf("created %zu posts by Alice in one nested write (ids", writer->posts->len);
    for (size_t i = 0; i < writer->posts->len; i++)
        printf(" %d", writer->posts->items[i].id);
    printf(") and a tag\n");
    user_free(writer);

    User *after;
    CHECK(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(alice->id) },
                      &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(50) } }, &after));
    printf("alice's balance after a decrement of 50: %d\n", after->balance);

    PostList *published;
    CHECK(post_find_many(db,
                         &(PostFindManyArgs){ .where = &(PostWhereInput){ .published = { .equals = PRISMA_BOOL(true) } },
                                              .order_by = (PostOrderByInput[]){ { .title = PRISMA_ASC } },
                                              .order_by_len = 1,
                                              .include = &(PostInclude){ .author = true } },
                         &published));
    printf("published posts:\n");
    for (size_t i = 0; i < published->len; i++)
        printf("  \"%s\" by %s\n", published->items[i].title, published->items[i].author->name);

    UserList *rich;
    CHECK(user_find_many(db,
                         &(UserFindManyArgs){ .where = &(UserWhereInput){ .balance = { .gte = PRISMA_INT(10) },
                                                                          .email = { .ends_with = "@prisma.io" } },
                                              .include = &(UserInclude){ .posts = true },
                                              .take = PRISMA_TAKE(10) },
                         &rich));
    for (size_t i = 0; i < rich->len; i++)
        printf("user %s has balance %d and %zu posts\n", rich->items[i].email, rich->items[i].balance,
               rich->items[i].posts->len);

    int64_t n;
    CHECK(post_count(db, NULL, &n));
    printf("%lld posts in all\n", (long long)n);

    user_free(alice);
    user_free(bob);
    user_free(after);
    post_list_free(published);
    user_list_free(rich);
    prisma_disconnect(db);
    return 0;
}
