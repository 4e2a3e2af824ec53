/* libFuzzer target for the schema front end: parse and check arbitrary
 * bytes, then format the syntax tree when there is one. Any crash, leak,
 * sanitizer report or timeout is a bug. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    psl_schema *s = psl_schema_load("fuzz.prisma", (const char *)data, size);
    if (!s)
        return 0;
    /* The diagnostics must be well formed. */
    for (size_t i = 0; i < s->diags.items.len; i++) {
        const psl_diag *g = s->diags.items.items[i];
        if (!g->message || g->span.start > g->span.end || g->span.file >= s->n_files || g->span.end > s->files[g->span.file].len)
            abort();
    }
    if (s->ast) {
        size_t len = 0;
        char *out = psl_format(s->ast, &s->files[0], &len);
        if (out && out[len] != '\0')
            abort(); /* NUL-terminated at out_len (NULs inside are kept verbatim) */
        free(out);
    }
    psl_schema_free(s);
    return 0;
}
