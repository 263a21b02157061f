module github.com/objcheck/objcheck

go 1.26.8

require (
	github.com/google/go-cmp v0.7.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/spf13/pflag v1.1.0
	golang.org/x/arch v0.33.0
)

require golang.org/x/text v0.14.0 // indirect
