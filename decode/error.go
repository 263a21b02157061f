package decode

import "fmt"

// An Error says why an object cannot be read. Its text is one lowercase
// sentence that names no file: the caller adds the file name, as in
// "x.o: error: objtool: not an ELF file".
type Error struct {
	Msg string // what is wrong, for example "not a 64-bit ELF file"
	Err error  // the underlying cause (Open's read error), or nil
}

// Error returns the sentence, followed by the cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns the underlying cause, so errors.Is sees through to it.
func (e *Error) Unwrap() error { return e.Err }

// errorf makes an *Error from a format.
func errorf(format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// secLabel names a section in messages: "section 5 (.rela.text)", or
// "section 5" while its name is unknown or empty.
func secLabel(s *Section) string {
	if s.Name == "" {
		return fmt.Sprintf("section %d", s.Index)
	}
	return fmt.Sprintf("section %d (%s)", s.Index, s.Name)
}

// symLabel names a symbol in messages: "symbol 7 (foo)", or "symbol 7".
func symLabel(s *Symbol) string {
	if s.Name == "" {
		return fmt.Sprintf("symbol %d", s.Index)
	}
	return fmt.Sprintf("symbol %d (%s)", s.Index, s.Name)
}
