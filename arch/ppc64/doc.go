// Package ppc64 decodes ppc64 machine code into arch.Insn values.
package ppc64
