// SPDX-License-Identifier: GPL-2.0
/*
 * The manual pages of man/ are in the guest: man(1) (initramfs/usr/bin/man,
 * BusyBox has none) shows them rendered, with or without a section, the
 * roff sources are in /usr/share/man/man2, and a page that is not there
 * is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "kselftest_harness.h"

static char out[65536];
static const char *last;	/* the command that wrote out[] */

/*
 * Run a shell command through popen(), its stdout and stderr into out[]
 * (NUL-terminated, cut at its size); return its exit status, or -1 if it
 * did not exit.
 */
static int sh(const char *cmd)
{
	char full[256], rest[4096];
	size_t len = 0, n;
	FILE *f;
	int status;

	last = cmd;
	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	f = popen(full, "r");
	if (!f)
		return -1;
	while (len < sizeof(out) - 1 &&
	       (n = fread(out + len, 1, sizeof(out) - 1 - len, f)) > 0)
		len += n;
	out[len] = '\0';
	while (fread(rest, 1, sizeof(rest), f) > 0)
		;	/* read to the end, so the command is not stopped by SIGPIPE */
	status = pclose(f);
	return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define EXPECT_HAS(needle) \
	EXPECT_NE(NULL, strstr(out, needle)) \
		TH_LOG("no \"%s\" in the output of \"%s\"", needle, last)

TEST(man_2_mysyscall)
{
	ASSERT_EQ(0, sh("man 2 mysyscall")) TH_LOG("%.200s", out);
	EXPECT_HAS("mysyscall(2)");
	EXPECT_HAS("mysyscall - write a message to the kernel log");
	EXPECT_HAS("long syscall(SYS_mysyscall, const char *msg);");
	EXPECT_HAS("E2BIG");
	EXPECT_HAS("EFAULT");
	EXPECT_HAS("callbacks suppressed");
}

TEST(man_add10_finds_the_section)
{
	ASSERT_EQ(0, sh("man add10")) TH_LOG("%.200s", out);
	EXPECT_HAS("add10(2)");
	EXPECT_HAS("add10 - add ten to a number");
	EXPECT_HAS("long syscall(SYS_add10, long x);");
	EXPECT_HAS("EOVERFLOW");
	EXPECT_HAS("ERANGE");
	EXPECT_HAS("10 -> 20");
}

TEST(pages_are_plain_text)
{
	/* no roff requests and no backspace overstrike for bold */
	ASSERT_EQ(0, sh("man 2 add10"));
	EXPECT_EQ(NULL, strchr(out, '\b'));
	EXPECT_EQ(NULL, strstr(out, ".SH"));
}

TEST(roff_sources_are_installed)
{
	ASSERT_EQ(0, sh("cat /usr/share/man/man2/add10.2"));
	EXPECT_HAS(".TH add10 2");
	ASSERT_EQ(0, sh("cat /usr/share/man/man2/mysyscall.2"));
	EXPECT_HAS(".TH mysyscall 2");
}

TEST(missing_page_is_an_error)
{
	EXPECT_EQ(1, sh("man 2 nosuchpage"));
	EXPECT_HAS("no manual entry for nosuchpage in section 2");
	/* the section is honoured: add10 is in section 2, not 3 */
	EXPECT_EQ(1, sh("man 3 add10"));
	EXPECT_EQ(1, sh("man nosuchpage"));
}

TEST(bad_usage_is_an_error)
{
	EXPECT_EQ(2, sh("man"));
	EXPECT_HAS("usage: man [SECTION] NAME");
	EXPECT_EQ(2, sh("man 2 ../man2/add10"));
}

TEST_HARNESS_MAIN
