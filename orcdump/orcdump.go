// Package orcdump is objtool 6.12's --dump[=orc] action: it prints the
// ORC unwind table of an object, one line per .orc_unwind entry, with the
// texts and exit status of objtool's orc_dump().
//
// orc_dump() reads the file through libelf, and its diagnostics are
// libelf's error texts, so Dump follows libelf where its outcome shows: the
// checks elf_begin and elf64_getehdr make on the file's header (a header
// libelf cannot read is "invalid `Elf' handle", section headers cut off by
// the end of the file mean no sections at all, hence no output and status
// 0), the checks elf_getdata makes on every section, and those gelf_getrela,
// gelf_getsym and elf_strptr make on each entry. The file itself is parsed
// by package decode; an object decode refuses for a reason libelf would not
// notice gets decode's sentence instead, in objcheck's usual form.
package orcdump

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/objcheck/objcheck/decode"
)

// failed is the exit status of orc_dump's "return -1" from main.
const failed = 255

// libelf's error texts (elfutils libelf/elf_error.c), as elf_errmsg gives them.
const (
	errInvalidFile          = "invalid file descriptor"
	errInvalidELF           = "invalid ELF file data"
	errInvalidHandle        = "invalid `Elf' handle"
	errInvalidClass         = "invalid binary class"
	errInvalidIndex         = "invalid section index"
	errInvalidSection       = "invalid section"
	errOffsetRange          = "offset out of range"
	errInvalidSectionHeader = "invalid section header"
	errInvalidData          = "invalid data"
	errInvalidSectionFlags  = "invalid section flags"
	errUnknownCompression   = "unknown compression type"
	errInvalidAlign         = "invalid section alignment"
	errDecompress           = "cannot decompress data"
)

// Sizes of the on-disk structures orc_dump reads.
const (
	ehdr32Size   = 52 // Elf32_Ehdr
	ehdr64Size   = 64 // Elf64_Ehdr
	shdr64Size   = 64 // Elf64_Shdr
	symSize      = 24 // Elf64_Sym
	relaSize     = 24 // Elf64_Rela
	orcEntrySize = 6  // struct orc_entry
	orcIPSize    = 4  // one .orc_unwind_ip entry, an int
)

// Dump prints the ORC table of the object at path as objtool --dump does
// and returns the exit status: 0 after the table, and also without any
// output when the file has no ORC sections (or no symbol table); 255, with
// objtool's one line on stderr, when the file cannot be opened or read as
// ELF, when .orc_unwind is not a whole number of entries, or when an entry's
// relocation, symbol or name cannot be read. Lines printed before such an
// error stay printed, as objtool's do.
func Dump(path string, stdout, stderr io.Writer) int {
	out := bufio.NewWriterSize(stdout, 4096) // stdio's buffer for a pipe or file
	d := &dumper{path: path, out: out, stderr: stderr}
	status := d.run()
	out.Flush() // at exit, after any warning, as stdio flushes stdout
	return status
}

// A dumper holds the state of one Dump call.
type dumper struct {
	path   string
	out    *bufio.Writer
	stderr io.Writer
	data   []byte // the whole file
	order  binary.ByteOrder
	f      *decode.File
	// names are the section names as libelf reads them.
	names []string
	// inflated holds the compressed string tables read so far.
	inflated map[*decode.Section][]byte
	line     []byte // the line being printed
}

// warn prints objtool's WARN line.
func (d *dumper) warn(format string, args ...any) int {
	fmt.Fprintf(d.stderr, "%s: warning: objtool: "+format+"\n", append([]any{d.path}, args...)...)
	return failed
}

// elfError prints objtool's WARN_ELF line for libelf function fn failing
// with message msg.
func (d *dumper) elfError(fn, msg string) int {
	return d.warn("%s: %s", fn, msg)
}

// run is Dump less the final flush.
func (d *dumper) run() int {
	if status, ok := d.read(); !ok {
		return status
	}
	n, status, ok := d.sectionCount()
	if !ok || n == 0 {
		return status
	}
	if err := d.parse(); err != nil {
		fmt.Fprintf(d.stderr, "%s: error: objtool: %v\n", d.path, err)
		return failed
	}
	return d.dump()
}

// read opens and reads the file as orc_dump's open() and libelf's
// elf_begin(ELF_C_READ) do: reporting false with the exit status when it
// cannot. A directory opens but cannot be read.
func (d *dumper) read() (int, bool) {
	f, err := os.Open(d.path)
	if err != nil {
		fmt.Fprintf(d.stderr, "open: %s\n", strerror(err))
		return failed, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return d.elfError("elf_begin", errInvalidFile), false
	}
	// libelf reads st_size bytes, at most: nothing from a pipe or device.
	data := make([]byte, max(st.Size(), 0))
	n, err := io.ReadFull(f, data)
	if err != nil && err != io.ErrUnexpectedEOF {
		return d.elfError("elf_begin", errInvalidFile), false
	}
	d.data = data[:n]
	return 0, true
}

// strerror is C's strerror for err: Go's text with a capital letter.
func strerror(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		err = pe.Err
	}
	s := err.Error()
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// sectionCount makes libelf's checks of the ELF header, as elf_begin,
// elf64_getehdr, elf_getshdrnum and elf_getshdrstrndx make them when
// reading (not mapping) the file, and returns the number of sections
// libelf sees: 0 when the section header table does not fit in the file.
// With ok false the exit status is set and a message printed.
func (d *dumper) sectionCount() (n uint64, status int, ok bool) {
	h := d.data[:min(len(d.data), ehdr64Size)]
	if len(h) >= 8 && string(h[:8]) == "!<arch>\n" {
		return 0, d.elfError("elf64_getehdr", errInvalidHandle), false // an archive
	}
	class, hsize := elf.ELFCLASSNONE, 0
	if len(h) >= elf.EI_NIDENT && string(h[:4]) == elf.ELFMAG &&
		elf.Version(h[elf.EI_VERSION]) == elf.EV_CURRENT {
		class = elf.Class(h[elf.EI_CLASS])
		switch class {
		case elf.ELFCLASS32:
			hsize = ehdr32Size
		case elf.ELFCLASS64:
			hsize = ehdr64Size
		}
		switch elf.Data(h[elf.EI_DATA]) {
		case elf.ELFDATA2LSB:
			d.order = binary.LittleEndian
		case elf.ELFDATA2MSB:
			d.order = binary.BigEndian
		default:
			hsize = 0
		}
	}
	if hsize == 0 || len(h) < hsize {
		return 0, d.elfError("elf64_getehdr", errInvalidHandle), false
	}
	if class == elf.ELFCLASS32 {
		return 0, d.elfError("elf64_getehdr", errInvalidClass), false
	}
	// get_shnum in libelf's elf_begin.c.
	size := uint64(len(d.data))
	shoff := d.order.Uint64(h[40:])
	n = uint64(d.order.Uint16(h[60:]))
	if n == 0 && shoff != 0 {
		if shoff >= size || size-shoff < shdr64Size {
			return 0, 0, true
		}
		n = d.order.Uint64(d.data[shoff+32:]) // section 0's sh_size
		if n > 0xffffffff {
			return 0, d.elfError("elf_begin", errInvalidELF), false
		}
	}
	if shoff > size || size-shoff < shdr64Size*n {
		n = 0
	}
	if d.order.Uint16(h[62:]) == uint16(elf.SHN_XINDEX) && n == 0 {
		return 0, d.elfError("elf_getshdrstrndx", errInvalidSectionHeader), false
	}
	return n, 0, true
}

// parse reads the file with decode. decode reads relocatable objects of
// the machines objcheck checks; orc_dump reads any ELF64 file and uses
// neither e_type, e_machine, e_flags nor e_shentsize, so decode is shown a
// header with those four made to fit (and the file's own bytes put back
// afterwards): a linked vmlinux dumps like an object.
func (d *dumper) parse() error {
	h := d.data[:ehdr64Size]
	saved := [ehdr64Size]byte(h)
	defer copy(h, saved[:])
	o := d.order
	o.PutUint16(h[16:], uint16(elf.ET_REL))
	if o == binary.LittleEndian {
		o.PutUint16(h[18:], uint16(elf.EM_X86_64))
	} else {
		o.PutUint16(h[18:], uint16(elf.EM_PPC64))
	}
	o.PutUint32(h[48:], 0)
	o.PutUint16(h[58:], shdr64Size)
	f, err := decode.Parse(d.path, d.data)
	if err != nil {
		return err
	}
	d.f = f
	return nil
}

// The sections orc_dump looks for, found by name; the last of a name wins.
type orcSections struct {
	symtab, strtab, orc, orcIP, rela *decode.Section
}

// dump is orc_dump from its loop over the sections on.
func (d *dumper) dump() int {
	var secs orcSections
	shstrtab := d.shstrtab()
	d.names = make([]string, len(d.f.Sections))
	for i, s := range d.f.Sections {
		d.names[i] = s.Name
		// decode's names are libelf's, but for a compressed table (libelf
		// inflates it) and an empty one (decode lets name 0 be "").
		if shstrtab.Size == 0 || shstrtab.Flags&elf.SHF_COMPRESSED != 0 {
			name, msg := d.strptr(shstrtab, d.shName(i))
			if msg != "" {
				return d.elfError("elf_strptr", msg)
			}
			d.names[i] = name
		}
		if msg := d.getdata(s); msg != "" {
			return d.elfError("elf_getdata", msg)
		}
		switch d.names[i] {
		case ".symtab":
			secs.symtab = s
		case ".strtab":
			secs.strtab = s
		case ".orc_unwind":
			secs.orc = s
		case ".orc_unwind_ip":
			secs.orcIP = s
		case ".rela.orc_unwind_ip":
			secs.rela = s
		}
	}
	// orc_dump wants the data buffers of .orc_unwind and .orc_unwind_ip,
	// which libelf leaves NULL for an empty or SHT_NOBITS section, and a
	// .strtab at an index other than 0.
	if secs.symtab == nil || secs.strtab == nil || secs.strtab.Index == 0 ||
		!hasBuffer(secs.orc) || !hasBuffer(secs.orcIP) {
		return 0
	}
	if secs.orc.Size%orcEntrySize != 0 {
		return d.warn("bad .orc_unwind section size")
	}
	for i := range secs.orc.Size / orcEntrySize {
		if secs.rela != nil {
			if status, ok := d.relocated(&secs, i); !ok {
				return status
			}
		} else {
			d.absolute(secs.orcIP.Addr, d.contents(secs.orcIP), i)
		}
		d.entry(d.contents(secs.orc)[i*orcEntrySize:][:orcEntrySize])
	}
	return 0
}

// contents returns the bytes libelf reads for section s, which has a
// buffer: decode leaves those of an SHT_NULL section out.
func (d *dumper) contents(s *decode.Section) []byte {
	if s.Type == elf.SHT_NULL {
		return d.data[s.Offset:][:s.Size] // in the file: getdata checked
	}
	return s.Data
}

// hasBuffer reports whether libelf's elf_getdata gives section s a data
// buffer.
func hasBuffer(s *decode.Section) bool {
	return s != nil && s.Size != 0 && s.Type != elf.SHT_NOBITS
}

// getdata makes the checks libelf's elf_getdata makes the first time it
// reads section s, and returns the message of the first that fails, or "".
func (d *dumper) getdata(s *decode.Section) string {
	if s.Size == 0 || s.Type == elf.SHT_NOBITS {
		return ""
	}
	if s.Size%d.entsize(s) != 0 {
		return errInvalidData
	}
	if size := uint64(len(d.data)); s.Offset > size || size-s.Offset < s.Size {
		return errInvalidSectionHeader // decode checks all but SHT_NULL
	}
	return ""
}

// shName returns section i's sh_name, which decode does not keep.
func (d *dumper) shName(i int) uint32 {
	shoff := d.order.Uint64(d.data[40:])
	return d.order.Uint32(d.data[shoff+uint64(i)*shdr64Size:])
}

// shstrtab returns the section-name string table, which decode has checked.
func (d *dumper) shstrtab() *decode.Section {
	i := uint32(d.order.Uint16(d.data[62:]))
	if i == uint32(elf.SHN_XINDEX) {
		i = d.f.Sections[0].Link
	}
	return d.f.Sections[i]
}

// entsize returns the size libelf expects section s to be a multiple of:
// that of the entries of its type (elf_getdata.c's shtype_map), else 1.
func (d *dumper) entsize(s *decode.Section) uint64 {
	if s.Flags&elf.SHF_COMPRESSED != 0 {
		return 1
	}
	switch s.Type {
	case elf.SHT_SYMTAB, elf.SHT_DYNSYM, elf.SHT_RELA:
		return 24
	case elf.SHT_DYNAMIC, elf.SHT_REL, elf.SHT_GNU_VERNEED:
		return 16
	case elf.SHT_INIT_ARRAY, elf.SHT_FINI_ARRAY, elf.SHT_PREINIT_ARRAY:
		return 8
	case elf.SHT_GROUP, elf.SHT_SYMTAB_SHNDX, 0x6ffffffc: // SHT_SUNW_syminfo
		return 4
	case elf.SHT_HASH:
		// Not a supported-machine check: binutils reads any ELF file so,
		// and objdump's section headers are what this prints.
		m := elf.Machine(d.order.Uint16(d.data[18:]))
		if m == elf.EM_ALPHA || m == elf.EM_S390 {
			return 8
		}
		return 4
	case elf.SHT_GNU_LIBLIST:
		return 20
	case 0x6ffffffa: // SHT_SUNW_move
		return 28
	case elf.SHT_GNU_VERSYM:
		return 2
	}
	return 1
}

// relocated prints the "name+addend:" of entry i from .rela.orc_unwind_ip
// entry i, as gelf_getrela, gelf_getsym and elf_strptr read it: by index,
// not by offset. It reports false with the exit status on an error.
func (d *dumper) relocated(secs *orcSections, i uint64) (int, bool) {
	rela := secs.rela
	if !isType(rela, elf.SHT_RELA) {
		return d.elfError("gelf_getrela", errInvalidHandle), false
	}
	if i >= rela.Size/relaSize {
		return d.elfError("gelf_getrela", errInvalidIndex), false
	}
	r := rela.Data[i*relaSize:][:relaSize]
	symIdx := uint64(d.order.Uint64(r[8:]) >> 32)
	addend := d.order.Uint64(r[16:])

	symtab := secs.symtab
	if !isType(symtab, elf.SHT_SYMTAB) && !isType(symtab, elf.SHT_DYNSYM) {
		return d.elfError("gelf_getsym", errInvalidHandle), false
	}
	if symIdx >= symtab.Size/symSize {
		return d.elfError("gelf_getsym", errInvalidIndex), false
	}
	sym := symtab.Data[symIdx*symSize:][:symSize]
	var name string
	if elf.ST_TYPE(sym[4]) == elf.STT_SECTION {
		// st_shndx as it is: SHN_XINDEX is not looked up.
		shndx := int(d.order.Uint16(sym[6:]))
		if shndx >= len(d.f.Sections) {
			return d.elfError("elf_getscn", errInvalidIndex), false
		}
		name = d.names[shndx]
	} else {
		var msg string
		name, msg = d.strptr(secs.strtab, d.order.Uint32(sym[0:]))
		if msg != "" {
			return d.elfError("elf_strptr", msg), false
		}
	}
	line := append(append(d.line[:0], name...), '+')
	line = append(strconv.AppendUint(line, addend, 16), ':')
	d.out.Write(line)
	d.line = line
	return 0, true
}

// isType reports whether libelf gives section s the data type of section
// type t, which a compressed section never has.
func isType(s *decode.Section, t elf.SectionType) bool {
	return s.Type == t && s.Flags&elf.SHF_COMPRESSED == 0
}

// strptr is libelf's elf_strptr on string table section s: the string at
// off, or the error message.
func (d *dumper) strptr(s *decode.Section, off uint32) (string, string) {
	tab, msg := d.strtab(s)
	switch {
	case msg != "":
		return "", msg
	case uint64(off) >= uint64(len(tab)):
		return "", errOffsetRange
	}
	n := bytes.IndexByte(tab[off:], 0)
	if n < 0 {
		return "", errInvalidIndex
	}
	return string(tab[off:][:n]), ""
}

// strtab returns the contents of string table section s as elf_strptr
// reads them, inflated if s is SHF_COMPRESSED, or the error message.
func (d *dumper) strtab(s *decode.Section) ([]byte, string) {
	if s.Type != elf.SHT_STRTAB {
		return nil, errInvalidSection
	}
	if s.Flags&elf.SHF_COMPRESSED == 0 {
		return s.Data, ""
	}
	if tab, ok := d.inflated[s]; ok {
		return tab, ""
	}
	tab, msg := d.inflate(s)
	if msg == "" {
		if d.inflated == nil {
			d.inflated = make(map[*decode.Section][]byte)
		}
		d.inflated[s] = tab
	}
	return tab, msg
}

// inflate returns the contents of compressed section s as libelf's
// __libelf_decompress_elf (elfutils 0.188, zlib only) gives them, or the
// error message.
func (d *dumper) inflate(s *decode.Section) ([]byte, string) {
	const chdrSize = 24 // Elf64_Chdr
	switch {
	case s.Flags&elf.SHF_ALLOC != 0:
		return nil, errInvalidSectionFlags
	case s.Size < chdrSize:
		return nil, errInvalidData
	}
	chType := elf.CompressionType(d.order.Uint32(s.Data[0:]))
	size := d.order.Uint64(s.Data[8:])
	align := d.order.Uint64(s.Data[16:])
	in := s.Data[chdrSize:]
	switch {
	case chType != elf.COMPRESS_ZLIB:
		return nil, errUnknownCompression
	case align&(align-1) != 0:
		return nil, errInvalidAlign
	case size/1032 > uint64(len(in)): // zlib's best ratio
		return nil, errInvalidData
	}
	// zlib streams one after the other, every one complete, filling
	// exactly size bytes.
	var out bytes.Buffer
	r := bytes.NewReader(in)
	for r.Len() > 0 {
		z, err := zlib.NewReader(r)
		if err != nil {
			return nil, errDecompress
		}
		left := size - uint64(out.Len())
		n, err := io.Copy(&out, io.LimitReader(z, int64(min(left, math.MaxInt64-1))+1))
		if err != nil || uint64(n) > left {
			return nil, errDecompress
		}
	}
	if uint64(out.Len()) != size {
		return nil, errDecompress
	}
	return out.Bytes(), ""
}

// absolute prints the address of entry i where .orc_unwind_ip, at addr
// and holding ip, has it resolved, as a vmlinux does: the entry's own
// address plus the 32-bit offset it holds, read in the host's
// (little-endian) order whatever the file's. objtool reads past the end
// of a short .orc_unwind_ip; Dump reads zeros there.
func (d *dumper) absolute(addr uint64, ip []byte, i uint64) {
	var b [orcIPSize]byte
	if off := i * orcIPSize; off < uint64(len(ip)) {
		copy(b[:], ip[off:])
	}
	v := int32(binary.LittleEndian.Uint32(b[:]))
	line := strconv.AppendUint(d.line[:0], addr+i*orcIPSize+uint64(int64(v)), 16)
	d.out.Write(append(line, ':'))
	d.line = line
}

// entry prints one orc_entry as orc_print_dump does. The two offsets are
// in the file's byte order; the bit fields are read as a little-endian
// host lays them out, whatever the file's order.
func (d *dumper) entry(b []byte) {
	spOffset := int16(d.order.Uint16(b[0:]))
	bpOffset := int16(d.order.Uint16(b[2:]))
	spReg, bpReg := b[4]&0xf, b[4]>>4
	typ, signal := b[5]&7, b[5]>>3&1
	line := append(d.line[:0], "type:"...)
	line = append(line, typeName(typ)...)
	line = appendReg(append(line, " sp:"...), spReg, spOffset)
	line = appendReg(append(line, " bp:"...), bpReg, bpOffset)
	line = append(line, " signal:"...)
	line = append(line, '0'+signal, '\n')
	d.out.Write(line)
	d.line = line
}

// ORC register numbers (arch/x86/include/asm/orc_types.h).
const (
	regUndefined  = 0
	regBPIndirect = 8
	regSPIndirect = 9
)

// regNames are reg_name()'s names of ORC_REG_PREV_SP (1) to ORC_REG_R13 (7);
// it names the rest "?".
var regNames = [...]string{1: "prevsp", 2: "dx", 3: "di", 4: "bp", 5: "sp", 6: "r10", 7: "r13"}

// appendReg appends what print_reg() prints for a base register and an
// offset.
func appendReg(b []byte, reg uint8, offset int16) []byte {
	switch {
	case reg == regBPIndirect:
		return append(appendOffset(append(b, "(bp"...), offset), ')')
	case reg == regSPIndirect:
		return appendOffset(append(b, "(sp)"...), offset)
	case reg == regUndefined:
		return append(b, "(und)"...)
	case int(reg) < len(regNames):
		return appendOffset(append(b, regNames[reg]...), offset)
	}
	return appendOffset(append(b, '?'), offset)
}

// appendOffset appends offset as printf's %+d does.
func appendOffset(b []byte, offset int16) []byte {
	if offset >= 0 {
		b = append(b, '+')
	}
	return strconv.AppendInt(b, int64(offset), 10)
}

// typeNames are orc_type_name()'s names of ORC_TYPE_UNDEFINED (0) to
// ORC_TYPE_REGS_PARTIAL (4).
var typeNames = [...]string{"(und)", "end", "call", "regs", "regs (partial)"}

// typeName is orc_type_name().
func typeName(t uint8) string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "?"
}
