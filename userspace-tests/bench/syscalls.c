// SPDX-License-Identifier: GPL-2.0
/*
 * What a call costs in the guest, in ns: add10(), mysyscall() with a
 * short message (ratelimited: after the first 10 lines in 5 s the message
 * is copied and checked but not printed), getppid() (the cheapest real
 * system call: entry and exit only) and clock_gettime() through the vDSO
 * (no trap at all). Each figure is the median of RUNS runs of CALLS calls.
 * Prints "bench: NAME MEDIAN MIN MAX" (ns per call) for scripts/bench.sh.
 * Not a test: /init runs it only with MYSYSCALL_MODE=bench.
 */
#include <stdint.h>

#include "mysyscall.h"

#define RUNS	9
#define CALLS	200000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static volatile long sink;

static void op_add10(void) { sink = add10(sink & 0xffff); }
static void op_mysyscall(void) { sink = mysyscall("bench"); }
static void op_getppid(void) { sink = syscall(SYS_getppid); }
static void op_vdso(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sink = ts.tv_nsec;
}

static void bench(const char *name, void (*op)(void))
{
	double ns[RUNS];
	int r, i;

	for (i = 0; i < CALLS / 10; i++) /* warm up */
		op();
	for (r = 0; r < RUNS; r++) {
		uint64_t t0 = now_ns();

		for (i = 0; i < CALLS; i++)
			op();
		ns[r] = (double)(now_ns() - t0) / CALLS;
	}
	qsort(ns, RUNS, sizeof(ns[0]), cmp_double);
	printf("bench: %s %.1f %.1f %.1f\n", name, ns[RUNS / 2], ns[0], ns[RUNS - 1]);
	fflush(stdout);
}

int main(void)
{
	if (add10(0) != 10) {
		fprintf(stderr, "bench: add10(0) is not 10 (%s): no system calls to measure\n", strerror(errno));
		return 1;
	}
	bench("getppid", op_getppid);
	bench("add10", op_add10);
	bench("mysyscall", op_mysyscall);
	bench("vdso_clock_gettime", op_vdso);
	return 0;
}
