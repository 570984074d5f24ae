// SPDX-License-Identifier: GPL-2.0
/*
 * Several threads call both system calls in a loop for a while, each with
 * its own inputs, the error cases among them: every result must be right
 * and every thread must get on. Nothing here depends on the number of
 * CPUs. A stress test: its valid messages use up the printk ratelimit.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>

#include "kselftest_harness.h"
#include "mysyscall.h"

#define THREADS		4
#define SECONDS		2
#define MSG_SIZE	128	/* the kernel's limit, including the NUL */

struct worker {
	pthread_t thread;
	int id;
	long calls;
	long wrong;
	char first_wrong[128];	/* the first wrong result, described */
};

static atomic_bool stop;
static pthread_barrier_t start;

/* One call and what it must give: @want, or -1 and @err. */
struct check {
	long nr, arg, want;
	int err;
};

/* The @i-th call of worker @id; add10 arguments differ between workers. */
static struct check pick(const struct worker *w, long i, const char *msg,
			 const char *unterminated)
{
	long x = (long)w->id << 40 | i;

	switch (i % 10) {
	case 0:
		return (struct check){ 548, (long)msg, 0, 0 };
	case 1:
		return (struct check){ 548, 0, -1, EFAULT };
	case 2:
		return (struct check){ 548, (long)unterminated, -1, E2BIG };
	case 3:
		return (struct check){ 549, LONG_MAX - 9 + i % 9, -1, EOVERFLOW };
	case 4:
		return (struct check){ 549, LONG_MAX - 10, LONG_MAX, 0 };
	case 5:
		return (struct check){ 549, -11 - i % 4095, -1, ERANGE };
	case 6:
		return (struct check){ 549, -4106, -4096, 0 };
	case 7:
		return (struct check){ 549, LONG_MIN + i % 1000, LONG_MIN + i % 1000 + 10, 0 };
	default:
		return (struct check){ 549, x, x + 10, 0 };
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	char msg[64], unterminated[MSG_SIZE + 1];

	snprintf(msg, sizeof(msg), "concurrency-%d", w->id);
	/* 128 bytes without a NUL, then one: no NUL within the limit */
	memset(unterminated, 'u', MSG_SIZE);
	unterminated[MSG_SIZE] = '\0';

	pthread_barrier_wait(&start);
	for (long i = 0; !atomic_load(&stop); i++) {
		struct check c = pick(w, i, msg, unterminated);
		long ret;

		errno = 0;
		ret = syscall(c.nr, c.arg);
		w->calls++;
		if (ret == c.want && (ret != -1 || errno == c.err))
			continue;
		if (!w->wrong++)
			snprintf(w->first_wrong, sizeof(w->first_wrong),
				 "syscall(%ld, %ld) = %ld errno %d, want %ld errno %d",
				 c.nr, c.arg, ret, errno, c.want, c.err);
	}
	return NULL;
}

TEST(threads_call_both_with_right_results)
{
	struct worker w[THREADS] = { 0 };
	struct timespec t = { .tv_sec = SECONDS };

	RETURN_IF_ABSENT(add10(1));
	ASSERT_EQ(0, pthread_barrier_init(&start, NULL, THREADS + 1));
	for (int i = 0; i < THREADS; i++) {
		w[i].id = i + 1;
		ASSERT_EQ(0, pthread_create(&w[i].thread, NULL, work, &w[i]));
	}
	pthread_barrier_wait(&start);
	nanosleep(&t, NULL);
	atomic_store(&stop, true);
	for (int i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_join(w[i].thread, NULL));

	for (int i = 0; i < THREADS; i++) {
		TH_LOG("thread %d: %ld calls, %ld wrong", w[i].id, w[i].calls,
		       w[i].wrong);
		/* each went round the whole pick() list many times */
		EXPECT_LE(100, w[i].calls);
		EXPECT_EQ(0, w[i].wrong) TH_LOG("thread %d: %s", w[i].id,
						w[i].first_wrong);
	}
}

TEST_HARNESS_MAIN
