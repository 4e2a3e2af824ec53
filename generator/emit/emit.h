/* The C client emitter.
 *
 * The checked schema model (schema.h) is turned into a tree of template
 * values; the templates (templates/client.h.tmpl and client.c.tmpl, embedded
 * in the binary, or a user's own with --templates DIR) decide the text. */
#ifndef PRISMAC_EMIT_H
#define PRISMAC_EMIT_H

#include <stddef.h>
#include <stdio.h>

#include "schema.h"

/* The generated files, in memory. */
typedef struct prismac_generated {
    char *header; /* client.h */
    size_t header_len;
    char *source; /* client.c */
    size_t source_len;
} prismac_generated;

/* Renders the client of a valid schema with the embedded templates, or those
 * of `templates_dir` when not NULL. `schema_file` is the name written in the
 * banner. Problems go to `errs`. Returns 0, or -1 (nothing to free). */
int prismac_generate(const psl_schema *s, const char *schema_file, const char *templates_dir,
                     prismac_generated *out, FILE *errs);
void prismac_generated_free(prismac_generated *g);

#endif
