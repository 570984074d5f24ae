// SPDX-License-Identifier: GPL-2.0
/*
 * mysyscall() in a tight loop cannot flood the kernel log: every call
 * succeeds, but pr_info_ratelimited() lets through 10 lines per 5 s
 * (DEFAULT_RATELIMIT_BURST, DEFAULT_RATELIMIT_INTERVAL) and counts the
 * rest, which the first call after the interval reports in one
 * "__do_sys_mysyscall: N callbacks suppressed" line (lib/ratelimit.c).
 * A stress test: it exhausts the ratelimit, so it runs after the others.
 */
#include "kselftest_harness.h"
#include "mysyscall.h"

#define CALLS		100000
/*
 * The last ratelimit interval began at the latest with the flood's last
 * call; ___ratelimit() starts a new one (and reports the misses) only
 * once jiffies > begin + 5 * HZ. Wait a little longer than that.
 */
#define WAIT_NS		5500000000LL
#define MAX_LINES	40

/* The N of "__do_sys_mysyscall: N callbacks suppressed", or -1. */
static long suppressed(const char *text)
{
	const char *p = strstr(text, "mysyscall: ");
	long n;

	if (!p || !strstr(p, " callbacks suppressed") ||
	    sscanf(p, "mysyscall: %ld", &n) != 1)
		return -1;
	return n;
}

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

TEST(flood_is_ratelimited_and_the_misses_are_counted)
{
	long failed = 0, lines = 0, notes = 0, missed = 0, lost = 0, n;
	char nonce[64], text[512];
	struct timespec t0, t1, until;
	int fd = kmsg_open(), first_errno = 0, ret;

	ASSERT_LE(0, fd);
	make_nonce(nonce, sizeof(nonce), "flood");
	RETURN_IF_ABSENT(mysyscall(nonce));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < CALLS; i++) {
		if (mysyscall(nonce) && !failed++)
			first_errno = errno;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("%d calls in %.2f s", CALLS, (ns(&t1) - ns(&t0)) / 1e9);
	ASSERT_EQ(0, failed) TH_LOG("first errno %d", first_errno);

	until.tv_sec = (ns(&t1) + WAIT_NS) / 1000000000LL;
	until.tv_nsec = (ns(&t1) + WAIT_NS) % 1000000000LL;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
		;
	ASSERT_EQ(0, mysyscall(nonce));

	while ((ret = kmsg_next(fd, text, sizeof(text))) != 0) {
		if (ret < 0) {
			ASSERT_EQ(EPIPE, errno);
			lost++;
		} else if (strstr(text, nonce)) {
			lines++;
		} else if ((n = suppressed(text)) >= 0) {
			notes++;
			missed += n;
		}
	}
	TH_LOG("%ld lines, %ld suppressed in %ld notes", lines, missed, notes);
	/*
	 * EPIPE: records were overwritten before we read them, so the counts
	 * are short. The log holds 128 KiB (CONFIG_LOG_BUF_SHIFT=17) and a
	 * ratelimited flood adds a few dozen records: a loss means far more
	 * got through.
	 */
	EXPECT_EQ(0, lost);
	EXPECT_LE(1, lines);
	EXPECT_GE(MAX_LINES, lines);
	EXPECT_LE(1, notes);
	/*
	 * Every call is either a line or counted in a note. This runs first
	 * of the stress tests (flood < threads), and the tests before make
	 * fewer calls than the burst, so no one else's misses are counted.
	 */
	EXPECT_EQ(CALLS + 1 - lines, missed);
	close(fd);
}

TEST_HARNESS_MAIN
