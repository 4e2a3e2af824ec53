/* Handing out the generated code's names without collisions (emit_names.c). */
#ifndef PRISMAC_EMIT_NAMES_H
#define PRISMAC_EMIT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"

/* A set of strings: open addressing, in the arena. */
typedef struct emit_name_set {
    const char **slots;
    size_t cap, len;
} emit_name_set;

/* The file-scope names of one generated client. Zero it and set `a`. */
typedef struct emit_names {
    psl_arena *a;
    psl_vec reqs; /* requests (name_req *), assigned together */
    emit_name_set taken;
} emit_names;

/* Asks for the name base+suffix, written to *slot by emit_names_assign.
 * `own`: a name in the generated code's own namespace (prisma_gen_*). */
void emit_names_request(emit_names *N, const char *base, const char *suffix, const char **slot, bool own);
/* Marks a name the generated code declares itself as taken. */
void emit_names_take(emit_names *N, const char *name);
/* Hands out every requested name (see emit_names.c for the rule). Returns 0,
 * or -1 after reporting to `errs` when no free name is found. */
int emit_names_assign(emit_names *N, FILE *errs);

/* A struct member name for `name` that is none of `members` (the model's
 * other members) nor of the where-input header's, nor a standard macro:
 * `name` with underscores appended. In the arena. */
const char *emit_unique_member(psl_arena *a, const char *name, const char *const *members, size_t n);

#endif
