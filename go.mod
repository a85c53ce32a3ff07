module github.com/unifyhq/unify

go 1.26.0

require (
	github.com/antzucaro/matchr v0.0.0-20221106193745-7bed6ef61ef9
	github.com/google/go-cmp v0.7.0
	github.com/nyaruka/phonenumbers v1.8.1
	golang.org/x/text v0.44.0
	pgregory.net/rapid v1.3.0
)

require google.golang.org/protobuf v1.36.11 // indirect
