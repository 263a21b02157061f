// Package x86 decodes x86 machine code into arch.Insn values.
package x86
