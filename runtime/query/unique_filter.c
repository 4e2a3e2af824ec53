/* issue 13: writes. A where-unique input's `filter`: Prisma's
 * WhereUniqueInput takes, beside one unique criterion, any other conditions
 * of a where input; the record must meet them too, else it is not found. */
#include "query.h"

const void *q_unique_filter(const prisma_model_desc *m, const void *u)
{
    /* 0: a descriptor without the member (the filter never comes first:
     * the unique criteria, or a placeholder, precede it). */
    if (!u || !m->filter_off || m->filter_off == PRISMA_NO_OFFSET)
        return NULL;
    const void *f;
    memcpy(&f, (const char *)u + m->filter_off, sizeof f);
    return f;
}
