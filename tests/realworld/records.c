/* One record of every model, through a generated client, whatever the schema.
 *
 *   records URL
 *
 * Linked with one generated client.c (tests/realworld/test_realworld.c builds
 * it per schema) and libprisma. It knows nothing of the schema: it connects
 * with the client's prisma_connect and walks the descriptors the client hands
 * the runtime (prisma_client_schema). For every model that can stand alone (no
 * required relation) it fills every required scalar that has no default with a
 * valid value of its type, creates the record, reads it back by its first
 * unique criterion (the primary key when there is one), compares what it
 * wrote, deletes it and checks it is gone.
 *
 * One line per model: "ok", "skip" (with the reason the model cannot be
 * created on its own) or "FAIL" (with the step and Prisma's code and message);
 * then a summary. Exit status 0 when no model failed. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prisma/model.h"

/* The generated client's entry point (client.h declares it; this program
 * includes no generated header, so that one source serves every schema). */
int prisma_connect(prisma_client **db, const char *url);

/* A scalar value, whatever its type: what was written or read back. */
typedef struct value {
    bool null;
    int64_t i;          /* Int, BigInt, DateTime, Boolean, enum */
    double f;           /* Float */
    const char *s;      /* String, Decimal, Json */
    prisma_bytes_value b;
} value;

/* How strings are spelled: short first (a VarChar(n) column may be narrow),
 * then as UUIDs (a @db.Uuid column takes nothing else). */
enum { STRINGS_SHORT, STRINGS_UUID, STRINGS_KINDS };

typedef struct filled {
    const prisma_field_desc *field;
    value v;
    char text[48];
} filled;

static unsigned long counter;
static const uint8_t one_byte[1] = { 0x2a };

/* Midnight UTC today: "now" that a @db.Date column keeps whole. */
static int64_t today_ms(void)
{
    int64_t now = (int64_t)time(NULL);
    return (now - now % 86400) * 1000;
}

static const char *type_name(uint8_t type)
{
    static const char *const names[] = { "?", "String", "Int", "BigInt", "Float", "Decimal",
                                         "Boolean", "DateTime", "Json", "Bytes", "enum" };
    return type < sizeof names / sizeof *names ? names[type] : "?";
}

/* Reads field f of a record (the record struct's layout). */
static value read_record(const prisma_field_desc *f, const void *rec)
{
    const char *at = (const char *)rec + f->rec_off;
    bool optional = (f->flags & PRISMA_F_OPTIONAL) != 0;
    value v = { 0 };
    const void *p = at;
    if (optional && f->type != PRISMA_TYPE_STRING && f->type != PRISMA_TYPE_DECIMAL && f->type != PRISMA_TYPE_JSON &&
        f->type != PRISMA_TYPE_ENUM) {
        memcpy(&p, at, sizeof p);
        if (!p) {
            v.null = true;
            return v;
        }
    }
    switch (f->type) {
    case PRISMA_TYPE_STRING:
    case PRISMA_TYPE_DECIMAL:
    case PRISMA_TYPE_JSON:
        memcpy(&v.s, at, sizeof v.s);
        v.null = v.s == NULL;
        break;
    case PRISMA_TYPE_INT: {
        int32_t x;
        memcpy(&x, p, sizeof x);
        v.i = x;
        break;
    }
    case PRISMA_TYPE_BIGINT:
    case PRISMA_TYPE_DATETIME:
        memcpy(&v.i, p, sizeof v.i);
        break;
    case PRISMA_TYPE_FLOAT:
        memcpy(&v.f, p, sizeof v.f);
        break;
    case PRISMA_TYPE_BOOLEAN: {
        bool x;
        memcpy(&x, p, sizeof x);
        v.i = x;
        break;
    }
    case PRISMA_TYPE_BYTES:
        memcpy(&v.b, p, sizeof v.b);
        break;
    case PRISMA_TYPE_ENUM: {
        int x;
        memcpy(&x, at, sizeof x);
        v.i = x;
        v.null = x == 0;
        break;
    }
    default:
        v.null = true;
    }
    return v;
}

/* Writes v into an input struct at `off`, in the create-input layout of f's
 * type (also the layout of a where-unique member). */
static void write_input(const prisma_field_desc *f, void *input, uint32_t off, const value *v)
{
    char *at = (char *)input + off;
    switch (f->type) {
    case PRISMA_TYPE_STRING:
    case PRISMA_TYPE_DECIMAL:
    case PRISMA_TYPE_JSON:
        memcpy(at, &v->s, sizeof v->s);
        break;
    case PRISMA_TYPE_INT: {
        prisma_int x = PRISMA_INT((int32_t)v->i);
        memcpy(at, &x, sizeof x);
        break;
    }
    case PRISMA_TYPE_BIGINT: {
        prisma_bigint x = PRISMA_BIGINT(v->i);
        memcpy(at, &x, sizeof x);
        break;
    }
    case PRISMA_TYPE_FLOAT: {
        prisma_float x = PRISMA_FLOAT(v->f);
        memcpy(at, &x, sizeof x);
        break;
    }
    case PRISMA_TYPE_BOOLEAN: {
        prisma_bool x = PRISMA_BOOL(v->i != 0);
        memcpy(at, &x, sizeof x);
        break;
    }
    case PRISMA_TYPE_DATETIME: {
        prisma_datetime x = PRISMA_DATETIME(v->i);
        memcpy(at, &x, sizeof x);
        break;
    }
    case PRISMA_TYPE_BYTES: {
        prisma_bytes x = PRISMA_BYTES(v->b.data, v->b.len);
        memcpy(at, &x, sizeof x);
        break;
    }
    case PRISMA_TYPE_ENUM: {
        int x = (int)v->i;
        memcpy(at, &x, sizeof x);
        break;
    }
    default:
        break;
    }
}

/* An empty list, given: every list input is { set mark, items, len }. */
static void write_empty_list(void *input, uint32_t off)
{
    prisma_string_list empty = PRISMA_EMPTY_LIST;
    memcpy((char *)input + off, &empty, sizeof empty);
}

/* A valid value of f's type, distinct from every other one this run. */
static void make_value(filled *out, const prisma_field_desc *f, int strings)
{
    unsigned long n = ++counter;
    out->field = f;
    memset(&out->v, 0, sizeof out->v);
    switch (f->type) {
    case PRISMA_TYPE_STRING:
        if (strings == STRINGS_UUID)
            snprintf(out->text, sizeof out->text, "00000000-0000-4000-8000-%012lu", n);
        else
            snprintf(out->text, sizeof out->text, "s%lu", n);
        out->v.s = out->text;
        break;
    case PRISMA_TYPE_DECIMAL:
        snprintf(out->text, sizeof out->text, "%lu", n);
        out->v.s = out->text;
        break;
    case PRISMA_TYPE_JSON:
        out->v.s = "{}";
        break;
    case PRISMA_TYPE_INT:
    case PRISMA_TYPE_BIGINT:
        out->v.i = (int64_t)n;
        break;
    case PRISMA_TYPE_FLOAT:
        out->v.f = (double)n + 0.5;
        break;
    case PRISMA_TYPE_BOOLEAN:
        out->v.i = 1;
        break;
    case PRISMA_TYPE_DATETIME:
        out->v.i = today_ms();
        break;
    case PRISMA_TYPE_BYTES:
        out->v.b.data = one_byte;
        out->v.b.len = 1;
        break;
    case PRISMA_TYPE_ENUM:
        out->v.i = 1; /* the first value */
        break;
    default:
        break;
    }
}

/* Whether what came back is what was written. A DateTime may come back as
 * its time of day alone (@db.Time), a Decimal with more digits (@db.Decimal's
 * scale), a Json re-spelled by the database. */
static bool same_value(const prisma_field_desc *f, const value *sent, const value *got)
{
    if (got->null)
        return false;
    switch (f->type) {
    case PRISMA_TYPE_STRING:
        return strcmp(sent->s, got->s) == 0;
    case PRISMA_TYPE_DECIMAL:
        return strtod(sent->s, NULL) == strtod(got->s, NULL);
    case PRISMA_TYPE_JSON: {
        char compact[8];
        size_t k = 0;
        for (const char *c = got->s; *c && k + 1 < sizeof compact; c++)
            if (*c != ' ')
                compact[k++] = *c;
        compact[k] = '\0';
        return strcmp(compact, "{}") == 0;
    }
    case PRISMA_TYPE_DATETIME:
        return got->i == sent->i || got->i == sent->i % 86400000;
    case PRISMA_TYPE_FLOAT:
        return fabs(got->f - sent->f) < 1e-3;
    case PRISMA_TYPE_BYTES:
        return got->b.len == sent->b.len && memcmp(got->b.data, sent->b.data, sent->b.len) == 0;
    default:
        return got->i == sent->i;
    }
}

static void describe(char *buf, size_t len, const prisma_field_desc *f, const value *v)
{
    if (v->null)
        snprintf(buf, len, "null");
    else if (f->type == PRISMA_TYPE_STRING || f->type == PRISMA_TYPE_DECIMAL || f->type == PRISMA_TYPE_JSON)
        snprintf(buf, len, "\"%s\"", v->s);
    else if (f->type == PRISMA_TYPE_FLOAT)
        snprintf(buf, len, "%g", v->f);
    else if (f->type == PRISMA_TYPE_BYTES)
        snprintf(buf, len, "%zu bytes", v->b.len);
    else
        snprintf(buf, len, "%" PRId64, v->i);
}

/* Why the model cannot be created on its own, or NULL. */
static const char *why_skipped(const prisma_model_desc *m, char *buf, size_t len)
{
    if (m->create_size == 0) {
        snprintf(buf, len, "no create input (a view, or a model the client cannot write)");
        return buf;
    }
    for (uint16_t r = 0; r < m->n_relations; r++) {
        const prisma_relation_desc *rel = &m->relations[r];
        if (rel->kind != PRISMA_REL_TO_ONE_FK)
            continue;
        /* `genre Genre? @relation(fields: [genreId])` with `genreId String`
         * is valid Prisma: a required scalar makes the relation required. */
        bool required = !rel->optional;
        for (uint16_t k = 0; k < rel->n_fields; k++)
            required |= !(m->fields[rel->fields[k]].flags & PRISMA_F_OPTIONAL);
        if (required) {
            snprintf(buf, len, "required relation %s", rel->name);
            return buf;
        }
    }
    for (uint16_t i = 0; i < m->n_fields; i++) {
        const prisma_field_desc *f = &m->fields[i];
        bool needed = !(f->flags & (PRISMA_F_OPTIONAL | PRISMA_F_DB_DEFAULT | PRISMA_F_UPDATED_AT)) &&
                      f->default_kind == PRISMA_DEFAULT_NONE;
        if (needed && f->create_off == PRISMA_NO_OFFSET) {
            snprintf(buf, len, "required field %s has no default and no place in the create input", f->name);
            return buf;
        }
    }
    if (m->n_uniques == 0) {
        snprintf(buf, len, "no unique criterion to read it back by");
        return buf;
    }
    return NULL;
}

typedef struct tally {
    int ok, skipped, failed;
} tally;

static void fail(tally *t, const prisma_model_desc *m, const char *step, prisma_client *db)
{
    printf("FAIL  %s: %s: %s: %s\n", m->name, step, prisma_error_code(db) ? prisma_error_code(db) : "-",
           prisma_error_message(db) ? prisma_error_message(db) : "-");
    t->failed++;
}

/* Creates, reads back, compares and deletes one record of m. */
static int one_record(prisma_client *db, const prisma_model_desc *m, tally *t)
{
    int status = -1;
    filled *values = calloc(m->n_fields ? m->n_fields : 1, sizeof *values);
    void *input = calloc(1, m->create_size ? m->create_size : 1);
    void *where = calloc(1, m->where_unique_size ? m->where_unique_size : 1);
    void *created = NULL, *found = NULL, *gone = NULL;
    size_t n_values = 0;
    if (!values || !input || !where) {
        printf("FAIL  %s: out of memory\n", m->name);
        t->failed++;
        goto done;
    }
    int rc = PRISMA_ERROR;
    for (int strings = 0; strings < STRINGS_KINDS && rc != PRISMA_OK; strings++) {
        memset(input, 0, m->create_size);
        n_values = 0;
        bool has_string = false;
        for (uint16_t i = 0; i < m->n_fields; i++) {
            const prisma_field_desc *f = &m->fields[i];
            if (f->create_off == PRISMA_NO_OFFSET || (f->flags & PRISMA_F_OPTIONAL))
                continue;
            if (f->flags & PRISMA_F_LIST) {
                write_empty_list(input, f->create_off);
                continue;
            }
            if ((f->flags & (PRISMA_F_DB_DEFAULT | PRISMA_F_UPDATED_AT)) || f->default_kind != PRISMA_DEFAULT_NONE)
                continue;
            has_string |= f->type == PRISMA_TYPE_STRING;
            make_value(&values[n_values], f, strings);
            write_input(f, input, f->create_off, &values[n_values].v);
            n_values++;
        }
        rc = prisma_op_create(db, m, input, NULL, &created);
        if (rc != PRISMA_OK && !has_string)
            break; /* another spelling of strings changes nothing */
    }
    if (rc != PRISMA_OK) {
        fail(t, m, "create", db);
        goto done;
    }

    /* Read it back by its first unique criterion, taken from the record. */
    const prisma_unique_desc *u = &m->uniques[0];
    for (uint16_t k = 0; k < u->n_fields; k++) {
        const prisma_field_desc *f = &m->fields[u->fields[k]];
        value v = read_record(f, created);
        write_input(f, where, u->member_offs[k], &v);
    }
    if (prisma_op_find_unique(db, m, where, NULL, false, &found) != PRISMA_OK) {
        fail(t, m, "find_unique", db);
        goto done;
    }
    if (!found) {
        printf("FAIL  %s: find_unique by %s: the record just created is not found\n", m->name, u->name);
        t->failed++;
        goto done;
    }
    for (size_t k = 0; k < n_values; k++) {
        const prisma_field_desc *f = values[k].field;
        value got = read_record(f, found);
        if (!same_value(f, &values[k].v, &got)) {
            char sent_text[64], got_text[64];
            describe(sent_text, sizeof sent_text, f, &values[k].v);
            describe(got_text, sizeof got_text, f, &got);
            printf("FAIL  %s: read back: %s (%s) is %s, was written %s\n", m->name, f->name, type_name(f->type),
                   got_text, sent_text);
            t->failed++;
            goto done;
        }
    }
    if (prisma_op_delete(db, m, where, NULL, NULL) != PRISMA_OK) {
        fail(t, m, "delete", db);
        goto done;
    }
    if (prisma_op_find_unique(db, m, where, NULL, false, &gone) != PRISMA_OK) {
        fail(t, m, "find_unique after delete", db);
        goto done;
    }
    if (gone) {
        printf("FAIL  %s: delete: the record is still there\n", m->name);
        t->failed++;
        goto done;
    }
    printf("ok    %s (%zu values filled)\n", m->name, n_values);
    t->ok++;
    status = 0;
done:
    prisma_free(gone);
    prisma_free(found);
    prisma_free(created);
    free(where);
    free(input);
    free(values);
    return status;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s URL\n", argv[0]);
        return 2;
    }
    prisma_client *db = NULL;
    if (prisma_connect(&db, argv[1]) != PRISMA_OK) {
        printf("FAIL  connect: %s: %s\n", prisma_last_connect_error_code(), prisma_last_connect_error());
        return 1;
    }
    const prisma_schema_desc *schema = prisma_client_schema(db);
    tally t = { 0 };
    for (uint16_t i = 0; i < schema->n_models; i++) {
        const prisma_model_desc *m = schema->models[i];
        char why[256];
        if (why_skipped(m, why, sizeof why)) {
            printf("skip  %s: %s\n", m->name, why);
            t.skipped++;
            continue;
        }
        one_record(db, m, &t);
    }
    printf("records: %u models: %d ok, %d skipped, %d failed\n", (unsigned)schema->n_models, t.ok, t.skipped,
           t.failed);
    prisma_disconnect(db);
    return t.failed ? 1 : 0;
}
