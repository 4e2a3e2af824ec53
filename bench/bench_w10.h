/* W10 of shared/bench/WORKLOAD.md (group by), in its own file
 * (bench_w10.c), run by bench_workload.c with its measuring and reporting. */
#ifndef PRISMAC_BENCH_W10_H
#define PRISMAC_BENCH_W10_H

#include <prisma/prisma.h>

typedef void (*bench_measure_fn)(void (*p)(int), void (*r)(int), int base, int n, double *p_rate, double *r_rate);
typedef void (*bench_report_fn)(const char *phase, double p, double r);

/* Sets every user's name to one of 20 values on both sides (not timed),
 * then measures n group_by operations on each side and reports W10. `raw`:
 * the hand-written side's sqlite3 * or PGconn *. */
void bench_w10(prisma_client *db, void *raw, int n, bench_measure_fn measure, bench_report_fn report);

#endif
