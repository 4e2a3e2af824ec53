/* The bank transfer from Prisma's documentation ("Interactive transactions"),
 * on the generated client of examples/schema.prisma.
 *
 * Alice and Bob start with 100 each. The first transfer of 100 from Alice to
 * Bob commits; the second would take Alice below zero, so the callback fails
 * it with prisma_fail() and the whole transaction rolls back. The program
 * prints the final balances, 0 and 200, and exits 0 only if they are right.
 *
 * Usage: bank [DATABASE_URL]   (default: the DATABASE_URL environment
 * variable, as the schema's datasource says); the database must have the
 * schema pushed (prismac db push --schema examples/schema.prisma). */
#include <stdio.h>
#include <string.h>

#include "client.h"

struct transfer {
    const char *from;
    const char *to;
    int amount;
};

static int transfer(prisma_client *tx, void *arg)
{
    const struct transfer *t = arg;
    User *sender;
    /* 1. Decrement amount from the sender. */
    int rc = user_update(tx, &(UserWhereUniqueInput){ .email = t->from },
                         &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(t->amount) } }, &sender);
    if (rc != PRISMA_OK)
        return rc;
    /* 2. Verify that the sender's balance didn't go below zero. */
    if (sender->balance < 0)
        rc = prisma_fail(tx, "%s doesn't have enough to send %d", t->from, t->amount);
    user_free(sender);
    if (rc != PRISMA_OK)
        return rc;
    /* 3. Increment the recipient's balance by amount. */
    return user_update(tx, &(UserWhereUniqueInput){ .email = t->to },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(t->amount) } }, NULL);
}

static int balance_of(prisma_client *db, const char *email, int *balance)
{
    User *u = NULL;
    if (user_find_unique(db, &(UserWhereUniqueInput){ .email = email }, &u) != PRISMA_OK || !u)
        return PRISMA_ERROR;
    *balance = u->balance;
    user_free(u);
    return PRISMA_OK;
}

int main(int argc, char **argv)
{
    prisma_client *db;
    if (prisma_connect(&db, argc > 1 ? argv[1] : NULL) != PRISMA_OK) {
        fprintf(stderr, "cannot connect: %s\n", prisma_last_connect_error());
        return 1;
    }
    int status = 0;
    /* Alice and Bob with 100 each (created, or reset if they exist). */
    static const char *const people[] = { "alice@prisma.io", "bob@prisma.io" };
    for (int i = 0; i < 2; i++) {
        if (user_upsert(db, &(UserWhereUniqueInput){ .email = people[i] },
                        &(UserCreateInput){ .email = people[i], .balance = PRISMA_INT(100) },
                        &(UserUpdateInput){ .balance = { .set = PRISMA_INT(100) } }, NULL) != PRISMA_OK) {
            fprintf(stderr, "cannot set up %s: %s\n", people[i], prisma_error_message(db));
            prisma_disconnect(db);
            return 1;
        }
    }
    const prisma_tx_options opts = { .max_wait_ms = 5000, .timeout_ms = 10000, .isolation = PRISMA_SERIALIZABLE };
    for (int i = 1; i <= 2; i++) {
        int rc = prisma_transaction(db, transfer, &(struct transfer){ "alice@prisma.io", "bob@prisma.io", 100 },
                                    &opts);
        if (rc == PRISMA_OK) {
            printf("transfer %d: committed\n", i);
        } else {
            printf("transfer %d: rolled back: %s\n", i, prisma_error_message(db));
        }
        /* The first succeeds; the second is the user's own failure. */
        bool expected = i == 1 ? rc == PRISMA_OK
                               : rc != PRISMA_OK && prisma_error_code(db) && strcmp(prisma_error_code(db), "USER") == 0 &&
                                     strcmp(prisma_error_message(db), "alice@prisma.io doesn't have enough to send 100") == 0;
        if (!expected) {
            fprintf(stderr, "transfer %d: unexpected outcome (%s %s)\n", i,
                    prisma_error_code(db) ? prisma_error_code(db) : "OK", prisma_error_message(db));
            status = 1;
        }
    }
    int alice = -1, bob = -1;
    if (balance_of(db, "alice@prisma.io", &alice) != PRISMA_OK || balance_of(db, "bob@prisma.io", &bob) != PRISMA_OK) {
        fprintf(stderr, "cannot read the balances: %s\n", prisma_error_message(db));
        status = 1;
    }
    printf("alice@prisma.io: %d\n", alice);
    printf("bob@prisma.io: %d\n", bob);
    if (alice != 0 || bob != 200) {
        fprintf(stderr, "wrong balances: expected 0 and 200\n");
        status = 1;
    }
    prisma_disconnect(db);
    return status;
}
