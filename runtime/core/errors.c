/* Per-thread errors: the last error of each client, per thread. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- per-thread errors ----
 * Each thread keeps the last error of the few clients it used most recently,
 * like errno, so threads sharing a client never see each other's errors. */
enum { ERR_SLOTS = 8 };
typedef struct err_slot {
    uint64_t client_id;
    prisma_err err;
} err_slot;
static _Thread_local err_slot err_slots[ERR_SLOTS];
static _Thread_local unsigned err_next;
static atomic_uint_fast64_t next_client_id = 1;

uint64_t client_new_id(void)
{
    return atomic_fetch_add(&next_client_id, 1);
}

static err_slot *slot_for(uint64_t id, bool create)
{
    for (int i = 0; i < ERR_SLOTS; i++)
        if (err_slots[i].client_id == id)
            return &err_slots[i];
    if (!create)
        return NULL;
    err_slot *s = &err_slots[err_next++ % ERR_SLOTS];
    s->client_id = id;
    err_clear(&s->err);
    return s;
}

void client_set_error(const prisma_client *db, const prisma_err *e)
{
    if (!db)
        return;
    err_slot *s = slot_for(db->id, true);
    s->err = *e;
    if (!s->err.code[0])
        snprintf(s->err.code, sizeof s->err.code, "UNKNOWN");
}

void client_clear_error(const prisma_client *db)
{
    if (!db)
        return;
    err_slot *s = slot_for(db->id, false);
    if (s)
        err_clear(&s->err);
}

bool client_get_error(const prisma_client *db, prisma_err *out)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    if (!s || !s->err.code[0]) {
        err_clear(out);
        return false;
    }
    *out = s->err;
    return true;
}

int client_fail(const prisma_client *db, const char *code, const char *fmt, ...)
{
    prisma_err e;
    err_clear(&e);
    snprintf(e.code, sizeof e.code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    client_set_error(db, &e);
    return PRISMA_ERROR;
}

const char *prisma_error_code(const prisma_client *db)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    return s && s->err.code[0] ? s->err.code : NULL;
}

const char *prisma_error_message(const prisma_client *db)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    return s && s->err.code[0] ? s->err.message : "";
}

const char *prisma_error_db_code(const prisma_client *db)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    return s && s->err.code[0] && s->err.db_code[0] ? s->err.db_code : NULL;
}

/* issue 15: url */
const char *prisma_error_db_message(const prisma_client *db)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    return s && s->err.code[0] ? s->err.db_message : "";
}

const char *prisma_error_model(const prisma_client *db)
{
    err_slot *s = db ? slot_for(db->id, false) : NULL;
    return s && s->err.code[0] ? s->err.model : NULL;
}

void client_forget_errors(const prisma_client *db)
{
    err_slot *s = slot_for(db->id, false);
    if (s)
        s->client_id = 0;
}
