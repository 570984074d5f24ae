// SPDX-License-Identifier: GPL-2.0
/*
 * add10(2): returns x + 10; EOVERFLOW when that overflows a long; ERANGE
 * when the result would lie in -4095..-1, which libc reads as an error.
 * With MYSYSCALL_EXPECT=absent every test expects ENOSYS instead. Built for
 * i386 too, long is 32 bits (compat_sys_add10()); built for x32, add10()
 * is not wired, and every test expects ENOSYS.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "mysyscall.h"

TEST(ten_gives_twenty)
{
	RETURN_IF_ABSENT(add10(10));
	ASSERT_EQ(20, add10(10));
}

TEST(small_values)
{
	RETURN_IF_ABSENT(add10(0));
	ASSERT_EQ(10, add10(0));
	ASSERT_EQ(11, add10(1));
	ASSERT_EQ(0, add10(-10));
	ASSERT_EQ(1000010, add10(1000000));
}

TEST(largest_result)
{
	RETURN_IF_ABSENT(add10(LONG_MAX - 10));
	ASSERT_EQ(LONG_MAX, add10(LONG_MAX - 10));
}

TEST(overflow_is_eoverflow)
{
	long x[] = { LONG_MAX - 9, LONG_MAX - 1, LONG_MAX };

	RETURN_IF_ABSENT(add10(LONG_MAX));
	for (unsigned int i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, add10(x[i])) TH_LOG("add10(%ld)", x[i]);
		EXPECT_EQ(EOVERFLOW, errno) TH_LOG("add10(%ld)", x[i]);
	}
}

TEST(negative_results_outside_errno_range)
{
	RETURN_IF_ABSENT(add10(LONG_MIN));
	ASSERT_EQ(LONG_MIN + 10, add10(LONG_MIN));
	ASSERT_EQ(-4096, add10(-4106));
	ASSERT_EQ(-1000000, add10(-1000010));
}

TEST(errno_range_is_erange)
{
	/* results -4095..-1 would look like an error to every libc */
	long x[] = { -11, -12, -20, -4105, -1000 };

	RETURN_IF_ABSENT(add10(-11));
	for (unsigned int i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, add10(x[i])) TH_LOG("add10(%ld)", x[i]);
		EXPECT_EQ(ERANGE, errno) TH_LOG("add10(%ld)", x[i]);
	}
}

TEST_HARNESS_MAIN
