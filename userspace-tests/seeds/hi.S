/*
 * Seed 000's write example in raw assembly: write(1, "Hi\n", 3) with the
 * syscall instruction, then return write's result (3) from main, so the
 * program prints "Hi" and exits with status 3.
 */
	.text
	.globl	main
main:
	mov	$1, %eax		/* __NR_write */
	mov	$1, %edi		/* fd: stdout */
	lea	msg(%rip), %rsi		/* buf */
	mov	$3, %edx		/* count */
	syscall				/* rax = bytes written */
	ret				/* main returns rax: the exit status */

	.section .rodata
msg:	.ascii	"Hi\n"

	.section .note.GNU-stack, "", @progbits
