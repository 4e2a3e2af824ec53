/* Relations as Prisma's parser database sees them, before validation
 * (inline_relations.c): the formatter adds what they miss. */
#ifndef PRISMAC_INLINE_RELATIONS_H
#define PRISMAC_INLINE_RELATIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "schema.h"

/* A relation field and what its @relation says. */
typedef struct psl_rel_field {
    psl_field *f;
    const psl_attribute *attr;     /* @relation, or NULL */
    const char *name;              /* the relation name, or NULL */
    const psl_expr *fields, *refs; /* the `fields:` / `references:` arrays, or NULL */
} psl_rel_field;

typedef struct psl_inline_rel {
    bool one_to_one;
    psl_model *a, *b;            /* the referencing model (foreign key), the referenced one */
    const psl_rel_field *fwd, *back; /* the fields on a and on b; NULL when missing */
} psl_inline_rel;

/* The 1:1 and 1:n relations of a schema, each seen from the side that holds
 * the foreign key (`a`). */
typedef struct psl_inline_relations {
    psl_rel_field *rf; /* every relation field, model by model, in order */
    size_t n_rf;
    size_t *first; /* per model: its first entry in rf (and n_rf at the end) */
    psl_inline_rel *rels;
    size_t n_rels;
} psl_inline_relations;

/* Whether the schema resolves far enough for Prisma's formatter to add
 * relation pieces: it parses, its names are unique and its types resolve
 * (later validation errors, such as a missing opposite field, do not
 * matter). Scratch memory comes from `a`. */
bool psl_inline_relations_apply(const psl_schema *s, psl_arena *a);

/* Pairs the relation fields as Prisma's parser database does
 * (relations.rs, ingest_relation). Returns 0, or -1 when a `fields:` /
 * `references:` argument does not resolve. Everything is in `a`. */
int psl_inline_relations_infer(const psl_schema *s, psl_arena *a, psl_inline_relations *out);

/* The scalar field of `m` called `name` (any field but a relation), or NULL. */
const psl_field *psl_scalar_field(const psl_model *m, const char *name);

#endif
