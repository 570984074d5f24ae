// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's command-line tools (userspace-tests/tools/): "add10 N" and
 * "mysyscall TEXT" print the result or the errno's name, and strace shows
 * the raw calls. Debian 12's strace 6.1 knows neither call: it prints them
 * as syscall_0x224/syscall_0x225 and refuses "-e trace=548" ("invalid
 * system call"), so the test traces everything and looks for 549.
 * One logging mysyscall() call.
 */
#include "kselftest_harness.h"
#include "rig.h"

#define RUN(out, ...) ({						\
	char *const __argv[] = { __VA_ARGS__, NULL };			\
	run_program(__argv, out, sizeof(out));				\
})

/* The exit code of a wait status from run_program(), or -1. */
static int exit_code(int status)
{
	return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(add10_prints_the_sum_or_the_errno_name)
{
	char out[256];

	if (mysyscall_absent()) {
		ASSERT_EQ(1, exit_code(RUN(out, "/usr/bin/add10", "10")));
		ASSERT_NE(NULL, strstr(out, "add10: ENOSYS (Function not implemented)")) TH_LOG("%s", out);
		return;
	}
	ASSERT_EQ(0, exit_code(RUN(out, "/usr/bin/add10", "10")));
	ASSERT_STREQ("20\n", out);
	ASSERT_EQ(0, exit_code(RUN(out, "/usr/bin/add10", "0x10")));
	ASSERT_STREQ("26\n", out);
	ASSERT_EQ(0, exit_code(RUN(out, "/usr/bin/add10", "-4200")));
	ASSERT_STREQ("-4190\n", out);
	ASSERT_EQ(1, exit_code(RUN(out, "/usr/bin/add10", "9223372036854775800")));
	ASSERT_STREQ("add10: EOVERFLOW (Value too large for defined data type)\n", out);
	ASSERT_EQ(1, exit_code(RUN(out, "/usr/bin/add10", "-11")));
	ASSERT_STREQ("add10: ERANGE (Numerical result out of range)\n", out);
}

TEST(add10_rejects_bad_usage)
{
	char out[256];

	ASSERT_EQ(2, exit_code(RUN(out, "/usr/bin/add10", "ten")));
	ASSERT_NE(NULL, strstr(out, "'ten' is not a long")) TH_LOG("%s", out);
	ASSERT_EQ(2, exit_code(RUN(out, "/usr/bin/add10")));
	ASSERT_NE(NULL, strstr(out, "usage: add10 N")) TH_LOG("%s", out);
}

TEST(mysyscall_prints_zero_and_the_text_is_logged)
{
	char nonce[64], out[256], line[256];
	int fd = kmsg_open();

	ASSERT_LE(0, fd);
	make_nonce(nonce, sizeof(nonce), "cli");
	if (mysyscall_absent()) {
		ASSERT_EQ(1, exit_code(RUN(out, "/usr/bin/mysyscall", nonce)));
		ASSERT_NE(NULL, strstr(out, "mysyscall: ENOSYS")) TH_LOG("%s", out);
		ASSERT_EQ(0, kmsg_grep(fd, nonce, NULL, 0));
		close(fd);
		return;
	}
	ASSERT_EQ(0, exit_code(RUN(out, "/usr/bin/mysyscall", nonce)));
	ASSERT_STREQ("0\n", out);
	ASSERT_EQ(1, kmsg_grep(fd, nonce, line, sizeof(line)));
	ASSERT_NE(NULL, strstr(line, "mysyscall: ")) TH_LOG("%s", line);
	close(fd);
	/* No argument passes NULL: EFAULT, nothing logged. */
	ASSERT_EQ(1, exit_code(RUN(out, "/usr/bin/mysyscall")));
	ASSERT_STREQ("mysyscall: EFAULT (Bad address)\n", out);
}

TEST(strace_shows_the_raw_add10_call_and_result)
{
	char out[4096];
	char why[256] = "";
	FILE *f = fopen("/usr/lib/mysyscall/no-strace", "r");

	/* The rig packs the host's strace, with its libraries, only for a
	 * guest of the host's architecture; else it says why in that file.
	 */
	if (f) {
		if (!fgets(why, sizeof(why), f))
			strcpy(why, "no strace in this guest");
		fclose(f);
		why[strcspn(why, "\n")] = '\0';
		SKIP(return, "%s", why);
	}
	ASSERT_EQ(0, access("/usr/bin/strace", X_OK));
	/* strace exits with its tracee's status: 1 when add10 is absent */
	ASSERT_EQ(mysyscall_absent() ? 1 : 0,
		  exit_code(RUN(out, "/usr/bin/strace", "/usr/bin/add10", "5")))
		TH_LOG("%s", out);
	/* syscall_0x225 is 549, with its argument and its result (15) */
	ASSERT_NE(NULL, strstr(out, "syscall_0x225(0x5")) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, mysyscall_absent() ? "= -1 ENOSYS" : ") = 0xf")) TH_LOG("%s", out);
	/* and the tool's output after it (which lands inside strace's line) */
	ASSERT_NE(NULL, strstr(out, mysyscall_absent() ? "add10: ENOSYS" : "write(1, \"15\\n\", 3")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
