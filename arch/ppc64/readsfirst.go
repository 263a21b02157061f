package ppc64

import "github.com/objcheck/objcheck/internal/xarch/ppc64asm"

// readsFirst lists the x/arch operations whose first operand is a general
// register they read but do not write. Every other operation whose first
// operand is a general register writes it (RT, or RA in the logical and
// rotate forms "op RA,RS,..."), which is how a write to r1 is found.
//
// The list was drawn from x/arch v0.33.0's ppc64asm/tables.go: the formats
// whose first argument is a register named RS, RSp or RB in the ISA syntax
// (stores, mtmsr, slb and tlb management, messages, hash checks), or RA not
// followed by RS (cache-block operations, copy, paste.).
var readsFirst = [...]bool{
	// Stores.
	ppc64asm.STB: true, ppc64asm.STBU: true, ppc64asm.STBUX: true, ppc64asm.STBX: true,
	ppc64asm.STH: true, ppc64asm.STHU: true, ppc64asm.STHUX: true, ppc64asm.STHX: true,
	ppc64asm.STW: true, ppc64asm.STWU: true, ppc64asm.STWUX: true, ppc64asm.STWX: true,
	ppc64asm.STD: true, ppc64asm.STDU: true, ppc64asm.STDUX: true, ppc64asm.STDX: true,
	ppc64asm.STQ: true, ppc64asm.STMW: true, ppc64asm.STSWI: true, ppc64asm.STSWX: true,
	ppc64asm.STHBRX: true, ppc64asm.STWBRX: true, ppc64asm.STDBRX: true,
	ppc64asm.STBCIX: true, ppc64asm.STHCIX: true, ppc64asm.STWCIX: true, ppc64asm.STDCIX: true,
	ppc64asm.STBCXCC: true, ppc64asm.STHCXCC: true, ppc64asm.STWCXCC: true,
	ppc64asm.STDCXCC: true, ppc64asm.STQCXCC: true,
	ppc64asm.STWAT: true, ppc64asm.STDAT: true,
	ppc64asm.PSTB: true, ppc64asm.PSTH: true, ppc64asm.PSTW: true, ppc64asm.PSTD: true,
	ppc64asm.PSTQ: true,

	// Cache blocks, copy and paste.
	ppc64asm.DCBF: true, ppc64asm.DCBST: true, ppc64asm.DCBT: true, ppc64asm.DCBTST: true,
	ppc64asm.DCBZ: true, ppc64asm.ICBI: true, ppc64asm.COPY: true, ppc64asm.PASTECC: true,

	// Hash checks (ROP protection).
	ppc64asm.HASHST: true, ppc64asm.HASHSTP: true, ppc64asm.HASHCHK: true,
	ppc64asm.HASHCHKP: true,

	// Machine state, SLB, TLB and messages.
	ppc64asm.MTMSR: true, ppc64asm.MTMSRD: true,
	ppc64asm.SLBIAG: true, ppc64asm.SLBIE: true, ppc64asm.SLBIEG: true, ppc64asm.SLBMTE: true,
	ppc64asm.TLBIE: true, ppc64asm.TLBIEL: true,
	ppc64asm.MSGCLR: true, ppc64asm.MSGCLRP: true, ppc64asm.MSGCLRU: true,
	ppc64asm.MSGSND: true, ppc64asm.MSGSNDP: true, ppc64asm.MSGSNDU: true,
}
