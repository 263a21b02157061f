package decode

import (
	"debug/elf"
	"encoding/binary"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/arch/arm64"
	"github.com/objcheck/objcheck/arch/ppc64"
	"github.com/objcheck/objcheck/arch/x86"
)

// A machine is how objects of one supported e_machine are read.
type machine struct {
	// new returns the architecture that decodes code in byte order order.
	new func(order binary.ByteOrder) *arch.Arch
	// bigEndian is set when big-endian objects are supported.
	bigEndian bool
	// abi returns why an object with ELF header flags flags and the named
	// sections (has reports whether one is present) is not supported, nil
	// if it is; nil accepts every object.
	abi func(flags uint32, has func(name string) bool) error
}

// machines is the one table of supported machines. It is never written.
var machines = map[elf.Machine]machine{
	elf.EM_X86_64:  {new: func(binary.ByteOrder) *arch.Arch { return x86.New() }},
	elf.EM_AARCH64: {new: func(binary.ByteOrder) *arch.Arch { return arm64.New() }},
	elf.EM_PPC64:   {new: ppc64.New, bigEndian: true, abi: ppc64ABI},
}

// ppc64ABI rejects ppc64 ELFv1 objects (e_flags ABI version 1, or an .opd
// section), whose symbols name function descriptors rather than code.
func ppc64ABI(flags uint32, has func(name string) bool) error {
	if flags&3 == 1 || has(".opd") {
		return errorf("ppc64 ELFv1 objects (function descriptors in .opd) are not supported")
	}
	return nil
}

// archFor returns the architecture that decodes code for machine m in byte
// order order.
func archFor(m elf.Machine, order binary.ByteOrder) (*arch.Arch, error) {
	mach, ok := machines[m]
	if !ok {
		return nil, unsupportedMachine(m)
	}
	if order == binary.BigEndian && !mach.bigEndian {
		return nil, errorf("big-endian %v objects are not supported", m)
	}
	return mach.new(order), nil
}

// unsupportedMachine says that machine m is not supported, by name when
// debug/elf knows it.
func unsupportedMachine(m elf.Machine) error {
	// String gives "EM_ALPHA+2419" for a number it does not know.
	if name := m.String(); strings.HasPrefix(name, "EM_") && !strings.Contains(name, "+") {
		return errorf("unsupported machine %s (%d)", name, uint16(m))
	}
	return errorf("unsupported machine %d", uint16(m))
}

// checkABI rejects objects of a supported machine in an ABI that is not
// (see machine.abi).
func (p *parser) checkABI() error {
	abi := machines[p.f.Machine].abi
	if abi == nil {
		return nil
	}
	return abi(p.eh.flags, func(name string) bool { return p.f.SectionByName(name) != nil })
}
