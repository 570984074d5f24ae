// SPDX-License-Identifier: GPL-2.0
/*
 * The system call table: our numbers from the generated headers are
 * live, and the numbers around them are not. With MYSYSCALL_EXPECT=absent
 * (CONFIG_MYSYSCALL=n) ours are not live either.
 */
#include "kselftest_harness.h"
#include "mysyscall.h"

static void expect_enosys(struct __test_metadata *_metadata, long nr)
{
	errno = 0;
	EXPECT_EQ(-1, syscall(nr, 0, 0, 0)) TH_LOG("syscall %ld", nr);
	EXPECT_EQ(ENOSYS, errno) TH_LOG("syscall %ld", nr);
}

TEST(our_numbers_are_implemented)
{
	if (mysyscall_absent() || !WIRED) {
		expect_enosys(_metadata, __NR_mysyscall);
		expect_enosys(_metadata, __NR_add10);
		return;
	}
	/* an error other than ENOSYS proves 548 is wired up, logging nothing */
	errno = 0;
	EXPECT_EQ(-1, syscall(__NR_mysyscall, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(20, syscall(__NR_add10, 10L));
}

TEST(next_number_is_enosys)
{
	expect_enosys(_metadata, (__NR_mysyscall & __X32_SYSCALL_BIT) + 550);
}

TEST(x32_range_is_enosys_for_64bit)
{
	/* 512..547 are x32-only: not in the 64-bit table */
	expect_enosys(_metadata, 512);
	expect_enosys(_metadata, 547);
}

TEST(far_numbers_are_enosys)
{
	expect_enosys(_metadata, 1000);
	expect_enosys(_metadata, 100000);
	expect_enosys(_metadata, -1);
}

TEST_HARNESS_MAIN
