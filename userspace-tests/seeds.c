// SPDX-License-Identifier: GPL-2.0
/*
 * The seed programs, unchanged, give the outputs the seeds promise:
 * test_mysyscall prints "mysyscall succeeded!" and logs "mysyscall: Hello
 * from user space!"; test_add10 prints "10 -> 20"; hi prints "Hi" and
 * exits with status 3. With MYSYSCALL_EXPECT=absent the first two report
 * their failure instead, and nothing is logged.
 */
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "rig.h"

#define SEED_DIR "/usr/bin/"

/* Run a program without arguments; its output in @out, its wait status. */
static int run(const char *path, char *out, size_t size)
{
	char *const argv[] = { (char *)path, NULL };

	return run_program(argv, out, size);
}

TEST(test_mysyscall_succeeds_and_logs)
{
	char out[256], line[256] = "";
	int fd = kmsg_open(), status;

	ASSERT_LE(0, fd);
	status = run(SEED_DIR "test_mysyscall", out, sizeof(out));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));	/* the seed exits 0 either way */
	if (mysyscall_absent()) {
		EXPECT_STREQ("mysyscall failed: Function not implemented\n", out);
		EXPECT_EQ(0, kmsg_grep(fd, "mysyscall", NULL, 0));
		return;
	}
	EXPECT_STREQ("mysyscall succeeded!\n", out);
	EXPECT_EQ(1, kmsg_grep(fd, "mysyscall: Hello from user space!",
			       line, sizeof(line)));
	EXPECT_STREQ("mysyscall: Hello from user space!", line);
	close(fd);
}

TEST(test_add10_prints_10_to_20)
{
	char out[256];
	int status = run(SEED_DIR "test_add10", out, sizeof(out));

	ASSERT_TRUE(WIFEXITED(status));
	if (mysyscall_absent()) {
		EXPECT_EQ(1, WEXITSTATUS(status));
		EXPECT_STREQ("10 -> -1\n", out);
		return;
	}
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_STREQ("10 -> 20\n", out);
}

TEST(hi_prints_hi_and_exits_3)
{
	char out[256];
	int status;

#ifndef __x86_64__
	SKIP(return, "hi is the seeds' x86-64 assembly (syscall, rax, rdi...): not built for this architecture");
#endif
	status = run(SEED_DIR "hi", out, sizeof(out));

	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(3, WEXITSTATUS(status));
	EXPECT_STREQ("Hi\n", out);
}

TEST_HARNESS_MAIN
