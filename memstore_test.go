package unify_test

import (
	"testing"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/storetest"
)

func TestMemoryStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) unify.Store { return unify.NewMemoryStore() })
}
