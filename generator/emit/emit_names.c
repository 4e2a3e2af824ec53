/* The names of the generated code: the file-scope names derived from the
 * schema's (types, functions, statics) and struct member names.
 *
 * Names. The schema model already gives every model, enum, value and field a
 * valid C name (c_name, c_prefix). The generated code derives more names from
 * them (UserList, UserCreateInput, user_find_many, ...), and those can collide
 * with each other or with a schema name: a model User beside a model UserList,
 * user_list_free of model User beside the free function of model UserList.
 * The rule, deterministic and independent of the order of the schema as far as
 * possible:
 *
 *   1. Every file-scope name is split into a base (a model's or enum's c_name
 *      or c_prefix, an enum value's c_name) and a suffix ("List", "_create",
 *      "" for the schema's own names).
 *   2. Names are handed out by increasing suffix length, then in schema order
 *      (enums, then models; each one's names in a fixed order). So a name the
 *      schema spells out itself always wins over a derived one: model UserList
 *      keeps `UserList` and `user_list_free`.
 *   3. A name already taken gets an underscore between its base and its suffix
 *      until it is free: User's list type becomes `User_List`, its list free
 *      function `user__list_free`.
 *
 * Taken from the start: the reserved words (ident.c: C, C23, C++ and GNU
 * keywords, the names and macros of the standard headers), the parameter and local names of the generated functions (a type named
 * `data` would break `const dataCreateInput *data, data **out`), and the
 * runtime's namespace: all-lower-case names starting with prisma_ and
 * all-upper-case ones starting with PRISMA_ (but for a trailing '_', the
 * schema model's escape: model `prisma` is the type `prisma_`). The generated
 * code's own statics live in prisma_gen_*.
 *
 * Struct members: a field's member name is its c_name, with an underscore
 * appended while it is one of the where-input header's members (AND, OR, NOT,
 * AND_len, ...), a reserved word (INT32_MAX, ...) or the
 * member name of another field of the model. */
#include "emit_names.h"
#include "ident.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static bool set_has(const emit_name_set *ns, const char *s)
{
    if (!ns->cap)
        return false;
    for (size_t i = str_hash(s) & (ns->cap - 1);; i = (i + 1) & (ns->cap - 1)) {
        if (!ns->slots[i])
            return false;
        if (strcmp(ns->slots[i], s) == 0)
            return true;
    }
}

static void set_add(psl_arena *a, emit_name_set *ns, const char *s)
{
    if ((ns->len + 1) * 2 > ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 256;
        const char **slots = psl_arena_alloc(a, cap * sizeof *slots);
        for (size_t k = 0; k < ns->cap; k++) {
            if (!ns->slots[k])
                continue;
            size_t i = str_hash(ns->slots[k]) & (cap - 1);
            while (slots[i])
                i = (i + 1) & (cap - 1);
            slots[i] = ns->slots[k];
        }
        ns->slots = slots;
        ns->cap = cap;
    }
    size_t i = str_hash(s) & (ns->cap - 1);
    while (ns->slots[i]) {
        if (strcmp(ns->slots[i], s) == 0)
            return;
        i = (i + 1) & (ns->cap - 1);
    }
    ns->slots[i] = s;
    ns->len++;
}

/* The parameters and locals of the generated functions: no file-scope name
 * may shadow them. (The reserved words are ident.c's.) */
static const char *const taken_names[] = {
    "db", "data", "n", "skip_duplicates", "count", "where", "out", "args", "create", "update", "record", "list",
    "url", "options", "rec", "rc", "fa",
};

static bool name_free(const emit_name_set *ns, const char *s, bool own_namespace)
{
    if (set_has(ns, s) || psl_reserved_word(s))
        return false;
    return own_namespace || !psl_in_runtime_namespace(s);
}

/* One name to hand out. */
typedef struct name_req {
    const char *base, *suffix;
    size_t suffix_len;
    const char **slot;
    size_t seq;
    bool own_namespace; /* prisma_gen_*: the generated code's own statics */
} name_req;

static int cmp_req(const void *pa, const void *pb)
{
    const name_req *a = *(const name_req *const *)pa, *b = *(const name_req *const *)pb;
    if (a->own_namespace != b->own_namespace)
        return a->own_namespace ? 1 : -1;
    if (a->suffix_len != b->suffix_len)
        return a->suffix_len < b->suffix_len ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void emit_names_request(emit_names *N, const char *base, const char *suffix, const char **slot, bool own)
{
    name_req *r = psl_arena_alloc(N->a, sizeof *r);
    r->base = base;
    r->suffix = suffix;
    r->suffix_len = strlen(suffix);
    r->slot = slot;
    r->seq = N->reqs.len;
    r->own_namespace = own;
    psl_vec_push(N->a, &N->reqs, r);
}

void emit_names_take(emit_names *N, const char *name)
{
    set_add(N->a, &N->taken, name);
}

int emit_names_assign(emit_names *N, FILE *errs)
{
    for (size_t i = 0; i < sizeof taken_names / sizeof taken_names[0]; i++)
        set_add(N->a, &N->taken, taken_names[i]);
    qsort(N->reqs.items, N->reqs.len, sizeof N->reqs.items[0], cmp_req);
    for (size_t i = 0; i < N->reqs.len; i++) {
        const name_req *r = N->reqs.items[i];
        const char *name = psl_arena_printf(N->a, "%s%s", r->base, r->suffix);
        for (size_t k = 1; !name_free(&N->taken, name, r->own_namespace); k++) {
            if (k > 64) {
                fprintf(errs, "prismac generate: cannot find a free C name for %s%s\n", r->base, r->suffix);
                return -1;
            }
            char *us = psl_arena_alloc(N->a, k + 1);
            memset(us, '_', k);
            name = psl_arena_printf(N->a, "%s%s%s", r->base, us, r->suffix);
        }
        set_add(N->a, &N->taken, name);
        *r->slot = name;
    }
    return 0;
}

/* Struct member names of a model's fields. */
static bool member_taken(const char *s, const char *const *members, size_t n)
{
    static const char *const header[] = { "AND", "AND_len", "OR", "OR_len", "NOT", "NOT_len" };
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
        if (streq(s, header[i]))
            return true;
    for (size_t i = 0; i < n; i++)
        if (streq(s, members[i]))
            return true;
    return psl_reserved_word(s);
}

const char *emit_unique_member(psl_arena *a, const char *name, const char *const *members, size_t n)
{
    while (member_taken(name, members, n))
        name = psl_arena_printf(a, "%s_", name);
    return name;
}
