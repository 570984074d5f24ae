// SPDX-License-Identifier: GPL-2.0
/*
 * mysyscall(2): logs "mysyscall: <msg>" and returns 0; EFAULT for memory
 * it cannot read; E2BIG (and nothing logged) without a NUL in 128 bytes.
 * Every log check looks for a nonce no other test or boot has logged.
 *
 * With MYSYSCALL_EXPECT=absent every test expects ENOSYS and nothing
 * logged instead.
 *
 * The message is ratelimited (10 lines per 5 s by default): the whole
 * guest suite stays below that many successful calls.
 */
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mysyscall.h"

#define MSG_SIZE 128	/* the kernel's limit, including the NUL */

/* Call mysyscall(msg) and expect it to log exactly "mysyscall: <want>". */
static void expect_logged(struct __test_metadata *_metadata,
			  const char *msg, const char *want)
{
	char line[512] = "", needle[300];
	int fd = kmsg_open();

	ASSERT_LE(0, fd) TH_LOG("open /dev/kmsg: %s", strerror(errno));
	ASSERT_EQ(0, mysyscall(msg)) TH_LOG("errno %d", errno);
	snprintf(needle, sizeof(needle), "mysyscall: %s", want);
	EXPECT_EQ(1, kmsg_grep(fd, needle, line, sizeof(line)));
	EXPECT_STREQ(needle, line);
	close(fd);
}

/* Two pages, the second PROT_NONE: returns the end of the first. */
static char *page_before_hole(struct __test_metadata *_metadata)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + page, page, PROT_NONE))
		return NULL;
	return p + page;
}

TEST(returns_zero_and_logs)
{
	char msg[64];

	make_nonce(msg, sizeof(msg), "hello");
	RETURN_IF_ABSENT(mysyscall(msg));
	expect_logged(_metadata, msg, msg);
}

TEST(empty_string)
{
	int fd = kmsg_open();
	char line[256] = "";

	RETURN_IF_ABSENT(mysyscall(""));
	LOGS_MORE();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mysyscall(""));
	/* the record is exactly the prefix, nothing after it */
	ASSERT_LE(1, kmsg_grep(fd, "mysyscall: ", line, sizeof(line)));
	EXPECT_STREQ("mysyscall: ", line);
	close(fd);
}

TEST(longest_message_127_bytes)
{
	char msg[MSG_SIZE];

	memset(msg, 'x', sizeof(msg));
	make_nonce(msg, 40, "max");
	msg[strlen(msg)] = 'x';		/* overwrite the nonce's NUL */
	msg[MSG_SIZE - 1] = '\0';
	ASSERT_EQ((size_t)MSG_SIZE - 1, strlen(msg));
	RETURN_IF_ABSENT(mysyscall(msg));
	LOGS_MORE();
	expect_logged(_metadata, msg, msg);
}

TEST(no_nul_in_128_bytes_is_e2big_and_not_logged)
{
	char msg[MSG_SIZE + 16], nonce[40];
	int fd = kmsg_open();

	ASSERT_LE(0, fd);
	make_nonce(nonce, sizeof(nonce), "toolong");
	memset(msg, 'y', sizeof(msg));
	memcpy(msg, nonce, strlen(nonce));
	msg[sizeof(msg) - 1] = '\0';	/* NUL only after byte 128 */
	RETURN_IF_ABSENT(mysyscall(msg));
	errno = 0;
	EXPECT_EQ(-1, mysyscall(msg));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(0, kmsg_grep(fd, nonce, NULL, 0));
	close(fd);
}

TEST(null_is_efault)
{
	RETURN_IF_ABSENT(mysyscall(NULL));
	errno = 0;
	ASSERT_EQ(-1, mysyscall(NULL));
	ASSERT_EQ(EFAULT, errno);
}

TEST(kernel_address_is_efault)
{
#if __SIZEOF_POINTER__ == 8
	const char *kernel = (const char *)0xffffffff81000000UL;

	RETURN_IF_ABSENT(mysyscall(kernel));
	errno = 0;
	ASSERT_EQ(-1, mysyscall(kernel));
	ASSERT_EQ(EFAULT, errno);
#else
	SKIP(return, "a 32-bit pointer cannot hold a kernel address of x86-64");
#endif
}

TEST(prot_none_is_efault)
{
	char *hole = page_before_hole(_metadata);

	ASSERT_NE(NULL, hole);
	RETURN_IF_ABSENT(mysyscall(hole));
	errno = 0;
	ASSERT_EQ(-1, mysyscall(hole));
	ASSERT_EQ(EFAULT, errno);
}

TEST(unmapped_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	strcpy(p, "gone");
	ASSERT_EQ(0, munmap(p, page));
	RETURN_IF_ABSENT(mysyscall(p));
	errno = 0;
	ASSERT_EQ(-1, mysyscall(p));
	ASSERT_EQ(EFAULT, errno);
}

TEST(short_string_right_before_unmapped_page)
{
	/* a fixed-size copy of 128 bytes would fault here */
	char *hole = page_before_hole(_metadata), nonce[40];

	ASSERT_NE(NULL, hole);
	make_nonce(nonce, sizeof(nonce), "edge");
	memcpy(hole - strlen(nonce) - 1, nonce, strlen(nonce) + 1);
	RETURN_IF_ABSENT(mysyscall(hole - strlen(nonce) - 1));
	LOGS_MORE();
	expect_logged(_metadata, hole - strlen(nonce) - 1, nonce);
}

TEST(no_nul_before_unmapped_page_is_efault)
{
	char *hole = page_before_hole(_metadata);

	ASSERT_NE(NULL, hole);
	memset(hole - 20, 'z', 20);
	RETURN_IF_ABSENT(mysyscall(hole - 20));
	errno = 0;
	ASSERT_EQ(-1, mysyscall(hole - 20));
	ASSERT_EQ(EFAULT, errno);
}

TEST(newline_is_escaped_and_forges_no_line)
{
	char nonce[40], msg[128], want[160], forged[80], line[512] = "";
	int fd = kmsg_open();

	ASSERT_LE(0, fd);
	make_nonce(nonce, sizeof(nonce), "esc");
	snprintf(msg, sizeof(msg), "%s\nmysyscall: forged-%s\t\x01", nonce, nonce);
	snprintf(want, sizeof(want), "mysyscall: %s\\nmysyscall: forged-%s\\t\\001",
		 nonce, nonce);
	snprintf(forged, sizeof(forged), "forged-%s", nonce);
	RETURN_IF_ABSENT(mysyscall(msg));
	LOGS_MORE();
	ASSERT_EQ(0, mysyscall(msg));
	/* one record, holding the escaped text; none starts with the forgery */
	EXPECT_EQ(1, kmsg_grep(fd, forged, line, sizeof(line)));
	EXPECT_STREQ(want, line);
	close(fd);
}

TEST_HARNESS_MAIN
